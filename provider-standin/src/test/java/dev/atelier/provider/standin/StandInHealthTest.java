package dev.atelier.provider.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.generations.MediaKind;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StandInHealthTest {
  private static final String CREATE =
      "{\"version\": \"acme/pixel\", \"input\": {\"prompt\": \"x\"}}";
  private StandInProvider provider;

  @BeforeEach
  void start() throws Exception {
    provider =
        StandInProvider.start(StandInOptions.defaults().withModel("acme/pixel", MediaKind.IMAGE));
  }

  @AfterEach
  void stop() {
    provider.close();
  }

  @Test
  void healthIsUpAtFirst() throws Exception {
    Http.Answer health = Http.get(provider.url() + "/health");

    assertEquals(200, health.status());
    assertEquals("up", health.json().get("status").getAsString());
    assertTrue(provider.healthy());
  }

  @Test
  void theControlEndpointSetsItDownAndTheApiAnswers503UntilItIsUpAgain() throws Exception {
    Http.Answer down = Http.post(provider.url() + "/_control/health", "{\"status\": \"down\"}");

    assertEquals(200, down.status());
    assertFalse(provider.healthy());
    Http.Answer health = Http.get(provider.url() + "/health");
    assertEquals(503, health.status());
    assertEquals("down", health.json().get("status").getAsString());
    Http.Answer create = Http.post(provider.url() + "/v1/predictions", CREATE);
    assertEquals(503, create.status());
    assertTrue(create.json().has("detail"));
    assertEquals(503, Http.get(provider.url() + "/v1/predictions/abc").status());
    assertTrue(provider.predictions().isEmpty(), "nothing was accepted while down");

    assertEquals(
        200, Http.post(provider.url() + "/_control/health", "{\"status\": \"up\"}").status());
    assertEquals(200, Http.get(provider.url() + "/health").status());
    assertEquals(201, Http.post(provider.url() + "/v1/predictions", CREATE).status());
  }

  @Test
  void theJavaSwitchDoesTheSame() throws Exception {
    provider.setHealthy(false);
    assertEquals(503, Http.get(provider.url() + "/health").status());
    assertEquals(503, Http.post(provider.url() + "/v1/predictions", CREATE).status());

    provider.setHealthy(true);
    assertEquals(200, Http.get(provider.url() + "/health").status());
  }

  @Test
  void throttledAnswers429WithRetryAfterOnHealthAndTheApiUntilUp() throws Exception {
    Http.Answer set = Http.post(provider.url() + "/_control/health", "{\"status\": \"throttled\"}");
    assertEquals(200, set.status());
    assertTrue(provider.throttled());
    assertTrue(provider.healthy(), "throttled is not down");

    Http.Answer health = Http.get(provider.url() + "/health");
    assertEquals(429, health.status());
    assertEquals("throttled", health.json().get("status").getAsString());
    assertEquals(Optional.of("5"), health.header("Retry-After"));
    Http.Answer create = Http.post(provider.url() + "/v1/predictions", CREATE);
    assertEquals(429, create.status());
    assertEquals(Optional.of("5"), create.header("Retry-After"));
    assertEquals(429, Http.get(provider.url() + "/v1/account").status());
    assertTrue(provider.predictions().isEmpty(), "nothing was accepted while throttled");

    provider.setHealthy(false);
    assertEquals(503, Http.get(provider.url() + "/health").status(), "down wins over throttled");

    assertEquals(
        200, Http.post(provider.url() + "/_control/health", "{\"status\": \"up\"}").status());
    assertFalse(provider.throttled());
    assertEquals(200, Http.get(provider.url() + "/health").status());
    assertEquals(201, Http.post(provider.url() + "/v1/predictions", CREATE).status());
  }

  @Test
  void healthLatencyDelaysTheHealthEndpointsOnly() throws Exception {
    Http.Answer set =
        Http.post(provider.url() + "/_control/health", "{\"status\": \"up\", \"latencyMs\": 300}");
    assertEquals(200, set.status());
    assertEquals(300, set.json().get("latencyMs").getAsLong());
    assertEquals(Duration.ofMillis(300), provider.healthLatency());

    long start = System.nanoTime();
    assertEquals(200, Http.get(provider.url() + "/health").status());
    assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 300);
    start = System.nanoTime();
    assertEquals(200, Http.get(provider.url() + "/v1/account").status());
    assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 300);

    Http.post(provider.url() + "/_control/health", "{\"status\": \"down\"}");
    assertEquals(Duration.ofMillis(300), provider.healthLatency(), "kept when not given");
    provider.setHealthLatency(Duration.ZERO);
    assertEquals(503, Http.get(provider.url() + "/health").status());
  }

  @Test
  void theAccountEndpointAnswersLikeReplicatesAndChecksTheToken() throws Exception {
    Http.Answer account = Http.get(provider.url() + "/v1/account");
    assertEquals(200, account.status());
    assertEquals("organization", account.json().get("type").getAsString());
    assertEquals("standin", account.json().get("username").getAsString());

    provider.setHealthy(false);
    assertEquals(503, Http.get(provider.url() + "/v1/account").status());

    try (StandInProvider guarded =
        StandInProvider.start(StandInOptions.defaults().withApiToken("r8_secret"))) {
      assertEquals(401, Http.get(guarded.url() + "/v1/account").status());
      assertEquals(
          401, Http.get(guarded.url() + "/v1/account", Optional.of("Bearer wrong")).status());
      assertEquals(
          200, Http.get(guarded.url() + "/v1/account", Optional.of("Bearer r8_secret")).status());
    }
  }

  @Test
  void anythingButUpOrDownIsA400AndChangesNothing() throws Exception {
    for (String body :
        new String[] {
          "{\"status\": \"sideways\"}",
          "{}",
          "[]",
          "not json",
          "{\"status\": 1}",
          "{\"status\": \"up\", \"latencyMs\": -1}",
          "{\"status\": \"up\", \"latencyMs\": 1.5}",
          "{\"status\": \"down\", \"latencyMs\": \"10\"}",
          "{\"status\": \"up\", \"latencyMs\": 60001}"
        }) {
      Http.Answer answer = Http.post(provider.url() + "/_control/health", body);

      assertEquals(400, answer.status(), body);
      assertTrue(provider.healthy(), body);
      assertFalse(provider.throttled(), body);
      assertEquals(Duration.ZERO, provider.healthLatency(), body);
    }
    assertEquals(405, Http.get(provider.url() + "/_control/health").status());
  }
}
