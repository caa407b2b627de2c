/**
 * Redeem codes: {@code redeemCodes/{code}} ({@link dev.atelier.redeem.RedeemCode}), their uses
 * {@code redeemCodeUsages/{id}} ({@link dev.atelier.redeem.RedeemCodeUsage}), the code type and
 * status sets, and the redeem service.
 */
package dev.atelier.redeem;
