package dev.atelier.local.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One started instance of a target: started now, ready when its port accepts a connection (what
 * Cloud Run's default TCP startup probe waits for), stopped on close.
 */
final class Instance implements AutoCloseable {

  final Target target;
  final Process process;
  final URI base;
  final long startedNanos;

  private Instance(Target target, Process process, int port, long startedNanos) {
    this.target = target;
    this.process = process;
    this.base = Target.base(port);
    this.startedNanos = startedNanos;
  }

  static Instance start(Target target) {
    int port = dev.atelier.local.process.FunctionProcesses.freePort();
    long t0 = System.nanoTime();
    Process process = target.launcher().start(port);
    Instance instance = new Instance(target, process, port, t0);
    instance.awaitPort(port, Duration.ofSeconds(120));
    return instance;
  }

  private void awaitPort(int port, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(target.name() + " exited with " + process.exitValue());
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }
    throw new IllegalStateException(target.name() + " did not open its port within " + timeout);
  }

  /** Sends request {@code n}; fails unless the answer is the target's expected one. */
  HttpResponse<String> call(HttpClient http, long n) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(target.call().build(base, n), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != target.expectedStatus()) {
      throw new IllegalStateException(
          target.name()
              + " answered "
              + response.statusCode()
              + " (expected "
              + target.expectedStatus()
              + "): "
              + response.body());
    }
    return response;
  }

  double millisSinceStart() {
    return (System.nanoTime() - startedNanos) / 1e6;
  }

  /**
   * CPU time the process has used so far (user + system, all threads), in ms, from /proc: beside
   * the wall time it shows how much of a start ran on both cores at once.
   */
  double cpuMillis() throws IOException {
    String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
    // Fields after the command name, which is in parentheses and may hold spaces.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return ticks * 1000.0 / CLOCK_TICKS_PER_SECOND;
  }

  // USER_HZ: 100 on every Linux this runs on (sysconf(_SC_CLK_TCK) is not reachable from Java).
  private static final int CLOCK_TICKS_PER_SECOND = 100;

  /** Peak resident set size (VmHWM) in MB, from /proc. */
  double peakRssMb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
      }
    }
    throw new IOException("no VmHWM for pid " + process.pid());
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
