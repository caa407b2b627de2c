package dev.atelier.admin;

import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldValue;
import com.google.cloud.firestore.Firestore;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.reflect.TypeToken;
import dev.atelier.catalog.Plan;
import dev.atelier.catalog.SystemConfig;
import dev.atelier.platform.Clients;
import dev.atelier.platform.Config;
import dev.atelier.store.Documents;
import dev.atelier.store.FirestorePaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Loads the catalog seed ({@code seed/catalog.json}: plans and {@code system/config}) idempotently:
 * a missing document is created, a different one is replaced (keeping its createdAt), an equal one is
 * left alone — so loading twice writes nothing the second time. Every document is validated through
 * the model's mapping before it is written.
 *
 * <p>Command: {@code GOOGLE_CLOUD_PROJECT=… [FIRESTORE_EMULATOR_HOST=127.0.0.1:8080] mvn -q -pl shared
 * exec:java -Dexec.mainClass=dev.atelier.admin.CatalogSeed -Dexec.args=seed/catalog.json}
 */
public final class CatalogSeed {

  /** How many documents were created, replaced and left unchanged. */
  public record Loaded(int created, int updated, int unchanged) {}

  private static final List<String> TIMESTAMPS = List.of("createdAt", "updatedAt");

  private CatalogSeed() {}

  public static void main(String[] args) throws IOException {
    Path file = Path.of(args.length > 0 ? args[0] : "seed/catalog.json");
    try (Firestore db = Clients.firestore(Config.from(System.getenv()))) {
      System.out.println(load(db, file));
    } catch (Exception e) {
      throw new IllegalStateException("seed failed: " + e.getMessage(), e);
    }
  }

  public static Loaded load(Firestore db, Path file) throws IOException {
    JsonObject seed = new Gson().fromJson(Files.readString(file, StandardCharsets.UTF_8), JsonObject.class);
    Map<String, Map<String, Object>> docs = new LinkedHashMap<>();
    for (var plan : seed.getAsJsonArray("plans")) {
      Map<String, Object> fields = toMap(plan.getAsJsonObject());
      String path = FirestorePaths.plan(String.valueOf(fields.get("code")));
      docs.put(path, Documents.encode(Documents.decode(path, fields, Plan.class)));
    }
    JsonObject system = seed.getAsJsonObject("system");
    if (system != null && system.has("config")) {
      String path = FirestorePaths.systemConfig();
      docs.put(path, Documents.encode(Documents.decode(path, toMap(system.getAsJsonObject("config")), SystemConfig.class)));
    }
    int created = 0;
    int updated = 0;
    int unchanged = 0;
    for (Map.Entry<String, Map<String, Object>> doc : docs.entrySet()) {
      DocumentReference ref = db.document(doc.getKey());
      DocumentSnapshot existing = get(ref);
      Map<String, Object> wanted = new LinkedHashMap<>(doc.getValue());
      TIMESTAMPS.forEach(wanted::remove);
      if (!existing.exists()) {
        wanted.put("createdAt", FieldValue.serverTimestamp());
        wanted.put("updatedAt", FieldValue.serverTimestamp());
        wait(ref.create(wanted));
        created++;
      } else if (!Objects.equals(withoutTimestamps(existing.getData()), wanted)) {
        wanted.put("createdAt", existing.get("createdAt") == null ? FieldValue.serverTimestamp() : existing.get("createdAt"));
        wanted.put("updatedAt", FieldValue.serverTimestamp());
        wait(ref.set(wanted));
        updated++;
      } else {
        unchanged++;
      }
    }
    return new Loaded(created, updated, unchanged);
  }

  private static Map<String, Object> withoutTimestamps(Map<String, Object> data) {
    Map<String, Object> copy = new LinkedHashMap<>(data);
    TIMESTAMPS.forEach(copy::remove);
    return copy;
  }

  private static Map<String, Object> toMap(JsonObject json) {
    return new Gson().fromJson(json, new TypeToken<Map<String, Object>>() {}.getType());
  }

  private static DocumentSnapshot get(DocumentReference ref) {
    return wait(ref.get());
  }

  private static <T> T wait(com.google.api.core.ApiFuture<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }
}
