package dev.atelier.provider.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.atelier.generations.MediaKind;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The wire format of the stand-in's Replicate-shaped API, request by request. */
class StandInProtocolTest {
  private static final String TOKEN = "r8_standin_test_token";
  private static final Optional<String> AUTH = Optional.of("Bearer " + TOKEN);
  private static StandInProvider provider;

  @BeforeAll
  static void start() throws Exception {
    provider =
        StandInProvider.start(
            StandInOptions.defaults()
                .withModel("acme/pixel", MediaKind.IMAGE)
                .withModel("0123abcd", MediaKind.AUDIO)
                .withApiToken(TOKEN)
                .withCompletionDelay(Duration.ofMillis(100)));
  }

  @AfterAll
  static void stop() {
    provider.close();
  }

  @Test
  void createAnswers201WithAReplicateShapedPrediction() throws Exception {
    Instant before = Instant.now().minusSeconds(1);
    Http.Answer answer =
        Http.post(
            url("/v1/predictions"),
            "{\"version\": \"acme/pixel\", \"input\": {\"prompt\": \"a kite\", \"num_outputs\": 2}, "
                + "\"webhook\": \"http://127.0.0.1:9/hook\", \"webhook_events_filter\": [\"completed\"]}",
            AUTH);
    JsonObject p = answer.json();

    assertEquals(201, answer.status(), answer.body());
    assertEquals(Optional.of("application/json"), answer.header("Content-Type"));
    assertTrue(p.get("id").getAsString().matches("[a-z0-9]{26}"), p.get("id").getAsString());
    assertEquals("acme/pixel", p.get("model").getAsString());
    assertTrue(p.get("version").getAsString().matches("[0-9a-f]{64}"));
    assertEquals("a kite", p.getAsJsonObject("input").get("prompt").getAsString());
    assertEquals(2, p.getAsJsonObject("input").get("num_outputs").getAsInt());
    assertTrue(p.get("output").isJsonNull());
    assertTrue(p.get("error").isJsonNull());
    assertEquals("", p.get("logs").getAsString());
    assertEquals("starting", p.get("status").getAsString());
    assertFalse(Instant.parse(p.get("created_at").getAsString()).isBefore(before));
    String id = p.get("id").getAsString();
    assertEquals(url("/v1/predictions/" + id), p.getAsJsonObject("urls").get("get").getAsString());
    assertEquals(
        url("/v1/predictions/" + id + "/cancel"),
        p.getAsJsonObject("urls").get("cancel").getAsString());
    assertEquals(200, Http.get(p.getAsJsonObject("urls").get("get").getAsString(), AUTH).status());
  }

  @Test
  void theModelMayComeAsModelOrWithAVersionSuffixOrAsAVersionId() throws Exception {
    Http.Answer byModel =
        Http.post(
            url("/v1/predictions"),
            "{\"model\": \"acme/pixel\", \"input\": {\"prompt\": \"a\"}}",
            AUTH);
    Http.Answer withVersion =
        Http.post(
            url("/v1/predictions"),
            "{\"version\": \"acme/pixel:5c7d5dc6\", \"input\": {\"prompt\": \"a\"}}",
            AUTH);
    Http.Answer versionId =
        Http.post(
            url("/v1/predictions"),
            "{\"version\": \"0123abcd\", \"input\": {\"prompt\": \"a\"}}",
            AUTH);

    assertEquals(201, byModel.status(), byModel.body());
    assertEquals(201, withVersion.status(), withVersion.body());
    assertEquals("acme/pixel", withVersion.json().get("model").getAsString());
    assertEquals("5c7d5dc6", withVersion.json().get("version").getAsString());
    assertEquals(201, versionId.status(), versionId.body());
    assertEquals(
        MediaKind.AUDIO,
        provider.prediction(versionId.json().get("id").getAsString()).orElseThrow().kind());
  }

  @Test
  void withoutTheRightTokenTheApiAnswers401() throws Exception {
    String create = "{\"version\": \"acme/pixel\", \"input\": {\"prompt\": \"a\"}}";
    for (Optional<String> auth :
        Set.of(
            Optional.<String>empty(),
            Optional.of("Bearer wrong"),
            Optional.of("Basic " + TOKEN),
            Optional.of("Bearer " + TOKEN + "x"))) {
      Http.Answer answer = Http.post(url("/v1/predictions"), create, auth);

      assertEquals(401, answer.status(), auth.toString());
      assertTrue(answer.json().get("detail").getAsString().contains("authentication token"));
    }
    assertEquals(401, Http.get(url("/v1/predictions/abc")).status());
    assertEquals(
        201,
        Http.post(url("/v1/predictions"), create, Optional.of("Token " + TOKEN)).status(),
        "Replicate's older Token scheme");
  }

