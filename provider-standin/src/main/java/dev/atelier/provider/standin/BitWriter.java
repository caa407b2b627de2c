package dev.atelier.provider.standin;

import java.io.ByteArrayOutputStream;

/** MSB-first bit writer with the H.264 Exp-Golomb codes (ue(v), se(v)). */
final class BitWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private int current;
  private int bits;

  /** Writes the low {@code count} bits of {@code value}, most significant first. */
  BitWriter u(int count, long value) {
    for (int i = count - 1; i >= 0; i--) {
      bit((int) (value >>> i) & 1);
    }
    return this;
  }

  BitWriter flag(boolean value) {
    return bit(value ? 1 : 0);
  }

  /**
   * Unsigned Exp-Golomb: {@code value + 1} in binary, preceded by as many zeros as it has bits
   * minus one.
   */
  BitWriter ue(long value) {
    long codeNum = value + 1;
    int length = 64 - Long.numberOfLeadingZeros(codeNum);
    u(length - 1, 0);
    return u(length, codeNum);
  }

  /** Signed Exp-Golomb: 0, 1, -1, 2, -2… map to 0, 1, 2, 3, 4… */
  BitWriter se(long value) {
    return ue(value > 0 ? 2 * value - 1 : -2 * value);
  }

  BitWriter bytes(byte[] data) {
    if (bits != 0) {
      throw new IllegalStateException("not byte aligned");
    }
    out.writeBytes(data);
    return this;
  }

  boolean aligned() {
    return bits == 0;
  }

  /** Zero bits up to the next byte boundary (e.g. pcm_alignment_zero_bit). */
  BitWriter alignWithZeros() {
    while (bits != 0) {
      bit(0);
    }
    return this;
  }

  /** rbsp_trailing_bits(): a stop bit, then zeros to the byte boundary. */
  BitWriter trailingBits() {
    bit(1);
    return alignWithZeros();
  }

  byte[] toByteArray() {
    if (bits != 0) {
      throw new IllegalStateException("not byte aligned");
    }
    return out.toByteArray();
  }

  private BitWriter bit(int b) {
    current = (current << 1) | b;
    if (++bits == 8) {
      out.write(current);
      current = 0;
      bits = 0;
    }
    return this;
  }
}
