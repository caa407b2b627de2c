package dev.atelier.local.process;

import dev.atelier.local.host.LoopbackFunctionHost;
import dev.atelier.local.manifest.FunctionManifest;
import dev.atelier.local.manifest.FunctionSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Starts each manifest function as its own JVM on the Functions Framework invoker (through {@link
 * LoopbackFunctionHost}), with the environment Cloud Functions would give it plus the emulator
 * hosts, and waits until each one answers.
 */
public final class FunctionProcesses {

  /** A started function: where it listens, and how long from process start to its first answer. */
  public record Running(FunctionSpec spec, URI baseUrl, Process process, Instant startedAt) {}

  private final Path repoRoot;
  private final FunctionManifest manifest;
  private final ProcessSupervisor supervisor;
  private final Path invokerJar;
  private final Map<String, String> sharedEnv;
  private final Path javaHome;

  /**
   * Functions on the JVM running this one.
   *
   * @param sharedEnv env every function gets (project id, emulator hosts, …); manifest env wins on
   *     clashes
   */
  public FunctionProcesses(
      Path repoRoot,
      FunctionManifest manifest,
      ProcessSupervisor supervisor,
      Path invokerJar,
      Map<String, String> sharedEnv) {
    this(
        repoRoot,
        manifest,
        supervisor,
        invokerJar,
        sharedEnv,
        Path.of(System.getProperty("java.home")));
  }

  private FunctionProcesses(
      Path repoRoot,
      FunctionManifest manifest,
      ProcessSupervisor supervisor,
      Path invokerJar,
      Map<String, String> sharedEnv,
      Path javaHome) {
    this.repoRoot = repoRoot;
    this.manifest = manifest;
    this.supervisor = supervisor;
    this.invokerJar = invokerJar;
    this.sharedEnv = Map.copyOf(sharedEnv);
    this.javaHome = javaHome;
  }

  /** The folder of the JVM that starts the functions. */
  public Path javaHome() {
    return javaHome;
  }

  /** The same functions started by the JVM installed at {@code javaHome} (a JDK's folder). */
  public FunctionProcesses onJava(Path javaHome) {
    if (!Files.isExecutable(javaHome.resolve("bin/java"))) {
      throw new IllegalArgumentException("not a JDK's folder (no bin/java): " + javaHome);
    }
    return new FunctionProcesses(repoRoot, manifest, supervisor, invokerJar, sharedEnv, javaHome);
  }

  /**
   * What every local function gets on top of Cloud Functions' own variables: project and emulator
   * hosts.
   */
  public static Map<String, String> emulatorEnv(
      String project,
      String firestoreHost,
      String authHost,
      String storageUrl,
      String mediaBucket) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("GOOGLE_CLOUD_PROJECT", project);
    env.put("GCLOUD_PROJECT", project);
    env.put("FIRESTORE_EMULATOR_HOST", firestoreHost);
    env.put("FIREBASE_AUTH_EMULATOR_HOST", authHost);
    env.put("STORAGE_EMULATOR_HOST", storageUrl);
    env.put("MEDIA_BUCKET", mediaBucket);
    return env;
  }

  /** The Functions Framework invoker the local-stack build copies into its {@code target/}. */
  public static Path invokerJar(Path repoRoot) {
    return repoRoot.resolve("local-stack/target/invoker/java-function-invoker.jar");
  }

  /** The deployable jar the module build leaves in {@code target/function/}. */
  public static Path functionJar(Path repoRoot, String name) {
    return repoRoot.resolve("functions").resolve(name).resolve("target/function/" + name + ".jar");
  }

  public List<Running> startAll(Path logDir) {
    List<Running> running = new ArrayList<>();
    for (FunctionSpec spec : manifest.functions()) {
      running.add(start(spec, functionJar(repoRoot, spec.name()), freePort(), logDir));
    }
    return running;
  }

  public Running start(FunctionSpec spec, Path classpath, int port, Path logDir) {
    if (!Files.exists(classpath)) {
      throw new IllegalStateException(
          classpath + " is missing: build with mvn -B -q install -DskipTests");
    }
    Map<String, String> env = new LinkedHashMap<>(sharedEnv);
    env.put("PORT", Integer.toString(port));
    env.put("FUNCTION_TARGET", spec.entryPoint());
    env.put("K_SERVICE", spec.name());
    env.put("K_REVISION", spec.name() + "-local");
    env.put("CLOUD_RUN_TIMEOUT_SECONDS", Integer.toString(spec.timeoutSeconds()));
    env.put("JAVA_TOOL_OPTIONS", manifest.javaToolOptions(spec));
    env.putAll(spec.env());
    List<String> command =
        List.of(
            javaHome.resolve("bin/java").toString(),
            "-cp",
            invokerJar + java.io.File.pathSeparator + ownCodeSource(),
            LoopbackFunctionHost.class.getName(),
            "--target",
            spec.entryPoint(),
            "--classpath",
            classpath.toString(),
            "--port",
            Integer.toString(port));
    Instant startedAt = Instant.now();
    Process process =
        supervisor.start(spec.name(), command, env, repoRoot, logDir.resolve(spec.name() + ".log"));
    return new Running(
        spec,
        URI.create("http://" + LoopbackFunctionHost.LOOPBACK + ":" + port + "/"),
        process,
        startedAt);
  }

  /**
   * Waits for the function's server to answer (the invoker answers /robots.txt itself, after the
   * function instance is built) and returns process start → first answer.
   */
  public static Duration awaitReady(Running function, Duration timeout)
      throws InterruptedException {
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    HttpRequest probe =
        HttpRequest.newBuilder(function.baseUrl().resolve("/robots.txt"))
            .timeout(Duration.ofSeconds(5))
            .build();
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!function.process().isAlive()) {
        throw new IllegalStateException(
            function.spec().name()
                + " exited with "
                + function.process().exitValue()
                + "; see its log");
      }
      try {
        http.send(probe, HttpResponse.BodyHandlers.discarding());
        return Duration.between(function.startedAt(), Instant.now());
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException(function.spec().name() + " did not answer within " + timeout);
  }

  private static Path ownCodeSource() {
    try {
      return Path.of(
          LoopbackFunctionHost.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An unused loopback port (the tiny race until the function binds it is acceptable locally). */
  /**
   * A free loopback port for a child process to bind, below the kernel's ephemeral range (Linux
   * hands out 32768-60999 by default). A port from that range (bind to port 0) is free only until
   * the child binds it, and meanwhile any outgoing connection on the machine may be given it: a
   * chaos demo once saw a function fail to start with "Address already in use". Ports below the
   * range are never given to outgoing connections; none is handed out twice by this JVM.
   */
  public static synchronized int freePort() {
    for (int attempt = 0; attempt < 1_000; attempt++) {
      int port = FIRST_CHILD_PORT + RANDOM.nextInt(CHILD_PORTS);
      if (!HANDED_OUT.contains(port) && bindable(port)) {
        HANDED_OUT.add(port);
        return port;
      }
    }
    throw new IllegalStateException(
        "no free loopback port in " + FIRST_CHILD_PORT + "-" + (FIRST_CHILD_PORT + CHILD_PORTS));
  }

  private static final int FIRST_CHILD_PORT = 20_000;
  private static final int CHILD_PORTS = 12_000;
  private static final Random RANDOM = new Random();
  private static final Set<Integer> HANDED_OUT = new HashSet<>();

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException taken) {
      return false;
    }
  }
}
