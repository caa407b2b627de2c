package dev.atelier.provider.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.atelier.generations.MediaKind;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MainTest {

  @Test
  void parsesEveryOption() {
    StandInOptions options =
        Main.parse(
            new String[] {
              "--port",
              "7070",
              "--webhook-secret",
              "whsec_c2VjcmV0",
              "--model",
              "acme/pixel=image",
              "--model=acme/clip:v1=VIDEO",
              "--model",
              "acme/tune=audio",
              "--api-token=t",
              "--completion-delay-ms",
              "200",
              "--slow-delay-ms",
              "3000",
              "--oversize-bytes",
              "1024"
            });

    assertEquals(7070, options.port());
    assertEquals(Optional.of("whsec_c2VjcmV0"), options.webhookSecret());
    assertEquals(Optional.of("t"), options.apiToken());
    assertEquals(
        Map.of(
            "acme/pixel",
            MediaKind.IMAGE,
            "acme/clip:v1",
            MediaKind.VIDEO,
            "acme/tune",
            MediaKind.AUDIO),
        options.models());
    assertEquals(Duration.ofMillis(200), options.completionDelay());
    assertEquals(Duration.ofMillis(3000), options.slowDelay());
    assertEquals(1024, options.oversizeBytes());
  }

  @Test
  void defaultsMatchTheSpec() {
    StandInOptions options = Main.parse(new String[0]);

    assertEquals(0, options.port());
    assertEquals(Duration.ofSeconds(1), options.completionDelay());
    assertEquals(Duration.ofSeconds(10), options.slowDelay());
    assertEquals(50L * 1024 * 1024 + 1, options.oversizeBytes());
    assertEquals(Optional.empty(), options.webhookSecret());
  }

  @Test
  void badArgumentsAreRefused() {
    for (String[] args :
        new String[][] {
          {"--port"},
          {"--port", "x"},
          {"--model", "acme/pixel"},
          {"--model", "acme/chat=text"},
          {"--what", "1"},
          {"--oversize-bytes", "0"}
        }) {
      assertThrows(IllegalArgumentException.class, () -> Main.parse(args), String.join(" ", args));
    }
  }

  @Test
  void anUnusableWebhookSecretIsRefusedAtStart() {
    assertThrows(
        IllegalArgumentException.class,
        () -> StandInProvider.start(StandInOptions.defaults().withWebhookSecret("whsec_%%%")));
  }
}
