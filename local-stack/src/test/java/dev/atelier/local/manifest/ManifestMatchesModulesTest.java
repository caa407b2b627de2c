package dev.atelier.local.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.local.schedule.CronExpression;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The manifest and the modules under functions/ can never drift apart. */
class ManifestMatchesModulesTest {

  private static final Path MANIFEST = FunctionManifest.locate(Path.of(""));
  private static final Path FUNCTIONS = MANIFEST.getParent();

  private static FunctionManifest manifest() throws IOException {
    return FunctionManifest.load(MANIFEST);
  }

  private static Set<String> modules() throws IOException {
    try (Stream<Path> dirs = Files.list(FUNCTIONS)) {
      return dirs.filter(d -> Files.isRegularFile(d.resolve("pom.xml")))
          .map(d -> d.getFileName().toString())
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  /** The source file of {@code f}'s entry point class in its module. */
  private static Path entryPointSource(FunctionSpec f) {
    return FUNCTIONS
        .resolve(f.name())
        .resolve("src/main/java")
        .resolve(f.entryPoint().replace('.', '/') + ".java");
  }

  @Test
  void everyFunctionModuleHasAManifestEntry() throws IOException {
    Set<String> listed =
        manifest().functions().stream().map(FunctionSpec::name).collect(Collectors.toSet());
    List<String> unlisted = modules().stream().filter(m -> !listed.contains(m)).toList();
    assertEquals(List.of(), unlisted, "modules under functions/ missing from " + MANIFEST);
  }

  @Test
  void everyManifestEntryHasAModule() throws IOException {
    Set<String> modules = modules();
    List<String> orphans =
        manifest().functions().stream()
            .map(FunctionSpec::name)
            .filter(name -> !modules.contains(name))
            .toList();
    assertEquals(List.of(), orphans, "manifest entries without a module under functions/");
  }

  @Test
  void everyEntryPointClassExistsInItsModuleSources() throws IOException {
    List<String> missing =
        manifest().functions().stream()
            .filter(f -> !Files.isRegularFile(entryPointSource(f)))
            .map(f -> f.name() + " -> " + f.entryPoint())
            .toList();
    assertEquals(List.of(), missing, "entry points not found in their module's src/main/java");
  }

  @Test
  void everyHttpFunctionIsDeployedThroughAParallelLoadingEntryPoint() throws IOException {
    // The invoker's class loader loads one class at a time; HttpEntryPoint builds the function in
    // one that loads in parallel, which shortens every cold start (bench/README).
    List<String> serial = new ArrayList<>();
    for (FunctionSpec f : manifest().functions()) {
      if (f.trigger() instanceof Trigger.Http
          && !Files.readString(entryPointSource(f)).contains(" extends HttpEntryPoint ")) {
        serial.add(f.name());
      }
    }
    assertEquals(List.of(), serial, "HTTP functions whose entry point is not an HttpEntryPoint");
  }

  @Test
  void everyScheduleParsesInAKnownTimeZone() throws IOException {
    for (FunctionSpec f : manifest().functions()) {
      if (f.trigger() instanceof Trigger.Schedule s) {
        CronExpression.parse(s.cron());
        ZoneId.of(s.timeZone());
      }
    }
  }

  @Test
  void runtimeSettingsAreWithinCloudFunctionsLimits() throws IOException {
    for (FunctionSpec f : manifest().functions()) {
      assertTrue(f.memoryMb() >= 128 && f.memoryMb() <= 32768, f.name() + " memoryMb");
      assertTrue(
          f.timeoutSeconds() >= 1
              && f.timeoutSeconds() <= (f.trigger() instanceof Trigger.Http ? 3600 : 540),
          f.name() + " timeoutSeconds");
      assertTrue(
          f.minInstances() >= 0 && f.minInstances() <= f.maxInstances(), f.name() + " instances");
      assertTrue(
          f.name().matches("[a-z][a-z0-9-]{0,62}"), f.name() + " is not a Cloud Functions name");
      // Cloud Run: 1 to 1000 concurrent requests; 0.083 to 8 vCPU; above 4 GiB needs 2 vCPU, 8 GiB
      // 4, 16 GiB 6, 24 GiB 8.
      assertTrue(f.concurrency() >= 1 && f.concurrency() <= 1000, f.name() + " concurrency");
      assertTrue(f.cpu() >= 0.083 && f.cpu() <= 8, f.name() + " cpu");
      double minCpu =
          f.memoryMb() > 24576
              ? 8
              : f.memoryMb() > 16384 ? 6 : f.memoryMb() > 8192 ? 4 : f.memoryMb() > 4096 ? 2 : 0;
      assertTrue(
          f.cpu() >= minCpu,
          f.name() + " needs at least " + minCpu + " vCPU for " + f.memoryMb() + " MiB");
    }
  }

  @Test
  void functionUrlsPointAtHttpFunctions() throws IOException {
    FunctionManifest manifest = manifest();
    for (FunctionSpec f : manifest.functions()) {
      for (String target : f.functionUrls().values()) {
        assertTrue(
            manifest.function(target).orElseThrow().trigger() instanceof Trigger.Http,
            f.name() + " -> " + target + " is not an HTTP function");
      }
    }
  }
}
