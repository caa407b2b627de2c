package dev.atelier.local.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Starts child processes with their output in a log file and a pid file holding pid and start time
 * (so a recycled pid is never mistaken for ours), and stops every one of them with its descendants.
 */
public final class ProcessSupervisor implements AutoCloseable {

  private static final Duration GRACE = Duration.ofSeconds(5);
  private static final String OWNER = "launcher.lock";

  private final Path runDir;
  private final Consumer<String> log;
  private final List<Child> children = new CopyOnWriteArrayList<>();

  public ProcessSupervisor(Path runDir, Consumer<String> log) {
    this.runDir = runDir;
    this.log = log;
  }

  /**
   * Makes this process the owner of the run directory: refuses while another live launcher owns it
   * (so a second start cannot take a running stack's processes down), then reaps what a crashed
   * owner left.
   */
  public void claim() throws IOException {
    Files.createDirectories(runDir);
    Path lock = runDir.resolve(OWNER);
    if (Files.exists(lock)) {
      Optional<ProcessHandle> owner = live(Files.readAllLines(lock));
      if (owner.isPresent() && owner.get().pid() != ProcessHandle.current().pid()) {
        throw new IllegalStateException(
            "a local stack is already running (pid "
                + owner.get().pid()
                + "); stop it first (Ctrl-C, or kill "
                + owner.get().pid()
                + ")");
      }
    }
    reapStale();
    Files.writeString(lock, stamp(ProcessHandle.current()));
  }

  /**
   * Stops processes recorded by an earlier run that did not shut down, and forgets their pid files.
   */
  public void reapStale() throws IOException {
    Files.createDirectories(runDir);
    try (Stream<Path> files = Files.list(runDir)) {
      for (Path pidFile : files.filter(p -> p.toString().endsWith(".pid")).toList()) {
        live(Files.readAllLines(pidFile))
            .ifPresent(
                h -> {
                  log.accept(
                      "[stack] stopping stale " + pidFile.getFileName() + " (pid " + h.pid() + ")");
                  stopTree(h);
                });
        Files.deleteIfExists(pidFile);
      }
    }
  }

  public Process start(
      String name, List<String> command, Map<String, String> env, Path workDir, Path logFile) {
    try {
      Files.createDirectories(logFile.getParent());
      Files.createDirectories(runDir);
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(logFile.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      builder.environment().putAll(env);
      Process process = builder.start();
      Path pidFile = runDir.resolve(name + ".pid");
      Files.writeString(pidFile, stamp(process.toHandle()));
      children.add(new Child(name, process, pidFile));
      return process;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
  }

  /** "pid\nstart instant\n": a pid alone could be a recycled one. */
  private static String stamp(ProcessHandle handle) {
    return handle.pid()
        + "\n"
        + handle.info().startInstant().map(Instant::toString).orElse("")
        + "\n";
  }

  private static Optional<ProcessHandle> live(List<String> stamp) {
    if (stamp.size() != 2 || stamp.get(0).isBlank()) {
      return Optional.empty();
    }
    return ProcessHandle.of(Long.parseLong(stamp.get(0).trim()))
        .filter(
            h ->
                h.info()
                    .startInstant()
                    .map(Instant::toString)
                    .orElse("")
                    .equals(stamp.get(1).trim()));
  }

  @Override
  public void close() {
    for (Child child : children) {
      stopTree(child.process().toHandle());
      try {
        Files.deleteIfExists(child.pidFile());
      } catch (IOException ignored) {
        // the next start reaps by pid and start time anyway
      }
    }
    children.clear();
    try {
      Path lock = runDir.resolve(OWNER);
      if (Files.exists(lock)
          && live(Files.readAllLines(lock))
              .map(h -> h.pid() == ProcessHandle.current().pid())
              .orElse(false)) {
        Files.delete(lock);
      }
    } catch (IOException ignored) {
      // a stale lock names a dead owner and is taken over by the next claim
    }
  }

  /**
   * SIGTERM to the whole tree (children first), then SIGKILL to whatever outlives the grace period.
   */
  static void stopTree(ProcessHandle root) {
    List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
    tree.add(root);
    tree.forEach(ProcessHandle::destroy);
    Instant deadline = Instant.now().plus(GRACE);
    for (ProcessHandle handle : tree) {
      try {
        handle
            .onExit()
            .get(
                Math.max(1, Duration.between(Instant.now(), deadline).toMillis()),
                java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (Exception timedOut) {
        handle.destroyForcibly();
      }
    }
  }

  private record Child(String name, Process process, Path pidFile) {}
}
