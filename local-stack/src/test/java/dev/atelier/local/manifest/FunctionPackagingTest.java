package dev.atelier.local.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.local.process.FunctionProcesses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a function build leaves in target/function/ is a valid Cloud Functions jar upload: exactly
 * one jar at the root, its manifest Class-Path resolving to libs/, no functions-framework-api (the
 * runtime provides it), and libs/ jars with their entries stored. In the reactor every function
 * module is packaged before this module's tests run; a missing folder fails, since a function that
 * is not packaged cannot be deployed.
 */
class FunctionPackagingTest {

  private static final Path ROOT = FunctionManifest.locate(Path.of("")).getParent().getParent();

  static Stream<String> functions() throws IOException {
    return FunctionManifest.load(ROOT.resolve(FunctionManifest.RELATIVE_PATH)).functions().stream()
        .map(FunctionSpec::name);
  }

  @ParameterizedTest
  @MethodSource("functions")
  void thePackagedFolderIsOneThinJarWithItsLibs(String name) throws IOException {
    Path jar = FunctionProcesses.functionJar(ROOT, name);
    assertTrue(
        Files.exists(jar),
        name + " is not packaged: its module must be built (mvn package) before this test");
    Path folder = jar.getParent();
    try (Stream<Path> files = Files.list(folder)) {
      assertEquals(
          List.of(jar.getFileName().toString()),
          files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).toList());
    }
    String classPath;
    try (JarFile file = new JarFile(jar.toFile())) {
      classPath = file.getManifest().getMainAttributes().getValue("Class-Path");
    }
    List<String> entries = Arrays.asList(classPath.trim().split("\\s+"));
    assertEquals(
        List.of(),
        entries.stream().filter(e -> !Files.isRegularFile(folder.resolve(e))).toList(),
        "Class-Path entries missing from " + folder);
    assertEquals(
        List.of(),
        entries.stream().filter(e -> e.contains("functions-framework-api")).toList(),
        "the Functions Framework API must stay provided");
  }

  @ParameterizedTest
  @MethodSource("functions")
  void everyJarInLibsHoldsItsEntriesStoredNotDeflated(String name) throws IOException {
    // A cold start then reads its class files without inflating them (functions/packaging).
    Path libs = FunctionProcesses.functionJar(ROOT, name).resolveSibling("libs");
    assertTrue(Files.isDirectory(libs), name + " is not packaged: " + libs + " is missing");
    List<String> deflated = new ArrayList<>();
    try (Stream<Path> files = Files.list(libs)) {
      for (Path jar : files.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
          if (zip.stream().anyMatch(e -> e.getMethod() != ZipEntry.STORED)) {
            deflated.add(jar.getFileName().toString());
          }
        }
      }
    }
    assertEquals(List.of(), deflated, "jars in " + libs + " with deflated entries");
  }
}
