package dev.atelier.local;

import com.google.events.cloud.firestore.v1.DocumentEventData;
import dev.atelier.local.manifest.FunctionManifest;
import dev.atelier.local.manifest.FunctionSpec;
import dev.atelier.local.manifest.Trigger;
import dev.atelier.local.process.FunctionProcesses;
import dev.atelier.local.process.ProcessSupervisor;
import dev.atelier.local.providers.StandIns;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures each function's cold start as the stack launches it (same invoker host, same
 * JAVA_TOOL_OPTIONS), one process at a time against the running stack's emulators: process start →
 * server answering, and → the function's own first answer (a tokenless POST for HTTP functions, a
 * CloudEvent for an absent ledger entry for triggers). {@code local-stack/cold-start.sh [runs]};
 * prints medians.
 */
public final class ColdStartProbe {

  private ColdStartProbe() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    Path manifestFile = FunctionManifest.locate(Path.of(""));
    Path root = manifestFile.getParent().getParent();
    FunctionManifest manifest = FunctionManifest.load(manifestFile);
    StackInfo stack = StackInfo.read(root);
    Path tmp = Files.createTempDirectory("cold-start");
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try (ProcessSupervisor supervisor = new ProcessSupervisor(tmp.resolve("run"), line -> {})) {
      Map<String, String> env =
          new LinkedHashMap<>(
              FunctionProcesses.emulatorEnv(
                  stack.projectId(),
                  stack.firestoreHost(),
                  stack.authHost(),
                  stack.storageUrl(),
                  stack.mediaBucket()));
      env.putAll(StandIns.env(stack.providers(), stack.frontUrl() + "/provider-webhook"));
      FunctionProcesses processes =
          new FunctionProcesses(
              root,
              manifest,
              supervisor,
              root.resolve("local-stack/target/invoker/java-function-invoker.jar"),
              env);
      System.out.println(
          "function               ready (median)   first function answer (median)   JAVA_TOOL_OPTIONS");
      for (FunctionSpec spec : manifest.functions()) {
        List<Long> ready = new ArrayList<>();
        List<Long> answered = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
          FunctionProcesses.Running f =
              processes.start(
                  spec,
                  FunctionProcesses.functionJar(root, spec.name()),
                  FunctionProcesses.freePort(),
                  tmp.resolve("logs"));
          ready.add(FunctionProcesses.awaitReady(f, Duration.ofSeconds(120)).toMillis());
          http.send(firstRequest(f), HttpResponse.BodyHandlers.discarding());
          answered.add(Duration.between(f.startedAt(), Instant.now()).toMillis());
          f.process().destroy();
          f.process().waitFor();
        }
        System.out.printf(
            "%-22s %6d ms          %6d ms                          %s%n",
            spec.name(), median(ready), median(answered), manifest.javaToolOptions(spec));
      }
    }
  }

  private static HttpRequest firstRequest(FunctionProcesses.Running f) {
    if (f.spec().trigger() instanceof Trigger.FirestoreEvent) {
      String doc = "credits/cold-start/ledger/absent";
      return HttpRequest.newBuilder(f.baseUrl())
          .header("content-type", "application/protobuf")
          .header("ce-specversion", "1.0")
          .header("ce-id", "cold-start-" + System.nanoTime())
          .header("ce-source", "//firestore.googleapis.com/projects/probe/databases/(default)")
          .header("ce-type", "google.cloud.firestore.document.v1.written")
          .header("ce-subject", "documents/" + doc)
          .header("ce-time", Instant.now().toString())
          .header("ce-document", doc)
          .POST(
              HttpRequest.BodyPublishers.ofByteArray(
                  DocumentEventData.getDefaultInstance().toByteArray()))
          .build();
    }
    return HttpRequest.newBuilder(f.baseUrl())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{}"))
        .build();
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }
}
