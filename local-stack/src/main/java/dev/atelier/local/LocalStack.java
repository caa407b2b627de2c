package dev.atelier.local;

import com.google.gson.JsonObject;
import dev.atelier.admin.CatalogSeed;
import dev.atelier.emulator.FirestoreEmulator;
import dev.atelier.emulator.engine.IndexRules;
import dev.atelier.firestore.Database;
import dev.atelier.local.auth.AuthEmulatorClient;
import dev.atelier.local.events.DeliveryOptions;
import dev.atelier.local.events.DocumentChange;
import dev.atelier.local.events.EventDelivery;
import dev.atelier.local.front.FrontRouter;
import dev.atelier.local.manifest.FunctionManifest;
import dev.atelier.local.manifest.Trigger;
import dev.atelier.local.process.FunctionProcesses;
import dev.atelier.local.process.ProcessSupervisor;
import dev.atelier.local.providers.StandIns;
import dev.atelier.local.schedule.Schedules;
import dev.atelier.platform.Clients;
import dev.atelier.platform.Config;
import dev.atelier.storage.emulator.StorageEmulator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Starts the whole system on 127.0.0.1 and keeps it up until Ctrl-C. Settings come from env:
 * ATELIER_FRONT_PORT (5001), ATELIER_FIRESTORE_PORT (8080), ATELIER_STORAGE_PORT (9199),
 * ATELIER_PROVIDER_PORT_BASE (7070: the stand-in providers of the catalog on 7070, 7071, …),
 * ATELIER_CHAOS (1 = deliver every Firestore event twice, shuffled), ATELIER_PROJECT
 * (atelier-local). The Auth emulator ports are fixed by local-stack/firebase.json (9099, hub 4400,
 * logging 4500).
 */
public final class LocalStack {

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
  private static final String AUTH_HOST = "127.0.0.1:9099";
  private static final List<Integer> AUTH_PORTS = List.of(9099, 4400, 4500);
  private static final String MEDIA_BUCKET = "atelier-local-media";

  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private volatile boolean stopping;

  public static void main(String[] args) throws Exception {
    boolean chaos = "1".equals(System.getenv("ATELIER_CHAOS")) || List.of(args).contains("--chaos");
    try {
      new LocalStack().run(chaos);
    } catch (Exception | Error e) {
      // Non-daemon server threads would keep a half-started stack alive: stop it all (shutdown
      // hook) and fail.
      System.err.println("[stack] failed to start: " + e);
      e.printStackTrace();
      System.exit(1);
    }
  }

  private static int envPort(String name, int fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
  }

  private static void log(String line) {
    System.out.println(line);
  }

