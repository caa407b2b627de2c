package dev.atelier.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import dev.atelier.generations.MediaKind;
import dev.atelier.provider.standin.Await;
import dev.atelier.provider.standin.ReceivedPrediction;
import dev.atelier.provider.standin.StandInOptions;
import dev.atelier.provider.standin.StandInProvider;
import dev.atelier.providers.ProviderException.Kind;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The Replicate adapter against the stand-in (and, for answers the stand-in never gives, a canned
 * server).
 */
class ReplicateProviderTest {
  private static final String TOKEN = "r8_adapter_test_token_0123456789";
  private static final Duration TIMEOUT = Duration.ofMillis(800);
  private static final URI WEBHOOK = URI.create("http://127.0.0.1:9/provider-webhook");
  private static final AtomicInteger REQUESTS = new AtomicInteger();

  private static StandInProvider standIn;
  private static ReplicateProvider replicate;

  @BeforeAll
  static void start() throws Exception {
    standIn =
        StandInProvider.start(
            StandInOptions.defaults()
                .withModel("acme/pixel", MediaKind.IMAGE)
                .withApiToken(TOKEN)
                .withCompletionDelay(Duration.ofMillis(100))
                .withSlowDelay(Duration.ofSeconds(5))
                .withLog(
                    line -> {
                      // Request lines only: completions of earlier tests' predictions log too.
                      if (line.startsWith("GET ") || line.startsWith("POST ")) {
                        REQUESTS.incrementAndGet();
                      }
                    }));
    replicate = adapter(standIn.url(), Optional.of(TOKEN));
  }

  @AfterAll
  static void stop() {
    standIn.close();
  }

  @Test
  void createSendsTheModelInputAndWebhookAndReturnsTheStartingPrediction() throws Exception {
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("prompt", "a red kite");
    input.put("num_outputs", 2L);
    input.put("aspect_ratio", "16:9");

    Prediction created = replicate.create(new PredictionRequest("acme/pixel", input, WEBHOOK));

    assertEquals(PredictionStatus.STARTING, created.status());
    assertEquals(List.of(), created.output());
    ReceivedPrediction received = standIn.prediction(created.id()).orElseThrow();
    assertEquals("acme/pixel", received.model());
    assertEquals("a red kite", received.prompt());
    assertEquals(2, received.numOutputs());
    assertEquals("16:9", received.aspectRatio());
    assertEquals(Optional.of(WEBHOOK), received.webhook());
  }

  @Test
  void getFollowsThePredictionToItsOutputs() throws Exception {
    Prediction created = replicate.create(request("three lanterns", 3));

    Await.until(
        "succeeded",
        Duration.ofSeconds(10),
        () -> status(created.id()) == PredictionStatus.SUCCEEDED);
    Prediction done = replicate.get(created.id());

    assertEquals(created.id(), done.id());
    assertEquals(3, done.output().size());
    assertTrue(
        done.output().stream()
            .allMatch(u -> u.startsWith(standIn.url() + "/media/" + created.id() + "/")));
    assertEquals(null, done.error());
  }

  @Test
  void aFailedPredictionCarriesTheProvidersError() throws Exception {
    Prediction created = replicate.create(request("#fail now", 1));

    Await.until(
        "failed", Duration.ofSeconds(10), () -> status(created.id()) == PredictionStatus.FAILED);
    Prediction failed = replicate.get(created.id());

    assertTrue(failed.error().contains("#fail"), failed.error());
    assertEquals(List.of(), failed.output());
  }

  @Test
  void cancelStopsARunningPrediction() throws Exception {
    Prediction created = replicate.create(request("#slow cancel me", 1));

    Prediction canceled = replicate.cancel(created.id());

    assertEquals(PredictionStatus.CANCELED, canceled.status());
    assertEquals(PredictionStatus.CANCELED, replicate.get(created.id()).status());
  }

  @Test
  void anUnknownModelIsRefusedWithReplicatesDetail() {
    ProviderException e =
        assertThrows(
            ProviderException.class,
            () ->
                replicate.create(
                    new PredictionRequest("acme/nope", Map.of("prompt", "x"), WEBHOOK)));

    assertEquals(Kind.REFUSED, e.kind());
    assertEquals(422, e.httpStatus());
    assertTrue(e.getMessage().contains("Unknown model 'acme/nope'"), e.getMessage());
  }

