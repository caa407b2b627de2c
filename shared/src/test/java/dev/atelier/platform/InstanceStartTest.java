package dev.atelier.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.atelier.emulator.Counters;
import dev.atelier.emulator.junit.EmulatorHandle;
import dev.atelier.emulator.junit.FirestoreEmulatorExtension;
import dev.atelier.firestore.Database;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(FirestoreEmulatorExtension.class)
class InstanceStartTest {

  @Test
  void aClientBuiltInTheBackgroundWorksAndItsWarmUpCostsOneRead(EmulatorHandle emulator)
      throws Exception {
    emulator.resetCounters();
    Database db =
        InstanceStart.firestore(
            Config.forEmulators(emulator.projectId(), emulator.host(), null, "instance-start"));
    db.set("instanceStart/a", Map.of("n", 1L));
    assertEquals(1L, db.get("instanceStart/a").getLong("n"));
    // The warm-up runs after the client is handed out, so it may still be under way: wait for it.
    Counters expected = new Counters(2, 1, 0);
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!emulator.counters().equals(expected) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(
        expected, emulator.counters(), "the warm-up read of system/config, our own write and read");
  }

  @Test
  void theClientsOwnExceptionsComeThroughUnwrapped(EmulatorHandle emulator) {
    Database db =
        InstanceStart.firestore(
            Config.forEmulators(emulator.projectId(), emulator.host(), null, "instance-start"));
    assertThrows(IllegalArgumentException.class, () -> db.get("odd/number/of"));
  }

  @Test
  void joinRethrowsTheFailureItself() {
    IllegalStateException failure = new IllegalStateException("no credentials");
    IllegalStateException thrown =
        assertThrows(
            IllegalStateException.class,
            () -> InstanceStart.join(CompletableFuture.failedFuture(failure)));
    assertEquals(failure, thrown);
  }

  @Test
  void theWarmUpTokenPassesTheContentChecksAndCannotBeValid() {
    Instant now = Instant.parse("2026-12-02T10:00:00Z");
    String[] parts =
        InstanceStart.dummyToken("atelier-prod", Clock.fixed(now, ZoneOffset.UTC)).split("\\.");
    assertEquals(3, parts.length);
    JsonObject header = decode(parts[0]);
    JsonObject payload = decode(parts[1]);
    assertEquals("RS256", header.get("alg").getAsString(), "goes on to the signature check");
    assertEquals("https://securetoken.google.com/atelier-prod", payload.get("iss").getAsString());
    assertEquals("atelier-prod", payload.get("aud").getAsString());
    assertFalse(payload.get("sub").getAsString().isEmpty());
    assertTrue(payload.get("iat").getAsLong() < now.getEpochSecond());
    assertTrue(payload.get("exp").getAsLong() > now.getEpochSecond());
    assertEquals(1, Base64.getUrlDecoder().decode(parts[2]).length, "no RSA signature");
  }

  private static JsonObject decode(String part) {
    return JsonParser.parseString(
            new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8))
        .getAsJsonObject();
  }
}
