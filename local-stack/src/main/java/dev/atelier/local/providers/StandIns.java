package dev.atelier.local.providers;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.atelier.generations.GenerationType;
import dev.atelier.generations.MediaKind;
import dev.atelier.local.StackInfo;
import dev.atelier.provider.standin.StandInOptions;
import dev.atelier.provider.standin.StandInProvider;
import dev.atelier.providers.ProviderSettings;
import dev.atelier.providers.StandardWebhooks;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One in-process stand-in provider per provider of the catalog ({@code seed/catalog.json}
 * "providers"), on fixed loopback ports (the first at {@code portBase}, then one up per provider,
 * in catalog order). Each one's model table comes from the catalog's routes (route.providerModel →
 * the media kind of the model's generationType), and each signs its webhooks with a fresh secret of
 * this run. Each logs every request and webhook delivery to {@code <logDir>/standin-<id>.log}.
 */
public final class StandIns implements AutoCloseable {

  /** A running stand-in, by catalog provider id. */
  public record Running(String id, StandInProvider provider) {}

  private static final Gson GSON = new Gson();

  private final List<Running> running;
  private final List<PrintWriter> logs;

  private StandIns(List<Running> running, List<PrintWriter> logs) {
    this.running = List.copyOf(running);
    this.logs = List.copyOf(logs);
  }

  /**
   * The ports {@link #start} will use for {@code catalog}: one per provider from {@code portBase}.
   */
  public static List<Integer> ports(Path catalog, int portBase) throws IOException {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < modelTables(catalog).size(); i++) {
      ports.add(portBase + i);
    }
    return ports;
  }

  public static StandIns start(Path catalog, int portBase, Path logDir) throws IOException {
    Files.createDirectories(logDir);
    List<Running> running = new ArrayList<>();
    List<PrintWriter> logs = new ArrayList<>();
    try {
      int port = portBase;
      for (Map.Entry<String, Map<String, MediaKind>> table : modelTables(catalog).entrySet()) {
        String id = table.getKey();
        PrintWriter log =
            new PrintWriter(
                Files.newBufferedWriter(
                    logDir.resolve("standin-" + id + ".log"),
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE),
                true);
        logs.add(log);
        Consumer<String> line =
            text -> {
              synchronized (log) {
                log.println(Instant.now() + " " + text);
              }
            };
        StandInOptions options =
            StandInOptions.defaults()
                .withPort(port++)
                .withModels(table.getValue())
                .withWebhookSecret(StandardWebhooks.newSecret())
                .withLog(line);
        running.add(new Running(id, StandInProvider.start(options)));
      }
    } catch (IOException | RuntimeException e) {
      running.forEach(r -> r.provider().close());
      logs.forEach(PrintWriter::close);
      throw e;
    }
    return new StandIns(running, logs);
  }

  /**
   * Catalog provider id → (providerModel → media kind), providers in catalog order. A provider no
   * route names still gets a stand-in (with an empty table: it refuses every model, as a real one
   * would refuse unknown ones).
   */
  static Map<String, Map<String, MediaKind>> modelTables(Path catalog) throws IOException {
    JsonObject seed = GSON.fromJson(Files.readString(catalog), JsonObject.class);
    Map<String, Map<String, MediaKind>> tables = new LinkedHashMap<>();
    for (JsonElement provider : seed.getAsJsonArray("providers")) {
      tables.put(provider.getAsJsonObject().get("id").getAsString(), new LinkedHashMap<>());
    }
    for (JsonElement element : seed.getAsJsonArray("models")) {
      JsonObject model = element.getAsJsonObject();
      MediaKind kind =
          GenerationType.fromWire(model.get("generationType").getAsString()).mediaKind();
      if (kind == MediaKind.TEXT || !model.has("routes")) {
        continue; // the stand-in makes images, videos and audio only
      }
      for (JsonElement r : model.getAsJsonArray("routes")) {
        JsonObject route = r.getAsJsonObject();
        String provider = route.get("provider").getAsString();
        if (!tables.containsKey(provider)) {
          throw new IllegalStateException(
              catalog
                  + ": model "
                  + model.get("id")
                  + " routes to provider "
                  + provider
                  + ", which \"providers\" does not list");
        }
        tables.get(provider).put(route.get("providerModel").getAsString(), kind);
      }
    }
    return tables;
  }

  public List<Running> running() {
    return running;
  }

  /** id → URL and webhook secret, in catalog order (what {@code stack.json} publishes). */
  public Map<String, StackInfo.Provider> providers() {
    Map<String, StackInfo.Provider> out = new LinkedHashMap<>();
    running.forEach(
        r ->
            out.put(
                r.id(), new StackInfo.Provider(r.provider().url(), r.provider().webhookSecret())));
    return out;
  }

  /**
   * What every function gets to reach the providers: {@code PROVIDERS}, {@code PROVIDER_<ID>_URL}
   * and {@code PROVIDER_<ID>_WEBHOOK_SECRET} per provider, {@code WEBHOOK_URL} (where the providers
   * call back: the provider-webhook URL) and {@code MEDIA_FETCH_MODE=local} (the stand-ins serve
   * their media over http on loopback).
   */
  public static Map<String, String> env(
      Map<String, StackInfo.Provider> providers, String webhookUrl) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PROVIDERS", String.join(",", providers.keySet()));
    providers.forEach(
        (id, provider) -> {
          String prefix = ProviderSettings.prefix(id);
          env.put(prefix + "URL", provider.url());
          env.put(prefix + "WEBHOOK_SECRET", provider.webhookSecret());
        });
    env.put("WEBHOOK_URL", webhookUrl);
    env.put("MEDIA_FETCH_MODE", "local");
    return env;
  }

  @Override
  public void close() {
    for (Running r : running) {
      try {
        r.provider().close();
      } catch (RuntimeException e) {
        System.err.println("[stack] stop stand-in " + r.id() + ": " + e);
      }
    }
    logs.forEach(PrintWriter::close);
  }
}
