package dev.atelier.admin;

import dev.atelier.redeem.RedeemCodeType;
import java.security.SecureRandom;

/**
 * Redeem codes like {@code STUDENT-7KQ4M2XP}: the type, a dash and 8 characters from an alphabet
 * without look-alikes (no 0/O, 1/I/L, U/V), 29^8 ≈ 5·10^11 codes per type.
 */
final class CodeGenerator {

  static final String ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ";
  static final int LENGTH = 8;

  private final SecureRandom random;

  CodeGenerator(SecureRandom random) {
    this.random = random;
  }

  String next(RedeemCodeType type) {
    StringBuilder code = new StringBuilder(type.wire()).append('-');
    for (int i = 0; i < LENGTH; i++) {
      code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return code.toString();
  }
}
