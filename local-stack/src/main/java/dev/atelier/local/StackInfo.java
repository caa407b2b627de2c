package dev.atelier.local;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a running stack tells its clients (the demo, scripts): written to {@code
 * .local-stack/stack.json} once every function answers, deleted on shutdown. {@code providerUrl}
 * and {@code webhookSecret} are the first catalog provider's stand-in (SPEC); {@code providers} has
 * every one by id.
 */
public record StackInfo(
    long pid,
    String projectId,
    String frontUrl,
    String firestoreHost,
    String authHost,
    String storageUrl,
    String mediaBucket,
    String providerUrl,
    String webhookSecret,
    Map<String, Provider> providers,
    boolean chaos,
    Map<String, String> functionUrls,
    String userToken,
    String adminToken) {

  /**
   * One stand-in provider: its base URL and the {@code whsec_…} secret its webhooks are signed
   * with.
   */
  public record Provider(String url, String webhookSecret) {}

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  public static Path file(Path repoRoot) {
    return repoRoot.resolve(".local-stack/stack.json");
  }

  public void write(Path repoRoot) throws IOException {
    Path tmp = file(repoRoot).resolveSibling("stack.json.tmp");
    Files.createDirectories(tmp.getParent());
    Files.writeString(tmp, GSON.toJson(this));
    Files.move(
        tmp,
        file(repoRoot),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  public static StackInfo read(Path repoRoot) throws IOException {
    return GSON.fromJson(Files.readString(file(repoRoot)), StackInfo.class);
  }
}
