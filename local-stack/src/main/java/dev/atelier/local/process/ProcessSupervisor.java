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

    private final Path runDir;
    private final Consumer<String> log;
    private final List<Child> children = new CopyOnWriteArrayList<>();

    public ProcessSupervisor(Path runDir, Consumer<String> log) {
        this.runDir = runDir;
        this.log = log;
    }

    /** Stops processes recorded by an earlier run that did not shut down, and forgets their pid files. */
    public void reapStale() throws IOException {
        Files.createDirectories(runDir);
        try (Stream<Path> files = Files.list(runDir)) {
            for (Path pidFile : files.filter(p -> p.toString().endsWith(".pid")).toList()) {
                List<String> lines = Files.readAllLines(pidFile);
                if (lines.size() == 2) {
                    Optional<ProcessHandle> stale = ProcessHandle.of(Long.parseLong(lines.get(0).trim()))
                            .filter(h -> h.info().startInstant().map(Instant::toString).orElse("").equals(lines.get(1).trim()));
                    stale.ifPresent(h -> {
                        log.accept("[stack] stopping stale " + pidFile.getFileName() + " (pid " + h.pid() + ")");
                        stopTree(h);
                    });
                }
                Files.deleteIfExists(pidFile);
            }
        }
    }

    public Process start(String name, List<String> command, Map<String, String> env, Path workDir, Path logFile) {
        try {
            Files.createDirectories(logFile.getParent());
            Files.createDirectories(runDir);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().putAll(env);
            Process process = builder.start();
            Path pidFile = runDir.resolve(name + ".pid");
            Files.writeString(pidFile, process.pid() + "\n"
                    + process.info().startInstant().map(Instant::toString).orElse("") + "\n");
            children.add(new Child(name, process, pidFile));
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
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
    }

    /** SIGTERM to the whole tree (children first), then SIGKILL to whatever outlives the grace period. */
    static void stopTree(ProcessHandle root) {
        List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
        tree.add(root);
        tree.forEach(ProcessHandle::destroy);
        Instant deadline = Instant.now().plus(GRACE);
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(Math.max(1, Duration.between(Instant.now(), deadline).toMillis()),
                        java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (Exception timedOut) {
                handle.destroyForcibly();
            }
        }
    }

    private record Child(String name, Process process, Path pidFile) {}
}