  @Test
  void aMissingPromptIsRefused() {
    ProviderException e =
        assertThrows(
            ProviderException.class,
            () -> replicate.create(new PredictionRequest("acme/pixel", Map.of(), WEBHOOK)));

    assertEquals(Kind.REFUSED, e.kind());
    assertTrue(e.getMessage().contains("input.prompt is required"), e.getMessage());
  }

  @Test
  void aWrongTokenIsRefusedAndNeverAppearsInTheMessage() {
    String wrong = "r8_wrong_secret_token_value";
    ProviderException e =
        assertThrows(
            ProviderException.class,
            () -> adapter(standIn.url(), Optional.of(wrong)).create(request("x", 1)));
    ProviderException none =
        assertThrows(
            ProviderException.class,
            () -> adapter(standIn.url(), Optional.empty()).create(request("x", 1)));

    assertEquals(Kind.REFUSED, e.kind());
    assertEquals(401, e.httpStatus());
    assertFalse(e.getMessage().contains(wrong));
    assertFalse(e.getMessage().contains(TOKEN));
    assertEquals(Kind.REFUSED, none.kind());
  }

  @Test
  void aProviderSetDownIsUnavailable() throws Exception {
    Prediction created = replicate.create(request("before the outage", 1));
    standIn.setHealthy(false);
    try {
      ProviderException create =
          assertThrows(ProviderException.class, () -> replicate.create(request("x", 1)));
      ProviderException get =
          assertThrows(ProviderException.class, () -> replicate.get(created.id()));

      assertEquals(Kind.UNAVAILABLE, create.kind());
      assertEquals(503, create.httpStatus());
      assertEquals(Kind.UNAVAILABLE, get.kind());
    } finally {
      standIn.setHealthy(true);
    }
  }

  @Test
  void anUnknownPredictionIsNotFound() {
    assertKind(Kind.NOT_FOUND, () -> replicate.get("doesnotexist"));
    assertKind(Kind.NOT_FOUND, () -> replicate.cancel("doesnotexist"));
  }

  @Test
  void idsThatCouldEscapeTheUrlPathAreRefusedWithoutACall() {
    int before = REQUESTS.get();
    for (String id :
        new String[] {
          "../v1/predictions", "a/b", "a b", "a?b", "a%2Fb", "", "x".repeat(129), null
        }) {
      assertKind(Kind.REFUSED, () -> replicate.get(id));
      assertKind(Kind.REFUSED, () -> replicate.cancel(id));
    }
    assertEquals(before, REQUESTS.get(), "nothing reached the provider");
  }