  @Test
  void invalidRequestsAre422WithADetail() throws Exception {
    String[][] cases = {
      {"{\"version\": \"acme/unknown\", \"input\": {\"prompt\": \"a\"}}", "Unknown model"},
      {"{\"input\": {\"prompt\": \"a\"}}", "version is required"},
      {"{\"version\": \"acme/pixel\"}", "input is required"},
      {"{\"version\": \"acme/pixel\", \"input\": {}}", "input.prompt is required"},
      {
        "{\"version\": \"acme/pixel\", \"input\": {\"prompt\": \"   \"}}",
        "input.prompt is required"
      },
      {"{\"version\": \"acme/pixel\", \"input\": {\"prompt\": 5}}", "input.prompt is required"},
      {
        "{\"version\": \"acme/pixel\", \"input\": {\"prompt\": \"a\", \"num_outputs\": 9}}",
        "num_outputs"
      },
      {
        "{\"version\": \"acme/pixel\", \"input\": {\"prompt\": \"a\", \"num_outputs\": 1.5}}",
        "num_outputs"
      },
      {
        "{\"version\": \"acme/pixel\", \"input\": {\"prompt\": \"a\", \"duration\": 0}}", "duration"
      },
      {
        "{\"version\": \"acme/pixel\", \"input\": {\"prompt\": \"a\", \"duration\": 301}}",
        "duration"
      },
      {
        "{\"version\": \"acme/pixel\", \"input\": {\"prompt\": \"a\", \"aspect_ratio\": \"wide\"}}",
        "aspect_ratio"
      },
      {
        "{\"version\": \"acme/pixel\", \"input\": {\"prompt\": \"a\"}, \"webhook\": \"ftp://x/y\"}",
        "webhook"
      },
      {
        "{\"version\": \"acme/pixel\", \"input\": {\"prompt\": \"a\"}, \"webhook_events_filter\": [\"done\"]}",
        "webhook_events_filter"
      },
    };
    int before = provider.predictions().size();
    for (String[] c : cases) {
      Http.Answer answer = Http.post(url("/v1/predictions"), c[0], AUTH);

      assertEquals(422, answer.status(), c[0]);
      assertTrue(answer.json().get("detail").getAsString().contains(c[1]), answer.body());
      assertEquals(422, answer.json().get("status").getAsInt());
    }
    assertEquals(before, provider.predictions().size(), "nothing was created");
  }

  @Test
  void aBodyThatIsNotAJsonObjectIs400() throws Exception {
    assertEquals(400, Http.post(url("/v1/predictions"), "{not json", AUTH).status());
    assertEquals(400, Http.post(url("/v1/predictions"), "[1, 2]", AUTH).status());
  }

  @Test
  void unknownPredictionsPathsAndMethodsAre404And405() throws Exception {
    assertEquals(404, Http.get(url("/v1/predictions/doesnotexist"), AUTH).status());
    assertEquals(404, Http.post(url("/v1/predictions/doesnotexist/cancel"), "", AUTH).status());
    assertEquals(404, Http.get(url("/v1/models"), AUTH).status());
    assertEquals(404, Http.get(url("/media/doesnotexist/0.png")).status());
    assertEquals(404, Http.get(url("/")).status());
    assertEquals(405, Http.get(url("/v1/predictions"), AUTH).status());
  }

  @Test
  void pollingSeesStartingThenProcessingThenSucceeded() throws Exception {
    Http.Answer created =
        Http.post(
            url("/v1/predictions"),
            "{\"version\": \"acme/pixel\", \"input\": {\"prompt\": \"steps\"}}",
            AUTH);
    String get = url("/v1/predictions/" + created.json().get("id").getAsString());

    Await.until("succeeded", Duration.ofSeconds(10), () -> status(get).equals("succeeded"));
    JsonObject done = Http.get(get, AUTH).json();

    assertEquals(1, done.getAsJsonArray("output").size());
    assertTrue(done.getAsJsonArray("output").get(0).getAsString().startsWith(url("/media/")));
    assertFalse(done.get("started_at").isJsonNull());
    assertTrue(done.get("logs").getAsString().contains("done"));
    // The media URL needs no token (as Replicate's delivery URLs).
    assertEquals(200, Http.bytes(done.getAsJsonArray("output").get(0).getAsString()).statusCode());
    assertEquals(
        404,
        Http.get(done.getAsJsonArray("output").get(0).getAsString().replace("/0.png", "/1.png"))
            .status());
  }

  private static String status(String get) {
    try {
      return Http.get(get, AUTH).json().get("status").getAsString();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String url(String path) {
    return provider.url() + path;
  }
}
