package dev.atelier.storage.emulator;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.zip.CRC32C;

/** One live object generation. The bytes are never mutated after construction. */
record StoredObject(
    String bucket,
    String name,
    long generation,
    long metageneration,
    byte[] content,
    ObjectAttributes attributes,
    Instant timeCreated,
    Instant updated) {

  StoredObject withAttributes(ObjectAttributes newAttributes, Instant now) {
    return new StoredObject(
        bucket, name, generation, metageneration + 1, content, newAttributes, timeCreated, now);
  }

  long size() {
    return content.length;
  }

  /** Base64 of the MD5 digest, as the JSON API's {@code md5Hash}. */
  String md5Hash() {
    return md5Base64(content);
  }

  /** Base64 of the big-endian CRC32C, as the JSON API's {@code crc32c}. */
  String crc32c() {
    CRC32C crc = new CRC32C();
    crc.update(content);
    return Base64.getEncoder()
        .encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  String etag() {
    return Base64.getEncoder()
        .encodeToString((generation + "/" + metageneration).getBytes(StandardCharsets.US_ASCII));
  }

  static String md5Base64(byte[] bytes) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is required by every JDK", e);
    }
  }
}