  @Test
  void aServerThatNeverAnswersIsUnavailableWithinTheTimeout() throws Exception {
    List<Socket> accepted = new CopyOnWriteArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    accepted.add(silent.accept()); // and never answer
                  }
                } catch (IOException closed) {
                  // test over
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      ReplicateProvider stuck =
          adapter("http://127.0.0.1:" + silent.getLocalPort(), Optional.empty());

      long start = System.nanoTime();
      ProviderException e =
          assertThrows(ProviderException.class, () -> stuck.create(request("x", 1)));
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertEquals(Kind.UNAVAILABLE, e.kind());
      assertEquals(0, e.httpStatus());
      assertTrue(took.compareTo(TIMEOUT.plusMillis(1000)) < 0, "gave up after " + took);
      assertTrue(took.compareTo(TIMEOUT.minusMillis(100)) >= 0, "waited the timeout: " + took);
      assertFalse(accepted.isEmpty(), "it did connect");
    } finally {
      for (Socket socket : accepted) {
        socket.close();
      }
    }
  }

  @Test
  void aServerThatStallsMidBodyIsUnavailableWithinTheTimeout() throws Exception {
    try (Canned canned =
        Canned.start(
            exchange -> {
              exchange.getResponseHeaders().set("Content-Type", "application/json");
              exchange.sendResponseHeaders(200, 1000);
              exchange
                  .getResponseBody()
                  .write("{\"id\": \"abc\",".getBytes(StandardCharsets.UTF_8));
              exchange.getResponseBody().flush();
              sleep(TIMEOUT.multipliedBy(4));
            })) {
      long start = System.nanoTime();
      assertKind(Kind.UNAVAILABLE, () -> adapter(canned.url(), Optional.empty()).get("abc"));
      assertTrue(
          Duration.ofNanos(System.nanoTime() - start).compareTo(TIMEOUT.plusMillis(1000)) < 0);
    }
  }

  /**
   * The money path's guard: a create is never sent twice. The server answers the first create on a
   * kept-alive connection, then reads the second and drops the connection unanswered (the case in
   * which HttpURLConnection would silently send a POST again if its body were not streamed).
   */
  @Test
  void aCreateWhoseConnectionDropsUnansweredIsNotSentAgain() throws Exception {
    java.util.concurrent.atomic.AtomicInteger posts =
        new java.util.concurrent.atomic.AtomicInteger();
    try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
      Thread serving =
          new Thread(
              () -> {
                try {
                  while (true) {
                    java.net.Socket socket = server.accept();
                    var in =
                        new java.io.BufferedReader(
                            new java.io.InputStreamReader(
                                socket.getInputStream(), StandardCharsets.ISO_8859_1));
                    for (int request = 0; ; request++) {
                      String line = in.readLine();
                      if (line == null) {
                        break;
                      }
                      int length = 0;
                      for (String h; (h = in.readLine()) != null && !h.isEmpty(); ) {
                        if (h.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                          length = Integer.parseInt(h.substring(15).trim());
                        }
                      }
                      in.skip(length);
                      if (line.startsWith("POST ")) {
                        posts.incrementAndGet();
                      }
                      if (request > 0) {
                        socket.close(); // read, never answered
                        break;
                      }
                      byte[] body =
                          "{\"id\": \"p1\", \"status\": \"starting\"}"
                              .getBytes(StandardCharsets.UTF_8);
                      socket
                          .getOutputStream()
                          .write(
                              ("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
                                      + "Content-Length: "
                                      + body.length
                                      + "\r\n\r\n")
                                  .getBytes(StandardCharsets.ISO_8859_1));
                      socket.getOutputStream().write(body);
                      socket.getOutputStream().flush();
                    }
                  }
                } catch (IOException closed) {
                  // the test is over
                }
              },
              "dropping-server");
      serving.setDaemon(true);
      serving.start();
      ReplicateProvider adapter =
          adapter("http://127.0.0.1:" + server.getLocalPort(), Optional.of(TOKEN));
      assertEquals("p1", adapter.create(request("x", 1)).id());
      assertKind(Kind.UNAVAILABLE, () -> adapter.create(request("x", 1)));
      sleep(Duration.ofMillis(300));
      assertEquals(2, posts.get(), "each create reached the server once");
    }
  }

  @Test
  void nobodyListeningIsUnavailable() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    assertKind(
        Kind.UNAVAILABLE,
        () -> adapter("http://127.0.0.1:" + port, Optional.empty()).create(request("x", 1)));
  }

  @Test
  void statusesAreClassifiedAsTheInterfaceSays() throws Exception {
    Object[][] cases = {
      {400, Kind.REFUSED},
      {401, Kind.REFUSED},
      {402, Kind.REFUSED},
      {403, Kind.REFUSED},
      {404, Kind.REFUSED},
      {409, Kind.REFUSED},
      {422, Kind.REFUSED},
      {408, Kind.UNAVAILABLE},
      {429, Kind.UNAVAILABLE},
      {500, Kind.UNAVAILABLE},
      {502, Kind.UNAVAILABLE},
      {503, Kind.UNAVAILABLE},
      {504, Kind.UNAVAILABLE},
    };
    for (Object[] c : cases) {
      int status = (Integer) c[0];
      try (Canned canned =
          Canned.answering(
              status,
              "{\"title\": \"t\", \"detail\": \"detail of "
                  + status
                  + "\", \"status\": "
                  + status
                  + "}")) {
        ProviderException e =
            assertThrows(
                ProviderException.class,
                () -> adapter(canned.url(), Optional.of(TOKEN)).create(request("x", 1)));

        assertEquals(c[1], e.kind(), "create answered " + status);
        assertEquals(status, e.httpStatus());
        // A 401 to a POST comes without its body (HttpURLConnection in streaming mode): the
        // adapter says what a 401 means instead.
        assertTrue(
            e.getMessage()
                .contains(status == 401 ? ReplicateProvider.UNAUTHORIZED : "detail of " + status),
            e.getMessage());
        assertFalse(e.getMessage().contains(TOKEN));
      }
    }
  }

  @Test
  void aNonJsonErrorBodyStillClassifies() throws Exception {
    try (Canned canned = Canned.answering(502, "<html>Bad Gateway</html>")) {
      ProviderException e =
          assertThrows(
              ProviderException.class,
              () -> adapter(canned.url(), Optional.empty()).create(request("x", 1)));

      assertEquals(Kind.UNAVAILABLE, e.kind());
      assertEquals(502, e.httpStatus());
    }
  }

  @Test
  void theCreateRequestIsReplicatesJson() throws Exception {
    try (Canned canned =
        Canned.answering(201, "{\"id\": \"abc\", \"status\": \"starting\", \"output\": null}")) {
      adapter(canned.url(), Optional.of(TOKEN))
          .create(
              new PredictionRequest(
                  "owner/name:0123", Map.of("prompt", "p", "num_outputs", 2L), WEBHOOK));

      Canned.Request sent = canned.requests().get(0);
      JsonObject body = JsonParser.parseString(sent.body()).getAsJsonObject();
      assertEquals("POST", sent.method());
      assertEquals("/v1/predictions", sent.path());
      assertEquals("Bearer " + TOKEN, sent.authorization());
      assertEquals("application/json", sent.contentType());
      assertEquals("owner/name:0123", body.get("version").getAsString());
      assertEquals("p", body.getAsJsonObject("input").get("prompt").getAsString());
      assertEquals(2, body.getAsJsonObject("input").get("num_outputs").getAsInt());
      assertEquals(WEBHOOK.toString(), body.get("webhook").getAsString());
      assertEquals("[\"completed\"]", body.get("webhook_events_filter").toString());
    }
  }

  @Test
  void withoutATokenNoAuthorizationHeaderIsSent() throws Exception {
    try (Canned canned = Canned.answering(200, "{\"id\": \"abc\", \"status\": \"processing\"}")) {
      adapter(canned.url(), Optional.empty()).get("abc");

      assertEquals(null, canned.requests().get(0).authorization());
      assertEquals("GET", canned.requests().get(0).method());
      assertEquals("/v1/predictions/abc", canned.requests().get(0).path());
    }
  }

  @Test
  void outputMayBeNullAUrlOrAListAndUnknownFieldsAreIgnored() throws Exception {
    String[][] cases = {
      {
        "{\"id\": \"abc\", \"status\": \"succeeded\", \"output\": \"https://x/1.png\", \"extra\": {\"a\": 1}}",
        "[https://x/1.png]"
      },
      {
        "{\"id\": \"abc\", \"status\": \"succeeded\", \"output\": [\"https://x/1.png\", \"https://x/2.png\"]}",
        "[https://x/1.png, https://x/2.png]"
      },
      {"{\"id\": \"abc\", \"status\": \"processing\", \"output\": null}", "[]"},
      {"{\"id\": \"abc\", \"status\": \"starting\"}", "[]"},
    };
    for (String[] c : cases) {
      try (Canned canned = Canned.answering(200, c[0])) {
        assertEquals(
            c[1], adapter(canned.url(), Optional.empty()).get("abc").output().toString(), c[0]);
      }
    }
    try (Canned canned =
        Canned.answering(
            200,
            "{\"id\": \"abc\", \"status\": \"failed\", \"output\": null, \"error\": \"CUDA out of memory\"}")) {
      Prediction failed = adapter(canned.url(), Optional.empty()).get("abc");
      assertEquals(PredictionStatus.FAILED, failed.status());
      assertEquals("CUDA out of memory", failed.error());
    }
    try (Canned canned = Canned.answering(200, "{\"id\": \"abc\", \"status\": \"aborted\"}")) {
      assertEquals(
          PredictionStatus.CANCELED,
          adapter(canned.url(), Optional.empty()).get("abc").status(),
          "aborted (deadline passed before it started) ends like a cancel");
    }
  }

  @Test
  void aMalformedSuccessAnswerIsUnavailable() throws Exception {
    String[] bodies = {
      "not json",
      "[]",
      "{}",
      "{\"id\": \"abc\"}",
      "{\"id\": \"abc\", \"status\": \"exploded\"}",
      "{\"id\": \"abc\", \"status\": \"succeeded\", \"output\": {\"url\": \"x\"}}",
      "{\"id\": \"abc\", \"status\": \"succeeded\", \"output\": [1, 2]}",
      "{\"id\": \"../etc\", \"status\": \"starting\"}",
      "{\"id\": \"other\", \"status\": \"starting\"}", // get("abc") answered about another
      // prediction
    };
    for (String body : bodies) {
      try (Canned canned = Canned.answering(200, body)) {
        ProviderException e =
            assertThrows(
                ProviderException.class,
                () -> adapter(canned.url(), Optional.empty()).get("abc"),
                body);
        assertEquals(Kind.UNAVAILABLE, e.kind(), body);
      }
    }
  }

  @Test
  void aHugeAnswerIsUnavailableRatherThanBuffered() throws Exception {
    try (Canned canned =
        Canned.start(
            exchange -> {
              exchange.sendResponseHeaders(200, 0);
              byte[] chunk = new byte[64 * 1024];
              java.util.Arrays.fill(chunk, (byte) ' ');
              try {
                for (int i = 0; i < 64; i++) { // 4 MiB of whitespace
                  exchange.getResponseBody().write(chunk);
                }
              } catch (IOException clientGaveUp) {
                // expected
              }
            })) {
      assertKind(Kind.UNAVAILABLE, () -> adapter(canned.url(), Optional.empty()).get("abc"));
    }
  }

  @Test
  void theRegistryBuildsAReplicateAdapterPerConfiguredProvider() {
    Providers providers =
        Providers.of(
            ProviderSettings.fromEnv(
                Map.of(
                    "PROVIDERS",
                    "replicate, standin",
                    "PROVIDER_REPLICATE_URL",
                    "https://api.replicate.com/",
                    "PROVIDER_REPLICATE_API_TOKEN",
                    TOKEN,
                    "PROVIDER_STANDIN_URL",
                    standIn.url())));

    assertEquals(List.of("replicate", "standin"), providers.ids());
    assertTrue(providers.adapter("replicate").orElseThrow() instanceof ReplicateProvider);
    assertEquals("standin", providers.adapter("standin").orElseThrow().id());
    assertEquals(Optional.empty(), providers.adapter("other"));
    assertFalse(providers.settings("replicate").orElseThrow().toString().contains(TOKEN));
  }

  private static PredictionStatus status(String id) {
    try {
      return replicate.get(id).status();
    } catch (ProviderException e) {
      throw new AssertionError(e);
    }
  }

  private static PredictionRequest request(String prompt, long numOutputs) {
    return new PredictionRequest(
        "acme/pixel", Map.of("prompt", prompt, "num_outputs", numOutputs), WEBHOOK);
  }

  private static ReplicateProvider adapter(String url, Optional<String> token) {
    return new ReplicateProvider(
        new ProviderSettings(
            "standin",
            ProviderSettings.Protocol.REPLICATE,
            URI.create(url),
            token,
            Optional.empty()),
        TIMEOUT);
  }

  private static void assertKind(Kind kind, Executable call) {
    ProviderException e = assertThrows(ProviderException.class, call);
    assertEquals(kind, e.kind(), e.getMessage());
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A loopback server with one canned behaviour, recording what it was sent. */
  private static final class Canned implements AutoCloseable {
    record Request(
        String method, String path, String authorization, String contentType, String body) {}

    interface Behaviour {
      void answer(com.sun.net.httpserver.HttpExchange exchange) throws IOException;
    }

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();

    private Canned(Behaviour behaviour) throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
      server.createContext(
          "/",
          exchange -> {
            try (exchange) {
              var headers = exchange.getRequestHeaders();
              synchronized (requests) {
                requests.add(
                    new Request(
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().getPath(),
                        headers.getFirst("Authorization"),
                        headers.getFirst("Content-Type"),
                        new String(
                            exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
              }
              behaviour.answer(exchange);
            }
          });
      server.setExecutor(
          java.util.concurrent.Executors.newCachedThreadPool(
              r -> {
                Thread t = new Thread(r, "canned");
                t.setDaemon(true);
                return t;
              }));
      server.start();
    }

    static Canned start(Behaviour behaviour) throws IOException {
      return new Canned(behaviour);
    }

    static Canned answering(int status, String body) throws IOException {
      return new Canned(
          exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
          });
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Request> requests() {
      synchronized (requests) {
        return List.copyOf(requests);
      }
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
