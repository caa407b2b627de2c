package dev.atelier.local.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atelier.local.process.FunctionProcesses;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a function build leaves in target/function/ is a valid Cloud Functions jar upload that loads
 * what the thin jar's class path loaded: exactly one jar, with no Class-Path, every entry of the
 * thin jar and of every library its Class-Path named (functions/packaging/PackFunction.java merges
 * them; target/thin/ keeps the inputs), their service files merged, its entries stored, no
 * functions-framework-api (the runtime provides it), and no official Firestore client (ours is in
 * it). In the reactor every function module is packaged before this module's tests run; a missing
 * folder fails, since a function that is not packaged cannot be deployed.
 */
class FunctionPackagingTest {

  private static final Path ROOT = FunctionManifest.locate(Path.of("")).getParent().getParent();
  private static final String SERVICES = "META-INF/services/";
  // What PackFunction leaves out on purpose: manifests, signatures, module descriptors.
  private static final Pattern DROPPED =
      Pattern.compile(
          "META-INF/MANIFEST\\.MF|META-INF/INDEX\\.LIST|META-INF/[^/]+\\.(SF|RSA|DSA|EC)"
              + "|(META-INF/versions/\\d+/)?module-info\\.class");

  static Stream<String> functions() throws IOException {
    return FunctionManifest.load(ROOT.resolve(FunctionManifest.RELATIVE_PATH)).functions().stream()
        .map(FunctionSpec::name);
  }

  @ParameterizedTest
  @MethodSource("functions")
  void thePackagedFolderIsOneJarWithoutAClassPath(String name) throws IOException {
    Path jar = packaged(name);
    try (Stream<Path> files = Files.list(jar.getParent())) {
      assertEquals(
          List.of(jar.getFileName().toString()),
          files.map(p -> p.getFileName().toString()).toList());
    }
    try (JarFile file = new JarFile(jar.toFile())) {
      assertNull(file.getManifest().getMainAttributes().getValue(Attributes.Name.CLASS_PATH));
      assertNull(
          file.getEntry("com/google/cloud/functions/HttpFunction.class"),
          "the Functions Framework API must stay provided");
    }
  }

  @ParameterizedTest
  @MethodSource("functions")
  void theJarHoldsEveryEntryOfTheFunctionAndItsLibraries(String name) throws IOException {
    List<String> missing = new ArrayList<>();
    try (ZipFile merged = new ZipFile(packaged(name).toFile())) {
      for (Path jar : classPath(name)) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
          zip.stream()
              .map(ZipEntry::getName)
              .filter(n -> !DROPPED.matcher(n).matches() && merged.getEntry(n) == null)
              .forEach(n -> missing.add(jar.getFileName() + "!" + n));
        }
      }
    }
    assertEquals(List.of(), missing.stream().limit(20).toList());
  }

  @ParameterizedTest
  @MethodSource("functions")
  void serviceFilesListEveryProviderOfEveryLibrary(String name) throws IOException {
    // ServiceLoader saw each jar's file; in one jar there is one file per service.
    List<String> missing = new ArrayList<>();
    try (ZipFile merged = new ZipFile(packaged(name).toFile())) {
      for (Path jar : classPath(name)) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
          for (ZipEntry entry : zip.stream().filter(e -> isServiceFile(e.getName())).toList()) {
            List<String> have = providers(merged, merged.getEntry(entry.getName()));
            for (String provider : providers(zip, entry)) {
              if (!have.contains(provider)) {
                missing.add(entry.getName() + ": " + provider + " (" + jar.getFileName() + ")");
              }
            }
          }
        }
      }
    }
    assertEquals(List.of(), missing);
  }

  @ParameterizedTest
  @MethodSource("functions")
  void theJarIsMultiReleaseWhenALibraryWasAndItsEntriesAreStored(String name) throws IOException {
    boolean anyMultiRelease = false;
    for (Path jar : classPath(name)) {
      try (JarFile file = new JarFile(jar.toFile())) {
        anyMultiRelease |= file.isMultiRelease();
      }
    }
    try (JarFile merged = new JarFile(packaged(name).toFile())) {
      assertEquals(anyMultiRelease, merged.isMultiRelease());
      // A cold start then reads its class files without inflating them.
      assertEquals(
          List.of(),
          merged.stream()
              .filter(e -> e.getMethod() != ZipEntry.STORED)
              .map(ZipEntry::getName)
              .limit(20)
              .toList());
    }
  }

  @ParameterizedTest
  @MethodSource("functions")
  void theJarLeavesTheOfficialFirestoreClientOut(String name) throws IOException {
    // The functions talk to Firestore through atelier-firestore-client; google-cloud-firestore (and
    // the ~800 classes a cold start would load with it) must not come back through a dependency.
    try (ZipFile merged = new ZipFile(packaged(name).toFile())) {
      assertEquals(
          List.of(),
          merged.stream()
              .map(ZipEntry::getName)
              .filter(n -> n.startsWith("com/google/cloud/firestore/"))
              .limit(5)
              .toList());
      assertTrue(merged.getEntry("dev/atelier/firestore/Database.class") != null);
    }
  }

  private static Path packaged(String name) {
    Path jar = FunctionProcesses.functionJar(ROOT, name);
    assertTrue(
        Files.exists(jar),
        name + " is not packaged: its module must be built (mvn package) before this test");
    return jar;
  }

  /** The thin jar PackFunction read, then the libraries its Class-Path names, in order. */
  private static List<Path> classPath(String name) throws IOException {
    Path thin = ROOT.resolve("functions").resolve(name).resolve("target/thin/" + name + ".jar");
    assertTrue(Files.exists(thin), name + ": " + thin + " is missing");
    List<Path> jars = new ArrayList<>(List.of(thin));
    try (JarFile file = new JarFile(thin.toFile())) {
      Manifest manifest = file.getManifest();
      for (String entry :
          manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH).trim().split("\\s+")) {
        Path lib = thin.resolveSibling(entry);
        assertTrue(Files.isRegularFile(lib), "Class-Path entry missing: " + lib);
        jars.add(lib);
      }
    }
    return jars;
  }

  private static boolean isServiceFile(String name) {
    return name.startsWith(SERVICES) && name.length() > SERVICES.length() && !name.endsWith("/");
  }

  private static List<String> providers(ZipFile zip, ZipEntry entry) throws IOException {
    if (entry == null) {
      return List.of();
    }
    try (InputStream in = zip.getInputStream(entry)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .map(l -> l.replaceFirst("#.*", "").trim())
          .filter(l -> !l.isEmpty())
          .toList();
    }
  }
}
