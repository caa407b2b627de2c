package dev.atelier.local.bench;

import dev.atelier.admin.CatalogSeed;
import dev.atelier.emulator.FirestoreEmulator;
import dev.atelier.emulator.engine.IndexRules;
import dev.atelier.firestore.Database;
import dev.atelier.local.manifest.FunctionManifest;
import dev.atelier.local.manifest.FunctionSpec;
import dev.atelier.local.manifest.Trigger;
import dev.atelier.local.process.FunctionProcesses;
import dev.atelier.local.process.ProcessSupervisor;
import dev.atelier.local.providers.StandIns;
import dev.atelier.platform.Clients;
import dev.atelier.platform.Config;
import dev.atelier.storage.emulator.StorageEmulator;
import dev.atelier.testsupport.AuthEmulatorStub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code bench/run.sh [--rounds N] [--warm N] [--concurrency 1,8,32,80] [--per-level N] [--only
 * fn1,fn2] [--one-cpu] [--vs-flags 'JVM flags'] [--vs-env NAME=value,...]}: starts its own
 * emulators in this JVM (Firestore, Storage, the Auth emulator's lookup endpoints — in emulator
 * mode firebase-admin, Java and Node alike, looks every token's user up there — and the stand-in
 * providers), then
 *
 * <ol>
 *   <li>cold start, N rounds (8): for the floor, the Node peer and every HTTP function in turn
 *       (each round one place later, see {@link ColdStarts#order}), process start → port open → the
 *       first real answer (verified token and Firestore reads);
 *   <li>in the last round, warm latency over {@code --warm} sequential requests and the process's
 *       peak RSS (VmHWM) after them;
 *   <li>one redeem-code instance under a bounded loopback load at each concurrency.
 * </ol>
 *
 * <p>With {@code --vs-flags} or {@code --vs-env} every measured function also runs a second time in
 * each round, right after the first, with those flags added to its {@code JAVA_TOOL_OPTIONS} and
 * those variables to its environment: a lever judged by the rounds it wins, which a noisy machine
 * moves less than medians taken minutes apart.
 *
 * <p>Prints tables; figures on this machine go to {@code bench/README.md} by hand.
 */
public final class Benchmark {

  static final String PROJECT = "atelier-bench";
  private static final int PROVIDER_PORT_BASE = 17070;
  private static final String FLOOR_CLASS = "dev.atelier.local.bench.FloorFunction";

  private Benchmark() {}

  record Options(
      int rounds,
      int warm,
      List<Integer> concurrency,
      int perLevel,
      List<String> only,
      boolean oneCpu,
      String vsFlags,
      Map<String, String> vsEnv,
      Optional<Path> vsPackages,
      Optional<Path> java,
      Optional<Path> vsJava,
      boolean keepLogs) {

    /**
     * Whether each function also runs as a variant: with {@code vsFlags} and {@code vsEnv}, from
     * the deploy folders under {@code vsPackages}, on the JVM at {@code vsJava}.
     */
    boolean paired() {
      return !vsFlags.isEmpty() || !vsEnv.isEmpty() || vsPackages.isPresent() || vsJava.isPresent();
    }

    String variant() {
      StringBuilder variant = new StringBuilder(vsFlags);
      vsEnv.forEach((name, value) -> variant.append(' ').append(name).append('=').append(value));
      vsPackages.ifPresent(dir -> variant.append(" packages from ").append(dir));
      vsJava.ifPresent(dir -> variant.append(" on the JVM in ").append(dir));
      return variant.toString().trim();
    }

    /** The jar the variant of {@code function} runs: its own, or its copy under vsPackages. */
    Path variantJar(String function, Path jar) {
      return vsPackages
          .map(dir -> dir.resolve(function).resolve(jar.getFileName()).toAbsolutePath())
          .orElse(jar);
    }

    static Options parse(String[] args) {
      int rounds = 8;
      int warm = 200;
      List<Integer> concurrency = List.of(1, 8, 32, 80);
      int perLevel = 800;
      List<String> only = List.of();
      boolean oneCpu = false;
      String vsFlags = "";
      Map<String, String> vsEnv = new LinkedHashMap<>();
      Optional<Path> vsPackages = Optional.empty();
      Optional<Path> java = Optional.empty();
      Optional<Path> vsJava = Optional.empty();
      boolean keepLogs = false;
      for (int i = 0; i < args.length; i++) {
        String value = i + 1 < args.length ? args[i + 1] : "";
        switch (args[i]) {
          case "--rounds" -> rounds = Integer.parseInt(value);
          case "--warm" -> warm = Integer.parseInt(value);
          case "--per-level" -> perLevel = Integer.parseInt(value);
          case "--only" -> only = List.of(value.split(","));
          case "--vs-flags" -> vsFlags = value.trim();
          case "--vs-packages" -> {
            if (!Files.isDirectory(Path.of(value))) {
              throw new IllegalArgumentException("--vs-packages takes a folder of deploy folders");
            }
            vsPackages = Optional.of(Path.of(value));
          }
          // FunctionProcesses.onJava checks that each is a JDK's folder.
          case "--java" -> java = Optional.of(Path.of(value).toAbsolutePath());
          case "--vs-java" -> vsJava = Optional.of(Path.of(value).toAbsolutePath());
          case "--vs-env" -> {
            for (String pair : value.split(",")) {
              String[] kv = pair.split("=", 2);
              if (kv.length != 2 || kv[0].isBlank()) {
                throw new IllegalArgumentException("--vs-env takes NAME=value[,NAME=value]");
              }
              vsEnv.put(kv[0].trim(), kv[1].trim());
            }
          }
          case "--one-cpu" -> {
            oneCpu = true;
            i--; // a flag without a value
          }
          case "--keep-logs" -> {
            keepLogs = true;
            i--;
          }
          case "--concurrency" ->
              concurrency =
                  value.isBlank()
                      ? List.of()
                      : List.of(value.split(",")).stream().map(Integer::parseInt).toList();
          default -> throw new IllegalArgumentException("unknown argument " + args[i]);
        }
        i++;
      }
      return new Options(
          rounds,
          warm,
          concurrency,
          perLevel,
          only,
          oneCpu,
          vsFlags,
          vsEnv,
          vsPackages,
          java,
          vsJava,
          keepLogs);
    }
  }

  public static void main(String[] args) throws Exception {
    // The JDK HTTP server behind the Auth emulator's stand-in answers with Nagle's algorithm on
    // unless told otherwise: every token lookup then waits ~40 ms for the client's delayed ACK, a
    // stall neither the real emulator nor production has. Read when the first server starts.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    try {
      run(Options.parse(args));
    } catch (Exception | Error e) {
      e.printStackTrace();
      System.exit(1);
    }
    // The in-process emulators' and stand-ins' server threads would keep the JVM alive.
    System.exit(0);
  }

  private static void run(Options options) throws Exception {
    Path manifestFile = FunctionManifest.locate(Path.of(""));
    Path root = manifestFile.getParent().getParent();
    FunctionManifest manifest = FunctionManifest.load(manifestFile);
    Path catalog = root.resolve("seed/catalog.json");
    Path tmp = Files.createTempDirectory("atelier-bench");
    Path logs = tmp.resolve("logs");
    System.out.println(
        "[bench] logs in "
            + logs
            + (options.keepLogs() ? " (kept)" : " (kept only if the run fails)"));
    measure(options, root, manifest, catalog, tmp, logs);
    if (options.keepLogs()) {
      return;
    }
    try (java.util.stream.Stream<Path> files = Files.walk(tmp)) {
      for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    }
  }

  private static void measure(
      Options options, Path root, FunctionManifest manifest, Path catalog, Path tmp, Path logs)
      throws Exception {

    try (ProcessSupervisor supervisor = new ProcessSupervisor(tmp.resolve("run"), line -> {});
        FirestoreEmulator firestore =
            FirestoreEmulator.builder()
                .port(0)
                .indexRules(
                    IndexRules.fromJson(Files.readString(root.resolve("firestore.indexes.json"))))
                .rules(root.resolve("firestore.rules"))
                .start();
        StorageEmulator storage = StorageEmulator.start(0);
        StandIns standIns = StandIns.start(catalog, PROVIDER_PORT_BASE, logs)) {
      try (Database db =
          Clients.firestore(
              Config.forEmulators(PROJECT, firestore.hostAndPort(), null, "benchmark"))) {
        CatalogSeed.load(db, catalog);
      }
      String authHost = AuthEmulatorStub.shared().host();
      Map<String, String> env =
          new LinkedHashMap<>(
              FunctionProcesses.emulatorEnv(
                  PROJECT,
                  firestore.hostAndPort(),
                  authHost,
                  storage.baseUrl(),
                  "atelier-bench-media"));
      env.putAll(StandIns.env(standIns.providers(), "http://127.0.0.1:1/provider-webhook"));
      FunctionProcesses running =
          new FunctionProcesses(
              root, manifest, supervisor, FunctionProcesses.invokerJar(root), env);
      FunctionProcesses processes = options.java().map(running::onJava).orElse(running);
      System.out.println(
          "[bench] the floor and the functions run on the JVM in " + processes.javaHome());
      Requests requests = new Requests(PROJECT, standIns.providers().entrySet().iterator().next());
      List<Target> targets = new ArrayList<>();
      FunctionSpec redeem = manifest.function("redeem-code").orElseThrow();
      targets.add(
          Target.java(
              "floor (empty HttpFunction)",
              floorSpec(redeem),
              ownJar(),
              processes,
              logs,
              requests::floor,
              200));
      targets.add(
          Target.node(
              "node peer of redeem-code",
              root.resolve("bench/node-peer"),
              env,
              supervisor,
              logs,
              requests::redeem,
              404));
      FunctionProcesses variant =
          new FunctionProcesses(
                  root,
                  new FunctionManifest(
                      manifest.javaToolOptions() + " " + options.vsFlags(), manifest.functions()),
                  supervisor,
                  FunctionProcesses.invokerJar(root),
                  env)
              .onJava(options.vsJava().orElse(processes.javaHome()));
      Map<String, String> pairs = new LinkedHashMap<>();
      for (FunctionSpec spec : manifest.functions()) {
        if (spec.trigger() instanceof Trigger.Http
            && (options.only().isEmpty() || options.only().contains(spec.name()))) {
          Requests.Call call = requests.forFunction(spec.name());
          Path jar = FunctionProcesses.functionJar(root, spec.name());
          int expected = requests.expectedStatus(spec.name());
          targets.add(Target.java(spec.name(), spec, jar, processes, logs, call, expected));
          if (options.paired()) {
            String twin = spec.name() + " + variant";
            // On the function's own env, which wins over the stack's: a variable it sets can vary.
            targets.add(
                Target.java(
                    twin,
                    spec.withEnv(options.vsEnv()),
                    options.variantJar(spec.name(), jar),
                    variant,
                    logs,
                    call,
                    expected));
            pairs.put(twin, spec.name());
          }
        }
      }
      if (options.oneCpu()) {
        targets.replaceAll(Benchmark::pinnedToOneCpu);
      }
      ColdStarts.run(targets, pairs, options);
      if (!options.concurrency().isEmpty()) {
        for (Target target : targets) {
          if (target.name().equals("redeem-code")) {
            Concurrency.run(target, options);
          }
        }
      }
    }
  }

  /**
   * The target's processes confined to CPU 0 right after they start (taskset; the few ms before are
   * not), as an instance with {@code available_cpu = 1} is. The emulators keep both cores.
   */
  private static Target pinnedToOneCpu(Target target) {
    return new Target(
        target.name(),
        port -> {
          Process process = target.launcher().start(port);
          try {
            Process taskset =
                new ProcessBuilder("taskset", "-a", "-p", "-c", "0", Long.toString(process.pid()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (taskset.waitFor() != 0) {
              throw new IllegalStateException("taskset failed for " + target.name());
            }
          } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException("cannot pin " + target.name() + " to one CPU", e);
          }
          return process;
        },
        target.call(),
        target.expectedStatus());
  }

  /** redeem-code's spec (memory, flags) with the empty function as entry point. */
  private static FunctionSpec floorSpec(FunctionSpec like) {
    return new FunctionSpec(
        "floor",
        FLOOR_CLASS, // by name: the API is on the invoker's classpath only
        like.trigger(),
        like.memoryMb(),
        like.timeoutSeconds(),
        like.minInstances(),
        like.maxInstances(),
        Map.of(),
        false,
        like.cpu(),
        like.concurrency(),
        java.util.Set.of(),
        Map.of());
  }

  private static Path ownJar() throws Exception {
    return Path.of(Benchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}
