package dev.atelier.emulator.junit;

import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import dev.atelier.emulator.FirestoreEmulator;
import dev.atelier.emulator.engine.IndexRules;
import dev.atelier.firestore.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5: one emulator per JVM (in-process and started lazily, or the server named by
 * FIRESTORE_EMULATOR_HOST), wiped with counters and faults reset before each test, and a test
 * failed after the fact when a query it caused was refused for a missing index. Resolves parameters
 * of type {@link Firestore} (the official client), {@link Database} (ours; project {@value
 * #PROJECT_ID}) and {@link EmulatorHandle}. The in-process emulator loads the repository's
 * firestore.indexes.json (strict index mode), found by walking up from the working directory;
 * system property {@value #INDEXES_PROPERTY} names another file, or {@code none} for no strict
 * mode. Likewise it enforces the repository's firestore.rules (property {@value #RULES_PROPERTY},
 * or {@code none}) on clients other than the owner: the shared server client is the owner, so tests
 * see the rules only through {@link EmulatorHandle#clientWithIdToken} and {@link
 * EmulatorHandle#anonymousClient}.
 */
public final class FirestoreEmulatorExtension
    implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
  public static final String PROJECT_ID = "atelier-test";
  public static final String INDEXES_PROPERTY = "atelier.emulator.indexes";
  public static final String RULES_PROPERTY = "atelier.emulator.rules";
  private static final String INDEXES_FILE = "firestore.indexes.json";
  private static final String RULES_FILE = "firestore.rules";

  private static EmulatorHandle handle;

  /** The JVM's emulator, started on first use. */
  public static synchronized EmulatorHandle handle() {
    if (handle == null) {
      handle = connect();
    }
    return handle;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    handle().reset();
    handle().takeMissingIndexes();
  }

  /**
   * Fails the test when any query it caused had no index in strict mode — also when the code under
   * test caught the error (a trigger logs and drops it), so the index file cannot drift from the
   * queries the code really runs. A test that provokes a rejection on purpose takes it with {@link
   * EmulatorHandle#takeMissingIndexes()}.
   */
  @Override
  public void afterEach(ExtensionContext context) {
    java.util.List<String> missing = handle().takeMissingIndexes();
    if (!missing.isEmpty()) {
      throw new AssertionError(
          "queries ran without their index (add it to firestore.indexes.json):\n  "
              + String.join("\n  ", missing));
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == Firestore.class || type == Database.class || type == EmulatorHandle.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (type == Firestore.class) {
      return handle().firestore();
    }
    return type == Database.class ? handle().database() : handle();
  }

  private static EmulatorHandle connect() {
    String external = System.getenv("FIRESTORE_EMULATOR_HOST");
    if (external != null && !external.isBlank()) {
      return new EmulatorHandle(external, PROJECT_ID, Optional.empty(), client(external));
    }
    try {
      FirestoreEmulator.Builder builder = FirestoreEmulator.builder();
      Optional<Path> indexes = findRepositoryFile(INDEXES_PROPERTY, INDEXES_FILE);
      if (indexes.isPresent()) {
        builder.indexRules(
            IndexRules.fromJson(Files.readString(indexes.get(), StandardCharsets.UTF_8)));
      }
      Optional<Path> rules = findRepositoryFile(RULES_PROPERTY, RULES_FILE);
      if (rules.isPresent()) {
        builder.rules(rules.get());
      }
      FirestoreEmulator emulator = builder.start();
      Runtime.getRuntime().addShutdownHook(new Thread(emulator::close));
      String host = emulator.hostAndPort();
      return new EmulatorHandle(host, PROJECT_ID, Optional.of(emulator), client(host));
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start the in-process Firestore emulator", e);
    }
  }

  private static Firestore client(String host) {
    return FirestoreOptions.newBuilder()
        .setProjectId(PROJECT_ID)
        .setEmulatorHost(host)
        .build()
        .getService();
  }

  private static Optional<Path> findRepositoryFile(String property, String fileName) {
    String configured = System.getProperty(property, "");
    if (configured.equals("none")) {
      return Optional.empty();
    }
    if (!configured.isEmpty()) {
      return Optional.of(Path.of(configured));
    }
    for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        dir != null;
        dir = dir.getParent()) {
      Path candidate = dir.resolve(fileName);
      if (Files.isRegularFile(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
