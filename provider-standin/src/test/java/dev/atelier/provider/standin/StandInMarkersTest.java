package dev.atelier.provider.standin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.atelier.generations.MediaKind;
import dev.atelier.provider.standin.WebhookReceiver.Received;
import dev.atelier.providers.PredictionStatus;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each prompt marker's outcome, seen the way the backend sees it: polling and signed webhooks over
 * loopback.
 */
class StandInMarkersTest {
  private static final Duration COMPLETION = Duration.ofMillis(150);
  private static final Duration SLOW = Duration.ofMillis(1500);
  private static final long OVERSIZE = 2L * 1024 * 1024 + 1;
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static StandInProvider provider;
  private static WebhookReceiver receiver;

  @BeforeAll
  static void start() throws Exception {
    provider =
        StandInProvider.start(
            StandInOptions.defaults()
                .withModel("acme/pixel", MediaKind.IMAGE)
                .withModel("acme/clip", MediaKind.VIDEO)
                .withModel("acme/tune", MediaKind.AUDIO)
                .withCompletionDelay(COMPLETION)
                .withSlowDelay(SLOW)
                .withOversizeBytes(OVERSIZE));
    receiver = WebhookReceiver.start(provider.webhookSecret());
  }

  @AfterAll
  static void stop() {
    provider.close();
    receiver.close();
  }

