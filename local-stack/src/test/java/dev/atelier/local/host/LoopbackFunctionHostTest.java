package dev.atelier.local.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.local.manifest.FunctionManifest;
import dev.atelier.local.manifest.FunctionSpec;
import dev.atelier.local.manifest.Trigger;
import dev.atelier.local.process.FunctionProcesses;
import dev.atelier.local.process.ProcessSupervisor;
import dev.atelier.local.sample.SampleHttpFunction;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A function runs on the real invoker in its own JVM, answers, and listens on loopback only. */
class LoopbackFunctionHostTest {

  private static final Path INVOKER = Path.of("target/invoker/java-function-invoker.jar");
  private static ProcessSupervisor supervisor;
  private static FunctionProcesses.Running sample;
  private static int port;

  @BeforeAll
  static void startSample(@TempDir Path tmp) throws Exception {
    supervisor = new ProcessSupervisor(tmp.resolve("run"), System.out::println);
    FunctionSpec spec =
        new FunctionSpec(
            "sample",
            SampleHttpFunction.class.getName(),
            new Trigger.Http(),
            256,
            30,
            0,
            1,
            Map.of(),
            false);
    FunctionManifest manifest =
        new FunctionManifest("-XX:TieredStopAtLevel=1 -XX:MaxRAM={memoryMb}m", List.of(spec));
    FunctionProcesses processes =
        new FunctionProcesses(
            Path.of("").toAbsolutePath(), manifest, supervisor, INVOKER, Map.of());
    port = FunctionProcesses.freePort();
    sample =
        processes.start(
            spec, Path.of("target/test-classes").toAbsolutePath(), port, tmp.resolve("logs"));
    FunctionProcesses.awaitReady(sample, Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() {
    supervisor.close();
  }

  @Test
  void theFunctionAnswersThroughTheInvoker() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/some/path"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    assertEquals("sample GET /some/path sample", response.body());
  }

  @Test
  void itListensOnLoopbackOnly() throws Exception {
    String hexPort = String.format(":%04X", port);
    List<String> listening = new java.util.ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Files.readAllLines(Path.of(table)).stream()
          .map(line -> line.trim().split("\\s+"))
          .filter(cols -> cols[1].endsWith(hexPort) && cols[3].equals("0A"))
          .forEach(
              cols -> listening.add(cols[1].substring(0, cols[1].length() - hexPort.length())));
    }
    // 127.0.0.1 as IPv4, or IPv4-mapped in the IPv6 table; never 0.0.0.0 / ::
    assertEquals(1, listening.size(), "listeners: " + listening);
    assertTrue(
        Set.of("0100007F", "0000000000000000FFFF00000100007F").contains(listening.get(0)),
        "bound to " + listening);
  }
}
