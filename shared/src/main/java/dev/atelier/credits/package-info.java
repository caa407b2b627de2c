/**
 * Credits: the per-user balance {@code credits/{uid}/balance/current} ({@link
 * dev.atelier.credits.Balance}) and ledger {@code credits/{uid}/ledger/{entryId}} ({@link
 * dev.atelier.credits.LedgerEntry}, {@link dev.atelier.credits.LedgerType}, {@link
 * dev.atelier.credits.LedgerStatus}), and the posting service that keeps them in step.
 */
package dev.atelier.credits;
