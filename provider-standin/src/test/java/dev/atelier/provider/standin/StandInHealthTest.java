package dev.atelier.provider.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.generations.MediaKind;
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
  void anythingButUpOrDownIsA400AndChangesNothing() throws Exception {
    for (String body :
        new String[] {"{\"status\": \"sideways\"}", "{}", "[]", "not json", "{\"status\": 1}"}) {
      Http.Answer answer = Http.post(provider.url() + "/_control/health", body);

      assertEquals(400, answer.status(), body);
      assertTrue(provider.healthy(), body);
    }
    assertEquals(405, Http.get(provider.url() + "/_control/health").status());
  }
}
