import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Packs a function for deployment: its thin jar and every jar its manifest Class-Path names,
 * merged into one jar whose entries are stored, not deflated. A cold start then finds each class
 * with one lookup in one jar instead of walking ~125 jars in Class-Path order (that walk and
 * opening the jars were ~10 % of redeem-code's start CPU), and reads class files without inflating
 * them (~7 %); bench/README.md has the measurements.
 *
 * <p>The merged jar resolves what the class path did: the first jar in Class-Path order that has
 * an entry wins; {@code META-INF/services} files are concatenated in that order (ServiceLoader saw
 * every jar's); the manifest is the thin jar's without Class-Path, and says Multi-Release when a
 * library was (their {@code META-INF/versions} entries are kept). Signature files and {@code
 * module-info.class} are dropped: a merged jar cannot keep a signature valid, and the class path
 * ignores module descriptors. Entries keep their times and bytes and come in a fixed order, so the
 * same inputs give the same bytes (Terraform's content-hashed upload does not change). The deploy
 * zip deflates the jar again for the upload.
 *
 * <p>Run by the function-package profile of functions/pom.xml: {@code java PackFunction.java
 * <thin jar> <merged jar>}.
 */
public final class PackFunction {

  private static final String SERVICES = "META-INF/services/";
  private static final Pattern DROPPED =
      Pattern.compile(
          "META-INF/MANIFEST\\.MF|META-INF/INDEX\\.LIST|META-INF/[^/]+\\.(SF|RSA|DSA|EC)"
              + "|(META-INF/versions/\\d+/)?module-info\\.class");

  public static void main(String[] args) throws IOException {
    Path thin = Path.of(args[0]);
    Path merged = Path.of(args[1]).toAbsolutePath();
    Manifest manifest;
    long time; // of the thin jar's manifest: entries we write take it, so the bytes reproduce
    try (JarFile jar = new JarFile(thin.toFile())) {
      manifest = new Manifest(jar.getManifest());
      time = jar.getEntry(JarFile.MANIFEST_NAME).getTime();
    }
    List<Path> jars = new ArrayList<>(List.of(thin));
    String classPath = manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
    if (classPath != null) {
      for (String entry : classPath.trim().split("\\s+")) {
        jars.add(thin.resolveSibling(entry));
      }
    }
    manifest.getMainAttributes().remove(Attributes.Name.CLASS_PATH);
    if (anyMultiRelease(jars)) {
      manifest.getMainAttributes().put(new Attributes.Name("Multi-Release"), "true");
    }
    emptyFolderBut(merged);
    Path tmp = merged.resolveSibling(merged.getFileName() + ".tmp");
    Merge merge;
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(tmp))) {
      out.setMethod(ZipOutputStream.STORED);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      manifest.write(bytes);
      // The manifest first, where JarInputStream looks for it.
      put(out, JarFile.MANIFEST_NAME, time, bytes.toByteArray());
      merge = new Merge(out);
      for (Path jar : jars) {
        merge.add(jar);
      }
      merge.finish(time);
    }
    Files.move(tmp, merged, StandardCopyOption.REPLACE_EXISTING);
    System.out.println(
        "[PackFunction] "
            + merged
            + ": "
            + jars.size()
            + " jars, "
            + merge.written.size()
            + " entries, "
            + merge.services.size()
            + " service files merged, "
            + merge.duplicates
            + " duplicate entries (the first jar's kept)"
            + (manifest.getMainAttributes().getValue("Multi-Release") != null
                ? ", multi-release"
                : ""));
  }

  /** Copies each jar's entries in turn: the first of a name wins; service files accumulate. */
  private static final class Merge {
    private final ZipOutputStream out;
    private final Set<String> written = new HashSet<>();
    private final Map<String, StringBuilder> services = new LinkedHashMap<>();
    private int duplicates;

    Merge(ZipOutputStream out) {
      this.out = out;
    }

    void add(Path jar) throws IOException {
      try (ZipFile zip = new ZipFile(jar.toFile())) {
        for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
          ZipEntry entry = e.nextElement();
          String name = entry.getName();
          if (DROPPED.matcher(name).matches()) {
            continue;
          }
          if (name.startsWith(SERVICES) && !entry.isDirectory()) {
            String text = new String(read(zip, entry), StandardCharsets.UTF_8);
            StringBuilder lines = services.computeIfAbsent(name, n -> new StringBuilder());
            lines.append(text);
            if (!text.isEmpty() && !text.endsWith("\n")) {
              lines.append('\n');
            }
          } else if (written.add(name)) {
            put(out, name, entry.getTime(), read(zip, entry));
          } else if (!entry.isDirectory()) {
            duplicates++;
          }
        }
      }
    }

    void finish(long time) throws IOException {
      for (Map.Entry<String, StringBuilder> file : services.entrySet()) {
        byte[] bytes = file.getValue().toString().getBytes(StandardCharsets.UTF_8);
        put(out, file.getKey(), time, bytes);
      }
    }
  }

  private static boolean anyMultiRelease(List<Path> jars) throws IOException {
    for (Path jar : jars) {
      try (JarFile file = new JarFile(jar.toFile())) {
        if (file.isMultiRelease()) {
          return true;
        }
      }
    }
    return false;
  }

  /** The output folder is the deploy folder: nothing else may be in it (an older layout's libs/). */
  private static void emptyFolderBut(Path merged) throws IOException {
    Path folder = Files.createDirectories(merged.getParent());
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        if (!file.equals(folder) && !file.equals(merged)) {
          Files.delete(file);
        }
      }
    }
  }

  private static byte[] read(ZipFile zip, ZipEntry entry) throws IOException {
    try (InputStream in = zip.getInputStream(entry)) {
      return in.readAllBytes();
    }
  }

  private static void put(ZipOutputStream out, String name, long time, byte[] bytes)
      throws IOException {
    ZipEntry stored = new ZipEntry(name);
    stored.setMethod(ZipEntry.STORED);
    stored.setTime(time);
    stored.setSize(bytes.length);
    stored.setCompressedSize(bytes.length);
    CRC32 crc = new CRC32();
    crc.update(bytes);
    stored.setCrc(crc.getValue());
    out.putNextEntry(stored);
    out.write(bytes);
    out.closeEntry();
  }
}
