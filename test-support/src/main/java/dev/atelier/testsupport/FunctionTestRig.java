package dev.atelier.testsupport;

import com.google.cloud.functions.HttpFunction;
import dev.atelier.admin.CatalogSeed;
import dev.atelier.emulator.junit.EmulatorHandle;
import dev.atelier.emulator.junit.FirestoreEmulatorExtension;
import dev.atelier.firestore.Database;
import dev.atelier.http.Authenticator;
import dev.atelier.platform.Clients;
import dev.atelier.platform.Config;
import java.io.IOException;
import java.time.Clock;

/**
 * The setup every function test repeats: emulator config, the seeded catalog, and an HTTP function
 * served on loopback.
 */
public final class FunctionTestRig {

  /** An HTTP function's injecting constructor. */
  @FunctionalInterface
  public interface HttpFunctionFactory {
    HttpFunction create(Config config, Database db, Authenticator authenticator, Clock clock);
  }

  private FunctionTestRig() {}

  /** Loads {@code seed/catalog.json} (plans, models, system docs) into {@code db}. */
  public static void seedCatalog(Database db) throws IOException {
    CatalogSeed.load(db, RepoFiles.find("seed/catalog.json"));
  }

  /**
   * Seeds the catalog, then serves the function built by {@code factory} (emulator config with the
   * shared Auth emulator stub, system clock) at {@code /<name>}. The caller closes the host.
   */
  public static LoopbackHttpHost serve(
      EmulatorHandle emulator, String name, HttpFunctionFactory factory) throws IOException {
    return serve(emulator, name, factory, Clock.systemUTC());
  }

  /**
   * As {@link #serve(EmulatorHandle, String, HttpFunctionFactory)} with the function on {@code
   * clock}.
   */
  public static LoopbackHttpHost serve(
      EmulatorHandle emulator, String name, HttpFunctionFactory factory, Clock clock)
      throws IOException {
    Config config =
        Config.forEmulators(
            FirestoreEmulatorExtension.PROJECT_ID,
            emulator.host(),
            AuthEmulatorStub.shared().host(),
            name);
    Database db = emulator.database();
    seedCatalog(db);
    return LoopbackHttpHost.start(
        name, factory.create(config, db, new Authenticator(Clients.firebaseApp(config)), clock));
  }
}
