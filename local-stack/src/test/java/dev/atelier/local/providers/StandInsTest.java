package dev.atelier.local.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.generations.MediaKind;
import dev.atelier.local.manifest.FunctionManifest;
import dev.atelier.providers.ProviderSettings;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local stack's stand-in providers follow the catalog: one per provider, each with its routes'
 * models.
 */
class StandInsTest {

  private static final Path CATALOG =
      FunctionManifest.locate(Path.of("")).getParent().getParent().resolve("seed/catalog.json");

  @Test
  void modelTablesComeFromTheCatalogRoutes() throws Exception {
    Map<String, Map<String, MediaKind>> tables = StandIns.modelTables(CATALOG);

    assertEquals(List.of("replicate", "selfhost"), List.copyOf(tables.keySet()));
    assertEquals(MediaKind.IMAGE, tables.get("replicate").get("black-forest-labs/flux-schnell"));
    assertEquals(MediaKind.VIDEO, tables.get("replicate").get("wavespeedai/wan-2.1-t2v-480p"));
    assertEquals(MediaKind.AUDIO, tables.get("replicate").get("meta/musicgen"));
    assertEquals(MediaKind.IMAGE, tables.get("selfhost").get("flux-schnell"));
    assertEquals(
        null,
        tables.get("selfhost").get("ideogram-ai/ideogram-v2-turbo"),
        "only replicate routes it");
  }

  @Test
  void startsOnePerProviderOnConsecutivePortsAndGivesTheFunctionsTheirEnv(@TempDir Path logs)
      throws Exception {
    int base = freePortPair();
    try (StandIns standIns = StandIns.start(CATALOG, base, logs)) {
      assertEquals(List.of(base, base + 1), StandIns.ports(CATALOG, base));
      List<StandIns.Running> running = standIns.running();
      assertEquals("http://127.0.0.1:" + base, running.get(0).provider().url());
      assertEquals("http://127.0.0.1:" + (base + 1), running.get(1).provider().url());
      assertNotEquals(
          running.get(0).provider().webhookSecret(), running.get(1).provider().webhookSecret());

      Map<String, String> env =
          StandIns.env(standIns.providers(), "http://127.0.0.1:5001/provider-webhook");
      List<ProviderSettings> settings = ProviderSettings.fromEnv(env);
      assertEquals(
          List.of("replicate", "selfhost"), settings.stream().map(ProviderSettings::id).toList());
      assertEquals(URI.create(running.get(1).provider().url()), settings.get(1).baseUrl());
      assertEquals(
          running.get(0).provider().webhookSecret(), settings.get(0).webhookSecret().orElseThrow());
      assertEquals("http://127.0.0.1:5001/provider-webhook", env.get("WEBHOOK_URL"));
      assertEquals("local", env.get("MEDIA_FETCH_MODE"));

      HttpResponse<String> health =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(running.get(0).provider().url() + "/health"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, health.statusCode());
      assertTrue(Files.readString(logs.resolve("standin-replicate.log")).contains("GET /health"));
    }
  }

  /**
   * A port p with p + 1 free too (the small race until the stand-ins bind them is acceptable in a
   * test).
   */
  private static int freePortPair() throws Exception {
    for (int attempt = 0; attempt < 20; attempt++) {
      int port;
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = socket.getLocalPort();
      }
      if (port < 65535) {
        try (ServerSocket next = new ServerSocket(port + 1, 1, InetAddress.getLoopbackAddress())) {
          return port;
        } catch (java.io.IOException taken) {
          // try another
        }
      }
    }
    throw new IllegalStateException("no two consecutive free ports");
  }
}