  private void run(boolean chaos) throws Exception {
    Instant t0 = Instant.now();
    Path manifestFile = FunctionManifest.locate(Path.of(""));
    Path root = manifestFile.getParent().getParent();
    FunctionManifest manifest = FunctionManifest.load(manifestFile);
    String project = System.getenv().getOrDefault("ATELIER_PROJECT", "atelier-local");
    int frontPort = envPort("ATELIER_FRONT_PORT", 5001);
    int firestorePort = envPort("ATELIER_FIRESTORE_PORT", 8080);
    int storagePort = envPort("ATELIER_STORAGE_PORT", 9199);
    int providerPortBase = envPort("ATELIER_PROVIDER_PORT_BASE", 7070);
    Path catalog = root.resolve("seed/catalog.json");
    Path state = root.resolve(".local-stack");

    ProcessSupervisor supervisor = new ProcessSupervisor(state.resolve("run"), LocalStack::log);
    supervisor.claim();
    Files.deleteIfExists(StackInfo.file(root));
    List<Integer> ours = new ArrayList<>(List.of(frontPort, firestorePort, storagePort));
    ours.addAll(StandIns.ports(catalog, providerPortBase));
    requireFree(ours, AUTH_PORTS);
    Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "local-stack-stop"));
    started.push(supervisor);

    // The auth emulator is the slowest part (node, 12-28 s, after run-local.sh's npm ci): start it
    // first, but without holding up the functions, which do not need it to answer.
    CompletableFuture<Process> auth =
        CompletableFuture.supplyAsync(
            () -> {
              awaitNpmInstall();
              return supervisor.start(
                  "auth-emulator",
                  List.of("bash", root.resolve("local-stack/auth-emulator.sh").toString(), project),
                  Map.of("AUTH_EMULATOR_PROJECT", project),
                  root,
                  state.resolve("logs/auth-emulator.log"));
            });

    IndexRules indexes =
        Files.exists(root.resolve("firestore.indexes.json"))
            ? IndexRules.fromJson(Files.readString(root.resolve("firestore.indexes.json")))
            : IndexRules.permissive();
    FirestoreEmulator firestore =
        FirestoreEmulator.builder()
            .port(firestorePort)
            .indexRules(indexes)
            .rules(root.resolve("firestore.rules"))
            .start();
    started.push(firestore);
    StorageEmulator storage = StorageEmulator.start(storagePort);
    started.push(storage);

    StandIns standIns = StandIns.start(catalog, providerPortBase, state.resolve("logs"));
    started.push(standIns);

    Map<String, String> env =
        new LinkedHashMap<>(
            FunctionProcesses.emulatorEnv(
                project, firestore.hostAndPort(), AUTH_HOST, storage.baseUrl(), MEDIA_BUCKET));
    // Providers call back through the front port, as they would call the deployed function's URL.
    env.putAll(
        StandIns.env(standIns.providers(), "http://127.0.0.1:" + frontPort + "/provider-webhook"));
    // Trigger functions handle only events our delivery signs: their ports are open to every local
    // process.
    String deliveryToken = java.util.UUID.randomUUID().toString().replace("-", "");
    env.put("ATELIER_DELIVERY_TOKEN", deliveryToken);
    FunctionProcesses processes =
        new FunctionProcesses(root, manifest, supervisor, FunctionProcesses.invokerJar(root), env);
    List<FunctionProcesses.Running> functions = processes.startAll(state.resolve("logs"));
    Map<String, URI> functionUrls = new LinkedHashMap<>();
    functions.forEach(
        f -> {
          functionUrls.put(f.spec().name(), f.baseUrl());
          f.process()
              .onExit()
              .thenAccept(
                  p -> {
                    if (!stopping) {
                      log(
                          "[stack] "
                              + f.spec().name()
                              + " exited with code "
                              + p.exitValue()
                              + "; see .local-stack/logs/"
                              + f.spec().name()
                              + ".log (restart the stack to bring it back)");
                    }
                  });
        });

    EventDelivery delivery =
        new EventDelivery(
            manifest.functions(),
            functionUrls::get,
            DeliveryOptions.defaults(chaos, deliveryToken),
            LocalStack::log);
    started.push(delivery);
    // Eventarc triggers belong to one project: changes other clients make in other projects fire
    // nothing.
    String projectDocuments = "projects/" + project + "/databases/";
    firestore.addChangeListener(
        (name, before, after, time) -> {
          if (name.startsWith(projectDocuments)) {
            delivery.onChange(new DocumentChange(name, before, after, time));
          }
        });
    Schedules schedules =
        new Schedules(manifest.functions(), functionUrls::get, Clock.systemUTC(), LocalStack::log);
    started.push(schedules);
    FrontRouter front = FrontRouter.start(frontPort, functionUrls, schedules::runNow);
    started.push(front);

    try (Database db =
        Clients.firestore(
            Config.forEmulators(project, firestore.hostAndPort(), null, "local-stack"))) {
      log("[stack] catalog seed: " + CatalogSeed.load(db, catalog));
    }

    Map<String, String> coldStarts = awaitFunctions(functions);
    log(
        "[stack] every function answering"
            + (sinceCommand().isEmpty()
                ? ""
                : " " + sinceCommand() + "after ./run-local.sh started"));
    AuthEmulatorClient authClient = new AuthEmulatorClient(AUTH_HOST, project);
    Process authProcess = auth.get();
    authClient.awaitReady(
        READY_TIMEOUT,
        () -> {
          if (!authProcess.isAlive()) {
            throw new IllegalStateException(
                "auth emulator exited; see .local-stack/logs/auth-emulator.log");
          }
        });
    JsonObject adminClaim = new JsonObject();
    adminClaim.addProperty("admin", true);
    String userToken =
        authClient
            .accountWithClaims("user@atelier.local", "local-password", new JsonObject())
            .idToken();
    String adminToken =
        authClient.accountWithClaims("admin@atelier.local", "local-password", adminClaim).idToken();
    schedules.start();

    Map<String, String> urls = new LinkedHashMap<>();
    functionUrls.keySet().forEach(name -> urls.put(name, front.url(name).toString()));
    Map<String, StackInfo.Provider> providers = standIns.providers();
    StackInfo.Provider firstProvider =
        providers.values().stream()
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("seed/catalog.json lists no providers"));
    new StackInfo(
            ProcessHandle.current().pid(),
            project,
            "http://127.0.0.1:" + front.port(),
            firestore.hostAndPort(),
            AUTH_HOST,
            storage.baseUrl(),
            MEDIA_BUCKET,
            firstProvider.url(),
            firstProvider.webhookSecret(),
            providers,
            chaos,
            urls,
            userToken,
            adminToken)
        .write(root);

    log("");
    log(
        "Atelier local stack ready in "
            + seconds(Duration.between(t0, Instant.now()))
            + " ("
            + sinceCommand()
            + "since the command)"
            + (chaos ? " (CHAOS: every event twice, shuffled)" : ""));
    log("  Firestore emulator  " + firestore.hostAndPort() + "   (FIRESTORE_EMULATOR_HOST)");
    log("  Auth emulator       " + AUTH_HOST + "   (FIREBASE_AUTH_EMULATOR_HOST)");
    log("  Storage emulator    " + storage.baseUrl() + "   (bucket " + MEDIA_BUCKET + ")");
    for (StandIns.Running p : standIns.running()) {
      log(
          String.format(
              "  %-19s %s   (stand-in provider, Replicate API, %d models; log .local-stack/logs/standin-%s.log)",
              "Provider " + p.id(), p.provider().url(), p.provider().models().size(), p.id()));
    }
    log(
        "    prompt markers: #fail #slow #nowebhook #dupwebhook #oversize #badtype #partial; webhook secrets in "
            + ".local-stack/stack.json");
    log(
        "    set one down:   curl -X POST "
            + firstProvider.url()
            + "/_control/health -d '{\"status\":\"down\"}'"
            + "   (and {\"status\":\"up\"} to bring it back)");
    for (FunctionProcesses.Running f : functions) {
      String name = f.spec().name();
      log(
          String.format(
              "  %-22s %-45s %s  cold start %s",
              name, urls.get(name), f.spec().trigger().describe(), coldStarts.get(name)));
    }
    schedules
        .names()
        .forEach(
            name ->
                log(
                    "  run now: curl -X POST http://127.0.0.1:"
                        + front.port()
                        + "/_schedules/"
                        + name
                        + ":run"));
    log("  JVM flags: JAVA_TOOL_OPTIONS per manifest javaToolOptions; logs in .local-stack/logs/");
    log("  USER_TOKEN=" + userToken);
    log("  ADMIN_TOKEN=" + adminToken);
    log("Ctrl-C stops everything.");
    Thread.currentThread().join();
  }

  /**
   * run-local.sh installs firebase-tools alongside the Maven build and passes the npm process id
   * on.
   */
  private static void awaitNpmInstall() {
    String pid = System.getenv("ATELIER_NPM_PID");
    if (pid != null && !pid.isBlank()) {
      ProcessHandle.of(Long.parseLong(pid.trim()))
          .ifPresent(
              npm -> {
                log(
                    "[stack] waiting for npm ci (pid "
                        + npm.pid()
                        + ") before starting the Auth emulator");
                npm.onExit().join();
              });
    }
  }

  /** Waits for every function in parallel; returns name → "ready X s" as the cold-start figure. */
  private static Map<String, String> awaitFunctions(List<FunctionProcesses.Running> functions)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(functions.size() + 1);
    try {
      Map<String, Future<Duration>> waits = new LinkedHashMap<>();
      functions.forEach(
          f ->
              waits.put(
                  f.spec().name(),
                  pool.submit(() -> FunctionProcesses.awaitReady(f, READY_TIMEOUT))));
      Map<String, String> out = new LinkedHashMap<>();
      for (FunctionProcesses.Running f : functions) {
        Duration ready = waits.get(f.spec().name()).get();
        out.put(f.spec().name(), seconds(ready) + firstAnswer(f));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * For an HTTP function, the time of its first real answer (a tokenless POST: the function itself
   * says 401).
   */
  private static String firstAnswer(FunctionProcesses.Running f) {
    if (!(f.spec().trigger() instanceof Trigger.Http)) {
      return "";
    }
    try {
      HttpRequest post =
          HttpRequest.newBuilder(f.baseUrl())
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString("{}"))
              .build();
      int status =
          HttpClient.newHttpClient()
              .send(post, HttpResponse.BodyHandlers.discarding())
              .statusCode();
      return " (first function answer "
          + status
          + " at "
          + seconds(Duration.between(f.startedAt(), Instant.now()))
          + ")";
    } catch (Exception e) {
      return " (first request failed: " + e + ")";
    }
  }

  /**
   * Time since run-local.sh started (it exports RUN_LOCAL_START_MS), build included; empty when
   * launched otherwise.
   */
  private static String sinceCommand() {
    String start = System.getenv("RUN_LOCAL_START_MS");
    return start == null
        ? ""
        : seconds(Duration.ofMillis(System.currentTimeMillis() - Long.parseLong(start))) + " ";
  }

  private static String seconds(Duration d) {
    return String.format("%.2f s", d.toMillis() / 1000.0);
  }

  private static void requireFree(List<Integer> ours, List<Integer> auth) {
    for (int port : ours) {
      if (!free(port)) {
        throw new IllegalStateException(
            "port "
                + port
                + " on 127.0.0.1 is in use: is another stack running? "
                + "Stop it, or choose ports with ATELIER_FRONT_PORT / ATELIER_FIRESTORE_PORT / ATELIER_STORAGE_PORT / "
                + "ATELIER_PROVIDER_PORT_BASE");
      }
    }
    for (int port : auth) {
      if (!free(port)) {
        throw new IllegalStateException(
            "port " + port + " (Auth emulator, local-stack/firebase.json) is in use");
      }
    }
  }

  private static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Stops everything in reverse start order; the supervisor takes the child process trees down. */
  private synchronized void stop() {
    stopping = true;
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        System.err.println("[stack] stop: " + e);
      }
    }
    try {
      Files.deleteIfExists(
          StackInfo.file(FunctionManifest.locate(Path.of("")).getParent().getParent()));
    } catch (Exception ignored) {
      // nothing left to clean
    }
  }
}
