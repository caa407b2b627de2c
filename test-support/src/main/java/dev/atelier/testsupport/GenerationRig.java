package dev.atelier.testsupport;

import com.google.cloud.functions.HttpFunction;
import dev.atelier.catalog.ModelConfig;
import dev.atelier.catalog.ProviderRoute;
import dev.atelier.emulator.junit.EmulatorHandle;
import dev.atelier.emulator.junit.FirestoreEmulatorExtension;
import dev.atelier.firestore.Database;
import dev.atelier.firestore.Snapshot;
import dev.atelier.generations.MediaKind;
import dev.atelier.http.Authenticator;
import dev.atelier.media.MediaConfig;
import dev.atelier.media.MediaStorage;
import dev.atelier.media.MediaStore;
import dev.atelier.platform.Clients;
import dev.atelier.platform.Config;
import dev.atelier.provider.standin.StandInOptions;
import dev.atelier.provider.standin.StandInProvider;
import dev.atelier.providers.ProviderSettings;
import dev.atelier.providers.Providers;
import dev.atelier.storage.emulator.StorageEmulator;
import dev.atelier.store.Documents;
import dev.atelier.store.FirestorePaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * What a generation test runs against, all real and on loopback: the Firestore emulator with the
 * catalog seeded, the Cloud Storage emulator with the media bucket, and one stand-in provider per
 * provider of the catalog (replicate, selfhost), each told which media its model references
 * produce. Functions built by the test are served with {@link #serve}; everything closes with the
 * rig.
 */
public final class GenerationRig implements AutoCloseable {

  public static final String MEDIA_BUCKET = "atelier-test-media";

  /** The providers of {@code seed/catalog.json}. */
  public static final List<String> PROVIDERS = List.of("replicate", "selfhost");

  private final EmulatorHandle emulator;
  private final StorageEmulator storage;
  private final Map<String, StandInProvider> standIns;
  private final Deque<AutoCloseable> closing = new ArrayDeque<>();
  private final IdTokens tokens = new IdTokens(FirestoreEmulatorExtension.PROJECT_ID);

  private GenerationRig(
      EmulatorHandle emulator, StorageEmulator storage, Map<String, StandInProvider> standIns) {
    this.emulator = emulator;
    this.storage = storage;
    this.standIns = standIns;
    closing.push(storage);
    standIns.values().forEach(closing::push);
  }

  /**
   * Seeds the catalog, starts storage and the stand-ins with {@code options} (each gets its own
   * model table).
   */
  public static GenerationRig start(EmulatorHandle emulator, StandInOptions options)
      throws IOException {
    Database db = emulator.database();
    FunctionTestRig.seedCatalog(db);
    Map<String, Map<String, MediaKind>> tables = modelTables(db);
    StorageEmulator storage = StorageEmulator.start(0);
    storage.ensureBucket(MEDIA_BUCKET);
    Map<String, StandInProvider> standIns = new LinkedHashMap<>();
    try {
      for (String provider : PROVIDERS) {
        standIns.put(
            provider,
            StandInProvider.start(options.withModels(tables.getOrDefault(provider, Map.of()))));
      }
    } catch (IOException | RuntimeException e) {
      standIns.values().forEach(StandInProvider::close);
      storage.close();
      throw e;
    }
    return new GenerationRig(emulator, storage, standIns);
  }

  /** Stand-ins that finish after {@code completion} and take {@code slow} for #slow. */
  public static StandInOptions options(Duration completion, Duration slow) {
    return StandInOptions.defaults().withCompletionDelay(completion).withSlowDelay(slow);
  }

  /** providerModel → media kind for every route of every catalog model, per provider. */
  private static Map<String, Map<String, MediaKind>> modelTables(Database db) {
    Map<String, Map<String, MediaKind>> tables = new LinkedHashMap<>();
    for (Snapshot doc : db.collection(FirestorePaths.modelsConfig()).get()) {
      ModelConfig model = Documents.read(doc, ModelConfig.class).orElseThrow();
      for (ProviderRoute route : model.routes()) {
        tables
            .computeIfAbsent(route.provider(), p -> new LinkedHashMap<>())
            .put(route.providerModel(), model.generationType().mediaKind());
      }
    }
    return tables;
  }

  public Database db() {
    return emulator.database();
  }

  public EmulatorHandle emulator() {
    return emulator;
  }

  public IdTokens tokens() {
    return tokens;
  }

  public StandInProvider standIn(String provider) {
    return Optional.ofNullable(standIns.get(provider))
        .orElseThrow(() -> new IllegalArgumentException(provider));
  }

  public StorageEmulator storage() {
    return storage;
  }

  /** The platform config a function under test gets (emulators, the shared Auth emulator stub). */
  public Config config(String functionName) {
    return Config.forEmulators(
        FirestoreEmulatorExtension.PROJECT_ID,
        emulator.host(),
        AuthEmulatorStub.shared().host(),
        functionName);
  }

  public Authenticator authenticator(Config config) {
    return new Authenticator(Clients.firebaseApp(config));
  }

  /** Settings of every stand-in as a deployment would configure them (URL and webhook secret). */
  public List<ProviderSettings> providerSettings() {
    List<ProviderSettings> out = new ArrayList<>();
    standIns.forEach(
        (id, s) ->
            out.add(
                new ProviderSettings(
                    id,
                    ProviderSettings.Protocol.REPLICATE,
                    URI.create(s.url()),
                    s.apiToken(),
                    Optional.of(s.webhookSecret()))));
    return out;
  }

  /** Adapters for every stand-in, with a short call timeout. */
  public Providers providers() {
    return new Providers(providerSettings(), Duration.ofSeconds(5));
  }

  public MediaConfig mediaConfig() {
    return new MediaConfig(
        FirestoreEmulatorExtension.PROJECT_ID, MEDIA_BUCKET, Optional.of(storage.baseUrl()));
  }

  public MediaStore mediaStore() {
    MediaConfig config = mediaConfig();
    return new MediaStore(MediaStorage.client(config), config);
  }

  /** Serves {@code function} on loopback until the rig closes. */
  public LoopbackHttpHost serve(String name, HttpFunction function) {
    LoopbackHttpHost host = LoopbackHttpHost.start(name, function);
    closing.push(host);
    return host;
  }

  /** Polls {@code condition} every 25 ms until it holds; false after {@code timeout}. */
  public static boolean await(Duration timeout, BooleanSupplier condition) {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (condition.getAsBoolean()) {
        return true;
      }
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return condition.getAsBoolean();
  }

  @Override
  public void close() {
    while (!closing.isEmpty()) {
      try {
        closing.pop().close();
      } catch (Exception e) {
        throw e instanceof RuntimeException r ? r : new UncheckedIOException(new IOException(e));
      }
    }
  }
}
