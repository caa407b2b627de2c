import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Rewrites every jar of a function's libs/ folder with its entries stored, not deflated: on a cold
 * start the JVM then reads class files without inflating them (a profile of redeem-code's start
 * put ~7 % of its CPU in zlib; stored jars started it ~6 % sooner, bench/README.md). Entry names,
 * order, times and bytes stay as they were, so signatures still verify and the same jars give the
 * same bytes (Terraform's content-hashed upload does not change). Jars already stored are left as
 * they are. The deploy zip deflates them again for the upload.
 *
 * <p>Run by the function-package profile of functions/pom.xml: {@code java StoreJars.java <dir>}.
 */
public final class StoreJars {

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    List<Path> jars;
    try (Stream<Path> files = Files.list(dir)) {
      jars = files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
    }
    int rewritten = 0;
    for (Path jar : jars) {
      if (!allStored(jar)) {
        store(jar);
        rewritten++;
      }
    }
    System.out.println("[StoreJars] " + dir + ": " + rewritten + " of " + jars.size() + " stored");
  }

  private static boolean allStored(Path jar) throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      return zip.stream().allMatch(e -> e.getMethod() == ZipEntry.STORED);
    }
  }

  private static void store(Path jar) throws IOException {
    Path tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
    try (ZipFile zip = new ZipFile(jar.toFile());
        ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(tmp))) {
      out.setMethod(ZipOutputStream.STORED);
      for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
        ZipEntry entry = entries.nextElement();
        byte[] bytes;
        try (InputStream in = zip.getInputStream(entry)) {
          bytes = in.readAllBytes();
        }
        ZipEntry stored = new ZipEntry(entry.getName());
        stored.setMethod(ZipEntry.STORED);
        stored.setTime(entry.getTime());
        stored.setSize(bytes.length);
        stored.setCompressedSize(bytes.length);
        stored.setCrc(entry.getCrc()); // of the uncompressed bytes: the same for both methods
        out.putNextEntry(stored);
        out.write(bytes);
        out.closeEntry();
      }
    }
    Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
  }
}
