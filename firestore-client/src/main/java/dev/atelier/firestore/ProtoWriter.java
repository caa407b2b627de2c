package dev.atelier.firestore;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One protobuf message being encoded, its fields appended in the order written (the wire format's
 * tags, varints, fixed 64-bit values and length-prefixed bytes). A nested message is encoded on its
 * own writer and appended whole. Each method writes its field even when the value is the default,
 * as a {@code oneof} member must be; callers leave out the proto3 defaults of plain fields, as
 * protobuf's own encoder does.
 */
final class ProtoWriter {
  private static final int VARINT = 0;
  private static final int FIXED64 = 1;
  private static final int LENGTH_DELIMITED = 2;

  private byte[] buf = new byte[32];
  private int size;

  ProtoWriter varint(int field, long value) {
    tag(field, VARINT);
    rawVarint(value);
    return this;
  }

  ProtoWriter bool(int field, boolean value) {
    return varint(field, value ? 1 : 0);
  }

  ProtoWriter double64(int field, double value) {
    tag(field, FIXED64);
    long bits = Double.doubleToRawLongBits(value);
    ensure(8);
    for (int i = 0; i < 8; i++) {
      buf[size++] = (byte) (bits >>> (8 * i));
    }
    return this;
  }

  ProtoWriter string(int field, String value) {
    return bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  ProtoWriter bytes(int field, byte[] value) {
    return lengthDelimited(field, value, value.length);
  }

  ProtoWriter message(int field, ProtoWriter message) {
    return lengthDelimited(field, message.buf, message.size);
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }

  private ProtoWriter lengthDelimited(int field, byte[] value, int length) {
    tag(field, LENGTH_DELIMITED);
    rawVarint(length);
    ensure(length);
    System.arraycopy(value, 0, buf, size, length);
    size += length;
    return this;
  }

  private void tag(int field, int wireType) {
    rawVarint(((long) field << 3) | wireType);
  }

  /** Base 128, low groups first; a negative int64 takes all ten bytes, as protobuf's does. */
  private void rawVarint(long value) {
    ensure(10);
    while ((value & ~0x7FL) != 0) {
      buf[size++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    buf[size++] = (byte) value;
  }

  private void ensure(int more) {
    if (size + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
    }
  }
}
