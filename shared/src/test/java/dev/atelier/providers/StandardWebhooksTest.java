package dev.atelier.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.providers.StandardWebhooks.Reason;
import dev.atelier.providers.StandardWebhooks.Verification;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StandardWebhooksTest {
  // The published test vector of the Standard Webhooks and Svix reference libraries.
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  private static final long TS = 1614265330;
  private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
  private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
  private static final Instant THEN = Instant.ofEpochSecond(TS);

  @Test
  void signReproducesThePublishedTestVector() {
    assertEquals(SIGNATURE, StandardWebhooks.sign(SECRET, ID, TS, BODY));
  }

  @Test
  void thePublishedTestVectorVerifies() {
    Verification result = verify(SECRET, SIGNATURE, BODY, THEN.plusSeconds(10));

    assertEquals(new Verification.Valid(ID, THEN), result);
  }

  @Test
  void aSecretWithoutThePrefixIsTheBareKeyAsInTheReferenceLibraries() {
    assertEquals(
        SIGNATURE, StandardWebhooks.sign(SECRET.substring("whsec_".length()), ID, TS, BODY));
  }

  @Test
  void anyMatchingV1SignatureAmongSeveralIsEnough() {
    String header =
        "v1,Zm9vYmFy v1a,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE= v2,xyz not-a-signature "
            + SIGNATURE
            + " v1,!!!notbase64";

    assertInstanceOf(Verification.Valid.class, verify(SECRET, header, BODY, THEN));
  }

  @Test
  void aMatchingSignatureUnderAnotherVersionIsIgnored() {
    String header = "v1a," + SIGNATURE.substring(3) + " v2," + SIGNATURE.substring(3);

    assertReason(Reason.NO_VALID_SIGNATURE, verify(SECRET, header, BODY, THEN));
  }

  @Test
  void aTamperedBodyFails() {
    byte[] tampered = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);

    assertReason(Reason.NO_VALID_SIGNATURE, verify(SECRET, SIGNATURE, tampered, THEN));
  }

  @Test
  void anotherIdOrTimestampFails() {
    assertReason(
        Reason.NO_VALID_SIGNATURE,
        StandardWebhooks.verify(
            SECRET,
            Optional.of("msg_other"),
            Optional.of(Long.toString(TS)),
            Optional.of(SIGNATURE),
            BODY,
            THEN));
    assertReason(
        Reason.NO_VALID_SIGNATURE,
        StandardWebhooks.verify(
            SECRET,
            Optional.of(ID),
            Optional.of(Long.toString(TS + 1)),
            Optional.of(SIGNATURE),
            BODY,
            THEN));
  }

  @Test
  void aWrongSecretFails() {
    String other = StandardWebhooks.newSecret();

    assertReason(Reason.NO_VALID_SIGNATURE, verify(other, SIGNATURE, BODY, THEN));
  }

  @Test
  void timestampsOutsideFiveMinutesEitherWayFail() {
    assertInstanceOf(
        Verification.Valid.class, verify(SECRET, SIGNATURE, BODY, THEN.plusSeconds(300)));
    assertInstanceOf(
        Verification.Valid.class, verify(SECRET, SIGNATURE, BODY, THEN.minusSeconds(300)));
    assertReason(
        Reason.TIMESTAMP_OUT_OF_TOLERANCE, verify(SECRET, SIGNATURE, BODY, THEN.plusSeconds(301)));
    assertReason(
        Reason.TIMESTAMP_OUT_OF_TOLERANCE, verify(SECRET, SIGNATURE, BODY, THEN.minusSeconds(301)));
  }

  @Test
  void missingHeadersFail() {
    Optional<String> ts = Optional.of(Long.toString(TS));
    Optional<String> sig = Optional.of(SIGNATURE);

    assertReason(
        Reason.MISSING_HEADERS,
        StandardWebhooks.verify(SECRET, Optional.empty(), ts, sig, BODY, THEN));
    assertReason(
        Reason.MISSING_HEADERS,
        StandardWebhooks.verify(SECRET, Optional.of(ID), Optional.empty(), sig, BODY, THEN));
    assertReason(
        Reason.MISSING_HEADERS,
        StandardWebhooks.verify(SECRET, Optional.of(ID), ts, Optional.empty(), BODY, THEN));
    assertReason(
        Reason.MISSING_HEADERS,
        StandardWebhooks.verify(SECRET, Optional.of(" "), ts, sig, BODY, THEN));
  }

  @Test
  void aTimestampThatIsNotUnixSecondsIsMalformed() {
    for (String ts :
        new String[] {"abc", "+1614265330", "1614265330.5", "-5", "99999999999999999999"}) {
      assertReason(
          Reason.MALFORMED_TIMESTAMP,
          StandardWebhooks.verify(
              SECRET, Optional.of(ID), Optional.of(ts), Optional.of(SIGNATURE), BODY, THEN));
    }
  }

  @Test
  void anUnusableSecretIsReportedAsSuch() {
    assertReason(Reason.BAD_SECRET, verify("whsec_not base64!", SIGNATURE, BODY, THEN));
    assertReason(Reason.BAD_SECRET, verify("whsec_", SIGNATURE, BODY, THEN));
    assertReason(Reason.BAD_SECRET, verify(null, SIGNATURE, BODY, THEN));
    assertThrows(
        IllegalArgumentException.class, () -> StandardWebhooks.sign("whsec_%%%", ID, TS, BODY));
  }

  @Test
  void newSecretsAreFreshThirtyTwoByteKeysThatSignAndVerify() {
    String a = StandardWebhooks.newSecret();
    String b = StandardWebhooks.newSecret();
    Instant now = Instant.now();
    String sig = StandardWebhooks.sign(a, "msg_1", now.getEpochSecond(), BODY);

    assertTrue(a.startsWith("whsec_"));
    assertEquals(32, Base64.getDecoder().decode(a.substring(6)).length);
    assertNotEquals(a, b);
    assertInstanceOf(
        Verification.Valid.class,
        StandardWebhooks.verify(
            a,
            Optional.of("msg_1"),
            Optional.of(Long.toString(now.getEpochSecond())),
            Optional.of(sig),
            BODY,
            now));
    assertReason(
        Reason.NO_VALID_SIGNATURE,
        StandardWebhooks.verify(
            b,
            Optional.of("msg_1"),
            Optional.of(Long.toString(now.getEpochSecond())),
            Optional.of(sig),
            BODY,
            now));
  }

  private static Verification verify(String secret, String signatures, byte[] body, Instant now) {
    return StandardWebhooks.verify(
        secret,
        Optional.of(ID),
        Optional.of(Long.toString(TS)),
        Optional.of(signatures),
        body,
        now);
  }

  private static void assertReason(Reason expected, Verification actual) {
    Verification.Invalid invalid = assertInstanceOf(Verification.Invalid.class, actual);
    assertEquals(expected, invalid.reason(), invalid.message());
  }
}
