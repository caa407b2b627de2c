package dev.atelier.providers;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks (https://www.standardwebhooks.com) signing and verification, as Replicate signs
 * its webhooks: headers {@code webhook-id}, {@code webhook-timestamp} (unix seconds) and {@code
 * webhook-signature} (space-separated {@code v1,<base64 HMAC-SHA256 of "id.timestamp.body">}); the
 * secret is {@code whsec_<base64 key>}. Like the reference libraries, a secret without the prefix
 * is read as the bare base64 key.
 */
public final class StandardWebhooks {

  /** How far a webhook's timestamp may be from now, either way (replay window). */
  public static final Duration TOLERANCE = Duration.ofMinutes(5);

  public static final String ID_HEADER = "webhook-id";
  public static final String TIMESTAMP_HEADER = "webhook-timestamp";
  public static final String SIGNATURE_HEADER = "webhook-signature";

  private static final String SECRET_PREFIX = "whsec_";
  private static final String VERSION = "v1";
  private static final SecureRandom RANDOM = new SecureRandom();

  private StandardWebhooks() {}

  /** The outcome of {@link #verify}. */
  public sealed interface Verification {

    /** Signed by the holder of the secret, within the tolerance. */
    record Valid(String webhookId, Instant timestamp) implements Verification {}

    /**
     * Anything else; {@code message} is safe to log (it never contains the secret or a signature).
     */
    record Invalid(Reason reason, String message) implements Verification {}
  }

  /** Why a webhook was not accepted. */
  public enum Reason {
    MISSING_HEADERS,
    MALFORMED_TIMESTAMP,
    TIMESTAMP_OUT_OF_TOLERANCE,
    NO_VALID_SIGNATURE,
    /** The configured secret is unusable (a configuration error, not the sender's fault). */
    BAD_SECRET
  }

  /** A fresh secret: {@code whsec_} + base64 of 32 random bytes. */
  public static String newSecret() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
  }

  /**
   * The signature of one delivery, {@code v1,<base64>}.
   *
   * @throws IllegalArgumentException when the secret is not a {@code whsec_<base64>} key
   */
  public static String sign(String secret, String webhookId, long timestampSeconds, byte[] body) {
    byte[] key =
        key(secret).orElseThrow(() -> new IllegalArgumentException("not a whsec_<base64> secret"));
    return VERSION
        + ","
        + Base64.getEncoder().encodeToString(hmac(key, webhookId, timestampSeconds, body));
  }

  /**
   * Checks one delivery. Valid when the timestamp is within {@link #TOLERANCE} of {@code now} and
   * ANY of the {@code v1} signatures matches (several are sent while a secret rotates); other
   * versions are ignored.
   *
   * @param body the raw request body, exactly as received
   */
  public static Verification verify(
      String secret,
      Optional<String> webhookId,
      Optional<String> timestamp,
      Optional<String> signatures,
      byte[] body,
      Instant now) {
    Optional<byte[]> key = key(secret);
    if (key.isEmpty()) {
      return new Verification.Invalid(
          Reason.BAD_SECRET, "the configured webhook secret is not whsec_<base64>");
    }
    String id = webhookId.map(String::strip).orElse("");
    String ts = timestamp.map(String::strip).orElse("");
    String sigs = signatures.map(String::strip).orElse("");
    if (id.isEmpty() || ts.isEmpty() || sigs.isEmpty() || body == null) {
      return new Verification.Invalid(
          Reason.MISSING_HEADERS,
          "webhook-id, webhook-timestamp and webhook-signature are required");
    }
    // Digits only (Long.parseLong would also take "+1614265330"); 12 digits reach the year 33658.
    if (ts.length() > 12 || !ts.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return new Verification.Invalid(
          Reason.MALFORMED_TIMESTAMP, "webhook-timestamp is not unix seconds");
    }
    long seconds = Long.parseLong(ts);
    Instant sent = Instant.ofEpochSecond(seconds);
    if (sent.isBefore(now.minus(TOLERANCE)) || sent.isAfter(now.plus(TOLERANCE))) {
      return new Verification.Invalid(
          Reason.TIMESTAMP_OUT_OF_TOLERANCE,
          "webhook-timestamp "
              + seconds
              + " is more than "
              + TOLERANCE.toMinutes()
              + " minutes from now");
    }
    byte[] expected = hmac(key.get(), id, seconds, body);
    boolean match = false;
    for (String candidate : sigs.split(" ")) {
      int comma = candidate.indexOf(',');
      if (comma < 0 || !VERSION.equals(candidate.substring(0, comma))) {
        continue;
      }
      Optional<byte[]> given = base64(candidate.substring(comma + 1));
      // Compare every candidate (no early exit) in constant time.
      match |= given.isPresent() && MessageDigest.isEqual(expected, given.get());
    }
    return match
        ? new Verification.Valid(id, sent)
        : new Verification.Invalid(Reason.NO_VALID_SIGNATURE, "no v1 signature matches");
  }

  private static Optional<byte[]> key(String secret) {
    if (secret == null) {
      return Optional.empty();
    }
    String encoded = secret.strip();
    if (encoded.startsWith(SECRET_PREFIX)) {
      encoded = encoded.substring(SECRET_PREFIX.length());
    }
    return base64(encoded).filter(k -> k.length > 0);
  }

  private static Optional<byte[]> base64(String value) {
    try {
      return Optional.of(Base64.getDecoder().decode(value));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static byte[] hmac(byte[] key, String webhookId, long timestampSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update((webhookId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
    }
  }
}
