package dev.atelier.emulator.junit;

import com.google.cloud.firestore.Firestore;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import dev.atelier.emulator.ChangeListener;
import dev.atelier.emulator.Counters;
import dev.atelier.emulator.FirestoreEmulator;
import dev.atelier.firestore.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The emulator a test runs against: the in-process one, or the server named by
 * FIRESTORE_EMULATOR_HOST (controlled over its admin HTTP API; change listeners need in-process).
 */
public final class EmulatorHandle {
  private static final Gson GSON = new Gson();

  private final String host;
  private final String projectId;
  private final Optional<FirestoreEmulator> inProcess;
  private final Firestore firestore;
  private final HttpClient http = HttpClient.newHttpClient();
  private final Map<String, Firestore> identityClients = new ConcurrentHashMap<>();
  private Database database;

  EmulatorHandle(
      String host, String projectId, Optional<FirestoreEmulator> inProcess, Firestore firestore) {
    this.host = host;
    this.projectId = projectId;
    this.inProcess = inProcess;
    this.firestore = firestore;
  }

  /** "127.0.0.1:port": gRPC and the admin HTTP API. */
  public String host() {
    return host;
  }

  public String projectId() {
    return projectId;
  }

  /** A client connected to the emulator, shared by every test of the JVM; do not close it. */
  public Firestore firestore() {
    return firestore;
  }

  /**
   * Our client ({@link Database}, what the services use) connected to the emulator as its owner,
   * shared by every test of the JVM; do not close it.
   */
  public synchronized Database database() {
    if (database == null) {
      database = Database.connect(projectId, Optional.of(host));
    }
    return database;
  }

  /**
   * Whether the emulator decides requests other than the owner's by security rules (in-process: the
   * repository's firestore.rules unless {@value FirestoreEmulatorExtension#RULES_PROPERTY} is
   * none).
   */
  public boolean enforcesRules() {
    return inProcess.map(FirestoreEmulator::rulesEnforced).orElse(true);
  }

  /**
   * A client of a signed-in user: its calls carry {@code Bearer idToken}, so the security rules
   * decide them. One client per token for the JVM; do not close it.
   */
  public Firestore clientWithIdToken(String idToken) {
    return identityClients.computeIfAbsent(
        idToken, token -> register(EmulatorClients.withIdToken(host, projectId, token)));
  }

  /**
   * A signed-out client (no authorization): the security rules decide its calls. Do not close it.
   */
  public Firestore anonymousClient() {
    return identityClients.computeIfAbsent(
        "", token -> register(EmulatorClients.anonymous(host, projectId)));
  }

  private static Firestore register(Firestore client) {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    client.close();
                  } catch (Exception ignored) {
                    // the JVM is exiting
                  }
                }));
    return client;
  }

  /** Document reads, writes and deletes since the last wipe or reset. */
  public Counters counters() {
    if (inProcess.isPresent()) {
      return inProcess.get().counters();
    }
    return GSON.fromJson(send("GET", "/emulator/v1/counters", ""), Counters.class);
  }

  public void resetCounters() {
    inProcess.ifPresentOrElse(
        FirestoreEmulator::resetCounters, () -> send("POST", "/emulator/v1/counters:reset", ""));
  }

  /** The next {@code n} commits fail with ABORTED. */
  public void abortNextCommits(int n) {
    inProcess.ifPresentOrElse(e -> e.abortNextCommits(n), () -> faults("abortNextCommits", n));
  }

  /** The next {@code n} commits fail with {@code code}. */
  public void failNextCommits(int n, io.grpc.Status.Code code) {
    failNextCommitsUnder("", n, code);
  }

  /**
   * The next {@code n} commits that write a document at or below the path {@code under} fail with
   * {@code code} (empty: every commit); other commits pass.
   */
  public void failNextCommitsUnder(String under, int n, io.grpc.Status.Code code) {
    inProcess.ifPresentOrElse(
        e -> e.failNextCommitsUnder(under, n, code),
        () -> {
          JsonObject body = new JsonObject();
          body.addProperty("failNextCommits", n);
          body.addProperty("code", code.name());
          body.addProperty("under", under);
          send("POST", "/emulator/v1/faults", body.toString());
        });
  }

  /** Every response is delayed by {@code delay} (Duration.ZERO turns it off). */
  public void delayResponses(Duration delay) {
    inProcess.ifPresentOrElse(
        e -> e.delayResponses(delay), () -> faults("delayMillis", delay.toMillis()));
  }

  /** False when FIRESTORE_EMULATOR_HOST names another server (change listeners need in-process). */
  /**
   * The queries strict index mode refused since the last call (in-process emulator; empty
   * otherwise).
   */
  public java.util.List<String> takeMissingIndexes() {
    return inProcess.map(FirestoreEmulator::takeMissingIndexes).orElse(java.util.List.of());
  }

  public boolean inProcess() {
    return inProcess.isPresent();
  }

  /** Receives every committed document change (in-process emulator only). */
  public void addChangeListener(ChangeListener listener) {
    inProcess
        .orElseThrow(
            () ->
                new UnsupportedOperationException(
                    "Change listeners need the in-process emulator (FIRESTORE_EMULATOR_HOST is set)"))
        .addChangeListener(listener);
  }

  /** Before each test: no data, no counts, no faults, no change listeners. */
  void reset() {
    if (inProcess.isPresent()) {
      FirestoreEmulator emulator = inProcess.get();
      emulator.wipe(projectId);
      emulator.resetCounters();
      emulator.clearFaults();
      emulator.clearChangeListeners();
    } else {
      send("DELETE", "/emulator/v1/projects/" + projectId + "/databases/(default)/documents", "");
      send("POST", "/emulator/v1/counters:reset", "");
      JsonObject noFaults = new JsonObject();
      noFaults.addProperty("abortNextCommits", 0);
      noFaults.addProperty("delayMillis", 0);
      send("POST", "/emulator/v1/faults", noFaults.toString());
    }
  }

  private void faults(String field, long value) {
    JsonObject body = new JsonObject();
    body.addProperty(field, value);
    send("POST", "/emulator/v1/faults", body.toString());
  }

  private String send(String method, String path, String body) {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://" + host + path.replace("(", "%28").replace(")", "%29")))
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json")
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            method
                + " "
                + path
                + " on "
                + host
                + " answered "
                + response.statusCode()
                + ": "
                + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException("Emulator admin call failed: " + method + " " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
