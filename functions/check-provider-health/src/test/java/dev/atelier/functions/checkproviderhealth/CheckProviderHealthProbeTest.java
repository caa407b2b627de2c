package dev.atelier.functions.checkproviderhealth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.atelier.provider.standin.StandInOptions;
import dev.atelier.provider.standin.StandInProvider;
import dev.atelier.providers.HealthProbe;
import dev.atelier.providers.ProviderSettings;
import dev.atelier.providers.ReplicateProvider;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The adapter's health probe against a stand-in that requires an API token, as Replicate does: the
 * production default (an authenticated {@code GET /v1/account}), its classification, and the token
 * never going to another origin.
 */
class CheckProviderHealthProbeTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private StandInProvider standIn;

  @BeforeEach
  void start() throws Exception {
    standIn = StandInProvider.start(StandInOptions.defaults().withApiToken("r8_right"));
  }

  @AfterEach
  void stop() {
    standIn.close();
  }

  private HealthProbe probe(ProviderSettings settings) {
    return new ReplicateProvider(settings, Duration.ofSeconds(10)).probe(TIMEOUT);
  }

  private ProviderSettings settings(String token) {
    return new ProviderSettings(
        "replicate",
        ProviderSettings.Protocol.REPLICATE,
        URI.create(standIn.url()),
        Optional.ofNullable(token),
        Optional.empty());
  }

  @Test
  void theDefaultProbeIsAnAuthenticatedGetOfTheAccount() {
    assertEquals(URI.create(standIn.url() + "/v1/account"), settings("r8_right").healthUrl());
    HealthProbe ok = probe(settings("r8_right"));
    assertEquals(HealthProbe.Outcome.OK, ok.outcome());
    assertEquals(200, ok.httpStatus());
    assertTrue(ok.answered());
    assertNull(ok.detail());

    HealthProbe wrong = probe(settings("r8_wrong"));
    assertEquals(HealthProbe.Outcome.FAILED, wrong.outcome(), "a bad token is a failing API");
    assertEquals(401, wrong.httpStatus());
    assertTrue(wrong.detail().startsWith("answered 401"), wrong.detail());
    assertFalse(wrong.detail().contains("r8_"), "never the token");
  }

  @Test
  void throttledDownSlowAndSilentAreClassified() {
    standIn.setThrottled(true);
    HealthProbe throttled = probe(settings("r8_right"));
    assertEquals(HealthProbe.Outcome.THROTTLED, throttled.outcome());
    assertEquals(429, throttled.httpStatus());

    standIn.setHealthy(false);
    HealthProbe down = probe(settings("r8_right"));
    assertEquals(HealthProbe.Outcome.FAILED, down.outcome());
    assertEquals(503, down.httpStatus());

    standIn.setHealthy(true);
    standIn.setHealthLatency(TIMEOUT.plusMillis(500));
    long started = System.nanoTime();
    HealthProbe silent = probe(settings("r8_right"));
    assertEquals(HealthProbe.Outcome.FAILED, silent.outcome());
    assertNull(silent.latency());
    assertEquals(0, silent.httpStatus());
    assertTrue(silent.detail().contains("no answer within 2000 ms"), silent.detail());
    assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(TIMEOUT.plusSeconds(1)) < 0);

    String closed = "http://127.0.0.1:1";
    HealthProbe unreachable =
        probe(
            new ProviderSettings(
                "replicate",
                ProviderSettings.Protocol.REPLICATE,
                URI.create(closed),
                Optional.empty(),
                Optional.empty()));
    assertEquals(HealthProbe.Outcome.FAILED, unreachable.outcome());
    assertTrue(unreachable.detail().startsWith("unreachable"), unreachable.detail());
  }

  @Test
  void theTokenGoesOnlyToTheApisOwnOrigin() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    HttpServer other =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
    other.createContext(
        "/",
        exchange -> {
          seen.add(
              Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization"))
                  .orElse("none"));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    other.start();
    try {
      String elsewhere = "http://127.0.0.1:" + other.getAddress().getPort() + "/status";
      ProviderSettings s = settings("r8_right").withHealthUrl(elsewhere);
      assertFalse(s.healthUrlOnBaseOrigin());
      assertEquals(HealthProbe.Outcome.OK, probe(s).outcome());
      assertEquals(List.of("none"), seen);

      ProviderSettings own = settings("r8_right").withHealthUrl("/health");
      assertTrue(own.healthUrlOnBaseOrigin());
      assertEquals(URI.create(standIn.url() + "/health"), own.healthUrl());
      assertEquals(HealthProbe.Outcome.OK, probe(own).outcome());
    } finally {
      other.stop(0);
    }
  }

  @Test
  void theEnvironmentNamesTheHealthUrl() {
    Map<String, String> env =
        Map.of(
            "PROVIDERS", "replicate,selfhost",
            "PROVIDER_REPLICATE_URL", "https://api.replicate.com/",
            "PROVIDER_SELFHOST_URL", "https://gateway.example.com",
            "PROVIDER_SELFHOST_HEALTH_URL", "/healthz");
    List<ProviderSettings> all = ProviderSettings.fromEnv(env);
    assertEquals(URI.create("https://api.replicate.com/v1/account"), all.get(0).healthUrl());
    assertEquals(URI.create("https://gateway.example.com/healthz"), all.get(1).healthUrl());
    assertEquals(
        URI.create("https://status.example.com/api"),
        ProviderSettings.fromEnv(
                Map.of(
                    "PROVIDERS", "x",
                    "PROVIDER_X_URL", "https://api.example.com",
                    "PROVIDER_X_HEALTH_URL", "https://status.example.com/api"))
            .get(0)
            .healthUrl());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            ProviderSettings.fromEnv(
                Map.of(
                    "PROVIDERS", "x",
                    "PROVIDER_X_URL", "https://api.example.com",
                    "PROVIDER_X_HEALTH_URL", "ftp://status.example.com")));
  }
}
