package dev.atelier.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files at the repository's top level (seed data, index definitions), found by walking up from the
 * working directory.
 */
public final class RepoFiles {

  private RepoFiles() {}

  public static Path find(String relative) {
    for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        dir != null;
        dir = dir.getParent()) {
      Path candidate = dir.resolve(relative);
      if (Files.exists(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        relative + " not found above " + System.getProperty("user.dir"));
  }
}