  @Test
  void noMarkerSucceedsWithRealImagesAndOneSignedWebhook() throws Exception {
    String id = create("acme/pixel", "a lighthouse at dusk", 2);

    Received hook = awaitWebhooks(id, 1).get(0);
    JsonObject body = hook.json();

    assertTrue(hook.valid(), hook.verification().toString());
    assertEquals(Optional.of("application/json"), hook.contentType());
    assertTrue(hook.webhookId().orElseThrow().startsWith("msg_"));
    assertEquals("succeeded", body.get("status").getAsString());
    assertTrue(body.get("error").isJsonNull());
    assertTrue(body.getAsJsonObject("metrics").get("predict_time").getAsDouble() > 0);
    assertFalse(body.get("completed_at").isJsonNull());
    assertFalse(body.get("started_at").isJsonNull());
    assertEquals("a lighthouse at dusk", body.getAsJsonObject("input").get("prompt").getAsString());
    List<String> urls = strings(body.getAsJsonArray("output"));
    assertEquals(2, urls.size());
    for (String url : urls) {
      HttpResponse<byte[]> media = Http.bytes(url);
      assertEquals(200, media.statusCode());
      assertEquals(Optional.of("image/png"), media.headers().firstValue("Content-Type"));
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(media.body()));
      assertNotNull(image, "decodes as an image");
      assertEquals(512, image.getWidth());
    }
    assertFalse(
        Arrays.equals(Http.bytes(urls.get(0)).body(), Http.bytes(urls.get(1)).body()),
        "each output is its own picture");
    // Polling agrees with the webhook.
    JsonObject polled = Http.get(provider.url() + "/v1/predictions/" + id).json();
    assertEquals("succeeded", polled.get("status").getAsString());
    assertEquals(body.get("output"), polled.get("output"));
  }

  @Test
  void videoAndAudioModelsServeMp4AndMp3OfTheRequestedDuration() throws Exception {
    String video = create("acme/clip", "waves", 1, "\"duration\": 3");
    String audio = create("acme/tune", "a calm loop", 1, "\"duration\": 4");

    String videoUrl =
        strings(awaitWebhooks(video, 1).get(0).json().getAsJsonArray("output")).get(0);
    String audioUrl =
        strings(awaitWebhooks(audio, 1).get(0).json().getAsJsonArray("output")).get(0);
    HttpResponse<byte[]> mp4 = Http.bytes(videoUrl);
    HttpResponse<byte[]> mp3 = Http.bytes(audioUrl);

    assertTrue(videoUrl.endsWith(".mp4"), videoUrl);
    assertEquals(Optional.of("video/mp4"), mp4.headers().firstValue("Content-Type"));
    assertEquals(3.0, Mp4Boxes.parse(mp4.body()).durationSeconds(), 1e-9);
    assertTrue(audioUrl.endsWith(".mp3"), audioUrl);
    assertEquals(Optional.of("audio/mpeg"), mp3.headers().firstValue("Content-Type"));
    assertEquals(MediaMaker.mp3Frames(4), Mp3Frames.count(mp3.body()));
  }

  @Test
  void failEndsFailedWithAnErrorAndCallsTheWebhook() throws Exception {
    String id = create("acme/pixel", "a bridge #FAIL please", 1);

    JsonObject body = awaitWebhooks(id, 1).get(0).json();

    assertEquals("failed", body.get("status").getAsString());
    assertTrue(body.get("error").getAsString().contains("#fail"));
    assertTrue(body.get("output").isJsonNull());
    assertEquals(PredictionStatus.FAILED, provider.prediction(id).orElseThrow().status());
  }

  @Test
  void slowTakesTheSlowDelay() throws Exception {
    String id = create("acme/pixel", "#slow a glacier", 1);

    Await.until("processing", WAIT, () -> status(id).equals("processing"));
    Thread.sleep(COMPLETION.multipliedBy(3).toMillis());
    assertEquals("processing", status(id), "still running after the ordinary delay");
    assertTrue(receiver.receivedFor(id).isEmpty());

    Received hook = awaitWebhooks(id, 1).get(0);
    ReceivedPrediction done = provider.prediction(id).orElseThrow();
    assertEquals("succeeded", hook.json().get("status").getAsString());
    assertTrue(
        Duration.between(done.createdAt(), done.completedAt().orElseThrow()).compareTo(SLOW) >= 0);
  }

  @Test
  void noWebhookSucceedsButNeverCallsBack() throws Exception {
    String id = create("acme/pixel", "a quiet room #nowebhook", 1);

    Await.until("succeeded", WAIT, () -> status(id).equals("succeeded"));
    Thread.sleep(500);

    assertTrue(receiver.receivedFor(id).isEmpty());
    assertTrue(provider.webhookDeliveries().stream().noneMatch(d -> d.predictionId().equals(id)));
    assertEquals(1, provider.prediction(id).orElseThrow().output().size());
  }

  @Test
  void dupWebhookDeliversTheSameSignedEventTwice() throws Exception {
    String id = create("acme/pixel", "twins #dupwebhook", 1);

    List<Received> hooks = awaitWebhooks(id, 2);
    Thread.sleep(300);

    assertEquals(2, receiver.receivedFor(id).size(), "exactly twice");
    assertTrue(hooks.get(0).valid() && hooks.get(1).valid());
    assertEquals(hooks.get(0).webhookId(), hooks.get(1).webhookId());
    assertArrayEquals(hooks.get(0).body(), hooks.get(1).body());
    assertEquals(
        List.of(1, 2),
        provider.webhookDeliveries().stream()
            .filter(d -> d.predictionId().equals(id))
            .map(WebhookDelivery::copy)
            .sorted()
            .toList());
  }

  @Test
  void oversizeStreamsMoreThanTheLimitWithTheMediaContentType() throws Exception {
    String id = create("acme/pixel", "a huge canvas #oversize", 1);
    String url = strings(awaitWebhooks(id, 1).get(0).json().getAsJsonArray("output")).get(0);

    HttpResponse<InputStream> media =
        Http.CLIENT.send(
            HttpRequest.newBuilder(URI.create(url)).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    long total = 0;
    byte[] head = new byte[8];
    try (InputStream in = media.body()) {
      byte[] buffer = new byte[64 * 1024];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (total < 8) {
          System.arraycopy(buffer, 0, head, (int) total, (int) Math.min(8 - total, n));
        }
        total += n;
      }
    }

    assertEquals(200, media.statusCode());
    assertEquals(Optional.of("image/png"), media.headers().firstValue("Content-Type"));
    assertTrue(
        media.headers().firstValue("Content-Length").isEmpty(),
        "no length: the receiver must count");
    assertEquals(OVERSIZE, total);
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}, head);
  }

  @Test
  void badTypeServesHtmlInsteadOfMedia() throws Exception {
    String id = create("acme/clip", "#badtype a parade", 1);
    String url = strings(awaitWebhooks(id, 1).get(0).json().getAsJsonArray("output")).get(0);

    HttpResponse<byte[]> media = Http.bytes(url);

    assertEquals(200, media.statusCode());
    assertTrue(media.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
    assertTrue(new String(media.body()).startsWith("<!doctype html>"));
  }

  @Test
  void partialReturnsOneOutputFewerThanAsked() throws Exception {
    String three = create("acme/pixel", "#partial three cats", 3);
    String one = create("acme/pixel", "#partial one cat", 1);

    JsonObject threeBody = awaitWebhooks(three, 1).get(0).json();
    JsonObject oneBody = awaitWebhooks(one, 1).get(0).json();

    assertEquals("succeeded", threeBody.get("status").getAsString());
    assertEquals(2, threeBody.getAsJsonArray("output").size());
    assertEquals("succeeded", oneBody.get("status").getAsString());
    assertEquals(0, oneBody.getAsJsonArray("output").size());
    assertEquals(3, provider.prediction(three).orElseThrow().numOutputs());
  }

  @Test
  void markersCombine() throws Exception {
    String id = create("acme/pixel", "#SLOW #Fail #dupwebhook", 1);

    List<Received> hooks = awaitWebhooks(id, 2);

    assertEquals("failed", hooks.get(0).json().get("status").getAsString());
    ReceivedPrediction done = provider.prediction(id).orElseThrow();
    assertTrue(
        Duration.between(done.createdAt(), done.completedAt().orElseThrow()).compareTo(SLOW) >= 0);
  }

  @Test
  void cancelStopsARunningPredictionAndSendsACanceledWebhook() throws Exception {
    String id = create("acme/pixel", "#slow to be canceled", 1);

    Http.Answer canceled = Http.post(provider.url() + "/v1/predictions/" + id + "/cancel", "");
    List<Received> hooks = awaitWebhooks(id, 1);
    Thread.sleep(SLOW.plusMillis(300).toMillis());

    assertEquals(200, canceled.status());
    assertEquals("canceled", canceled.json().get("status").getAsString());
    assertEquals("canceled", hooks.get(0).json().get("status").getAsString());
    assertEquals("canceled", status(id), "its completion never happens");
    assertEquals(1, receiver.receivedFor(id).size());
  }

  @Test
  void cancelingAFinishedPredictionChangesNothing() throws Exception {
    String id = create("acme/pixel", "done already", 1);
    awaitWebhooks(id, 1);

    Http.Answer answer = Http.post(provider.url() + "/v1/predictions/" + id + "/cancel", "");
    Thread.sleep(200);

    assertEquals(200, answer.status());
    assertEquals("succeeded", answer.json().get("status").getAsString());
    assertEquals(1, answer.json().getAsJsonArray("output").size());
    assertEquals(1, receiver.receivedFor(id).size(), "no second webhook");
  }

  @Test
  void aRefusedWebhookIsRetriedUnderTheSameIdUntilAccepted() throws Exception {
    try (WebhookReceiver flaky = WebhookReceiver.start(provider.webhookSecret())) {
      flaky.answerNext(500, 503);
      String id = create("acme/pixel", "retry me", 1, null, flaky.url("/hook"));

      // The stand-in records an attempt when the answer reaches it, a moment after the receiver saw
      // it.
      Await.until(
          "an accepted delivery",
          WAIT,
          () ->
              provider.webhookDeliveries().stream()
                  .anyMatch(d -> d.predictionId().equals(id) && d.delivered()));
      List<Received> got = flaky.receivedFor(id);
      List<WebhookDelivery> attempts =
          provider.webhookDeliveries().stream().filter(d -> d.predictionId().equals(id)).toList();

      assertEquals(List.of(500, 503, 204), got.stream().map(Received::answeredWith).toList());
      assertTrue(got.stream().allMatch(Received::valid), "each retry is signed afresh");
      assertEquals(1, got.stream().map(Received::webhookId).distinct().count(), "one webhook-id");
      assertEquals(List.of(1, 2, 3), attempts.stream().map(WebhookDelivery::attempt).toList());
      assertTrue(attempts.get(2).delivered());
    }
  }

  @Test
  void anUnreachableWebhookIsTriedFourTimesThenDropped() throws Exception {
    URI nowhere;
    try (java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      nowhere = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/hook");
    }
    String id = create("acme/pixel", "nobody listens", 1, null, nowhere);

    Await.until(
        "four attempts",
        WAIT,
        () ->
            provider.webhookDeliveries().stream().filter(d -> d.predictionId().equals(id)).count()
                == 4);
    Thread.sleep(1000);
    List<WebhookDelivery> attempts =
        provider.webhookDeliveries().stream().filter(d -> d.predictionId().equals(id)).toList();

    assertEquals(4, attempts.size(), "1 try + 3 retries, then it gives up");
    assertTrue(attempts.stream().allMatch(d -> d.httpStatus() == 0 && d.failure().isPresent()));
    assertEquals(1, attempts.stream().map(WebhookDelivery::webhookId).distinct().count());
  }

  @Test
  void theStandInRecordsWhatItReceived() throws Exception {
    String id =
        create(
            "acme/clip",
            "recorded",
            2,
            "\"duration\": 2, \"aspect_ratio\": \"16:9\", " + "\"negative_prompt\": \"blur\"");

    ReceivedPrediction got = provider.prediction(id).orElseThrow();

    assertEquals("acme/clip", got.model());
    assertEquals(MediaKind.VIDEO, got.kind());
    assertEquals(2, got.numOutputs());
    assertEquals(2.0, got.durationSeconds());
    assertEquals("16:9", got.aspectRatio());
    assertEquals("blur", got.input().get("negative_prompt"));
    assertEquals(Optional.of(receiver.url("/hook")), got.webhook());
    assertTrue(provider.predictions().stream().anyMatch(p -> p.id().equals(id)));
    awaitWebhooks(id, 1);
  }

  private static String create(String model, String prompt, int numOutputs) throws Exception {
    return create(model, prompt, numOutputs, null);
  }

  private static String create(String model, String prompt, int numOutputs, String extraInput)
      throws Exception {
    return create(model, prompt, numOutputs, extraInput, receiver.url("/hook"));
  }

  private static String create(
      String model, String prompt, int numOutputs, String extraInput, URI webhook)
      throws Exception {
    String body =
        "{\"version\": \""
            + model
            + "\", \"input\": {\"prompt\": \""
            + prompt
            + "\", \"num_outputs\": "
            + numOutputs
            + (extraInput == null ? "" : ", " + extraInput)
            + "}, \"webhook\": \""
            + webhook
            + "\", \"webhook_events_filter\": [\"completed\"]}";
    Http.Answer answer = Http.post(provider.url() + "/v1/predictions", body);
    assertEquals(201, answer.status(), answer.body());
    assertEquals("starting", answer.json().get("status").getAsString());
    return answer.json().get("id").getAsString();
  }

  private static String status(String id) {
    try {
      return Http.get(provider.url() + "/v1/predictions/" + id).json().get("status").getAsString();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static List<Received> awaitWebhooks(String id, int count) {
    Await.until(
        count + " webhook(s) for " + id, WAIT, () -> receiver.receivedFor(id).size() >= count);
    List<Received> got = receiver.receivedFor(id);
    got.forEach(r -> assertTrue(r.valid(), "signature verifies: " + r.verification()));
    assertNotEquals(0, got.size());
    return got;
  }

  private static List<String> strings(JsonArray array) {
    return array.asList().stream().map(JsonElement::getAsString).toList();
  }
}
