package dev.atelier.firestore;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One protobuf message being decoded: {@link #next} steps to each field in turn, then the caller
 * reads its value with the method for its type, or {@link #skip}s it (fields we do not use, and any
 * the API adds later). Malformed bytes fail with an IllegalStateException: they can only come from
 * a broken server or channel, never from a caller.
 */
final class ProtoReader {
  private static final int VARINT = 0;
  private static final int FIXED64 = 1;
  private static final int LENGTH_DELIMITED = 2;
  private static final int FIXED32 = 5;

  private final byte[] buf;
  private final int limit;
  private int pos;
  private int tag;

  ProtoReader(byte[] message) {
    this(message, 0, message.length);
  }

  private ProtoReader(byte[] buf, int from, int limit) {
    this.buf = buf;
    this.pos = from;
    this.limit = limit;
  }

  /** Steps to the next field; false at the end of the message. */
  boolean next() {
    if (pos >= limit) {
      return false;
    }
    long t = rawVarint();
    if ((t >>> 3) == 0 || t > Integer.MAX_VALUE) {
      throw malformed("a field number of 0 or out of range");
    }
    tag = (int) t;
    return true;
  }

  int field() {
    return tag >>> 3;
  }

  long varint() {
    expect(VARINT);
    return rawVarint();
  }

  boolean bool() {
    return varint() != 0;
  }

  double double64() {
    expect(FIXED64);
    need(8);
    long bits = 0;
    for (int i = 0; i < 8; i++) {
      bits |= (buf[pos++] & 0xFFL) << (8 * i);
    }
    return Double.longBitsToDouble(bits);
  }

  String string() {
    int n = length();
    String s = new String(buf, pos, n, StandardCharsets.UTF_8);
    pos += n;
    return s;
  }

  byte[] bytes() {
    int n = length();
    byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
    pos += n;
    return out;
  }

  ProtoReader message() {
    int n = length();
    ProtoReader inner = new ProtoReader(buf, pos, pos + n);
    pos += n;
    return inner;
  }

  void skip() {
    switch (tag & 7) {
      case VARINT -> rawVarint();
      case FIXED64 -> advance(8);
      case LENGTH_DELIMITED -> advance(length());
      case FIXED32 -> advance(4);
      default -> throw malformed("wire type " + (tag & 7) + " (groups are not used by Firestore)");
    }
  }

  private int length() {
    expect(LENGTH_DELIMITED);
    long n = rawVarint();
    if (n < 0 || n > limit - pos) {
      throw malformed("a length of " + n + " past the message's end");
    }
    return (int) n;
  }

  private void advance(int n) {
    need(n);
    pos += n;
  }

  private void expect(int wireType) {
    if ((tag & 7) != wireType) {
      throw malformed("field " + field() + " has wire type " + (tag & 7) + ", not " + wireType);
    }
  }

  private long rawVarint() {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      need(1);
      byte b = buf[pos++];
      value |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return value;
      }
    }
    throw malformed("a varint longer than ten bytes");
  }

  private void need(int n) {
    if (n > limit - pos) {
      throw malformed("the message ends inside a field");
    }
  }

  private static IllegalStateException malformed(String what) {
    return new IllegalStateException("a malformed Firestore message: " + what);
  }
}
