package dev.atelier.provider.standin;

import com.sun.net.httpserver.HttpServer;
import dev.atelier.generations.MediaKind;
import dev.atelier.providers.StandardWebhooks;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A loopback generation provider that speaks Replicate's predictions API, for the local stack and
 * the tests (never deployed). Markers in the prompt pick what happens ({@link Marker}); outputs are
 * real PNG, MP4 (H.264) and MP3 files it serves itself; completion webhooks are signed with
 * Standard Webhooks.
 *
 * <pre>
 * try (StandInProvider provider = StandInProvider.start(StandInOptions.defaults().withModel("acme/pixel", IMAGE))) {
 *   // point a ReplicateProvider at provider.url(), verify its webhooks with provider.webhookSecret()
 * }
 * </pre>
 */
public final class StandInProvider implements AutoCloseable {
  private final StandInOptions options;
  private final String webhookSecret;
  private final HttpServer server;
  private final ExecutorService httpExecutor;
  private final ScheduledThreadPoolExecutor scheduler;
  private final WebhookSender webhooks;
  private final AtomicBoolean healthy = new AtomicBoolean(true);
  private final AtomicBoolean throttled = new AtomicBoolean(false);
  private final AtomicLong healthLatencyMillis = new AtomicLong(0);
  private volatile Consumer<ReceivedPrediction> onCreated = prediction -> {};

  /** Insertion order is kept by {@link #order}; lookups by id go through the map. */
  private final Map<String, PredictionState> byId = new ConcurrentHashMap<>();

  private final List<String> order = new ArrayList<>();

  private StandInProvider(StandInOptions options, String webhookSecret) throws IOException {
    this.options = options;
    this.webhookSecret = webhookSecret;
    AtomicInteger threads = new AtomicInteger();
    this.scheduler =
        new ScheduledThreadPoolExecutor(
            2, runnable -> daemon(runnable, "standin-scheduler-" + threads.incrementAndGet()));
    scheduler.setRemoveOnCancelPolicy(true);
    this.webhooks = new WebhookSender(webhookSecret, scheduler, options.log());
    this.httpExecutor =
        Executors.newCachedThreadPool(
            runnable -> daemon(runnable, "standin-http-" + threads.incrementAndGet()));
    this.server =
        HttpServer.create(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), options.port()), 64);
    server.createContext("/", new ApiHandler(this));
    server.setExecutor(httpExecutor);
  }

  /** Starts on 127.0.0.1 (port 0 picks a free one). */
  public static StandInProvider start(StandInOptions options) throws IOException {
    String secret = options.webhookSecret().orElseGet(StandardWebhooks::newSecret);
    // Fails here, not at the first webhook, when the secret is unusable.
    StandardWebhooks.sign(secret, "msg_check", 0, new byte[0]);
    StandInProvider provider = new StandInProvider(options, secret);
    provider.server.start();
    return provider;
  }

  /**
   * {@code http://127.0.0.1:PORT}, the provider's base URL (what {@code PROVIDER_<ID>_URL} points
   * at).
   */
  public String url() {
    return "http://127.0.0.1:" + port();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * The {@code whsec_…} secret its webhooks are signed with (generated when the options had none).
   */
  public String webhookSecret() {
    return webhookSecret;
  }

  /** The bearer token its API requires, if any. */
  public Optional<String> apiToken() {
    return options.apiToken();
  }

  /** The model table it was started with. */
  public Map<String, MediaKind> models() {
    return options.models();
  }

  /**
   * Down: {@code GET /health} and every {@code /v1} call answer 503 (also {@code POST
   * /_control/health {"status": "down"}}); up also ends throttling.
   */
  public void setHealthy(boolean up) {
    healthy.set(up);
    if (up) {
      throttled.set(false);
    }
    options.log().accept("health set " + (up ? "up" : "down"));
  }

  public boolean healthy() {
    return healthy.get();
  }

  /**
   * Throttled: {@code GET /health} and every {@code /v1} call answer 429 with {@code Retry-After}
   * (as Replicate does when over its rate limit); down wins over throttled. Also {@code POST
   * /_control/health {"status": "throttled"}}.
   */
  public void setThrottled(boolean on) {
    throttled.set(on);
    options.log().accept("throttling " + (on ? "on" : "off"));
  }

  public boolean throttled() {
    return throttled.get();
  }

  /**
   * How long {@code GET /health} and {@code GET /v1/account} (what a health probe calls) take to
   * answer; zero by default. Also {@code POST /_control/health {"status": "up", "latencyMs": N}}.
   */
  public void setHealthLatency(Duration latency) {
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency must not be negative");
    }
    healthLatencyMillis.set(latency.toMillis());
    options.log().accept("health latency " + latency.toMillis() + " ms");
  }

  public Duration healthLatency() {
    return Duration.ofMillis(healthLatencyMillis.get());
  }

  /** Every prediction it received, oldest first, as they stand now. */
  public List<ReceivedPrediction> predictions() {
    List<String> ids;
    synchronized (order) {
      ids = List.copyOf(order);
    }
    return ids.stream().map(byId::get).map(PredictionState::snapshot).toList();
  }

  public Optional<ReceivedPrediction> prediction(String id) {
    return Optional.ofNullable(byId.get(id)).map(PredictionState::snapshot);
  }

  /**
   * Runs {@code hook} with each new prediction after it is taken and before the create call is
   * answered: a test acts at exactly the moment the provider has the job and its caller does not
   * know yet.
   */
  public void onCreated(Consumer<ReceivedPrediction> hook) {
    onCreated = hook;
  }

  /** Every webhook delivery attempt so far, in the order the answers came. */
  public List<WebhookDelivery> webhookDeliveries() {
    return webhooks.deliveries();
  }

  @Override
  public void close() {
    server.stop(0);
    scheduler.shutdownNow();
    httpExecutor.shutdownNow();
  }

  StandInOptions options() {
    return options;
  }

  ScheduledThreadPoolExecutor scheduler() {
    return scheduler;
  }

  WebhookSender webhooks() {
    return webhooks;
  }

  Optional<PredictionState> find(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  void add(PredictionState prediction) {
    synchronized (order) {
      byId.put(prediction.id, prediction);
      order.add(prediction.id);
    }
    onCreated.accept(prediction.snapshot());
  }

  private static Thread daemon(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    return thread;
  }
}
