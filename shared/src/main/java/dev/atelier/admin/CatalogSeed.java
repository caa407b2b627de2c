package dev.atelier.admin;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.reflect.TypeToken;
import dev.atelier.catalog.ModelConfig;
import dev.atelier.catalog.Plan;
import dev.atelier.catalog.PlanCode;
import dev.atelier.catalog.ProviderRoute;
import dev.atelier.catalog.SystemConfig;
import dev.atelier.firestore.Database;
import dev.atelier.firestore.FieldValue;
import dev.atelier.firestore.Snapshot;
import dev.atelier.platform.Clients;
import dev.atelier.platform.Config;
import dev.atelier.router.ModelQuota;
import dev.atelier.router.QuotaPeriod;
import dev.atelier.store.Documents;
import dev.atelier.store.FirestorePaths;
import dev.atelier.store.MappingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Loads the catalog seed ({@code seed/catalog.json}: plans, providers, models, model quotas and
 * {@code system/config}) idempotently: a missing document is created, a different one is replaced
 * (keeping its createdAt), an equal one is left alone — so loading twice writes nothing the second
 * time. Live state is never reset by a reload: a model keeps the {@code status} the health check
 * gave it, and a quota keeps its {@code tokens_used} and {@code reset_at} (only its limit and
 * period follow the seed). Every document is validated through the model's mapping, and the catalog
 * as a whole is checked before anything is written: the default model must exist, every route must
 * name a declared provider, every quota a routed (provider, model) pair.
 *
 * <p>Command: {@code GOOGLE_CLOUD_PROJECT=… [FIRESTORE_EMULATOR_HOST=127.0.0.1:8080] mvn -q -pl
 * shared exec:java -Dexec.mainClass=dev.atelier.admin.CatalogSeed -Dexec.args=seed/catalog.json}
 */
public final class CatalogSeed {

  /** How many documents were created, replaced and left unchanged. */
  public record Loaded(int created, int updated, int unchanged) {}

  /** A provider the catalog declares: routes may only name these. */
  public record ProviderEntry(String id, String name, String protocol) {}

  private enum Policy {
    /** The seed owns the whole document. */
    REPLACE,
    /** The seed owns everything but the health check's {@code status}. */
    MODEL,
    /** The seed owns the limit and the period; usage and reset time are live. */
    QUOTA
  }

  private record SeedDoc(String path, Map<String, Object> fields, Policy policy) {}

  private static final List<String> TIMESTAMPS = List.of("createdAt", "updatedAt");
  private static final Gson GSON = new Gson();

  private CatalogSeed() {}

  public static void main(String[] args) throws IOException {
    Path file = Path.of(args.length > 0 ? args[0] : "seed/catalog.json");
    try (Database db = Clients.firestore(Config.from(System.getenv()))) {
      System.out.println(load(db, file));
    } catch (Exception e) {
      throw new IllegalStateException("seed failed: " + e.getMessage(), e);
    }
  }

  public static Loaded load(Database db, Path file) throws IOException {
    return load(db, file, Clock.systemUTC());
  }

  /**
   * Validates the whole catalog, then writes what differs.
   *
   * @throws IllegalArgumentException listing every problem when the catalog is inconsistent
   *     (nothing written)
   */
  public static Loaded load(Database db, Path file, Clock clock) throws IOException {
    JsonObject seed =
        GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), JsonObject.class);
    List<SeedDoc> docs = parse(seed, clock);
    int created = 0;
    int updated = 0;
    int unchanged = 0;
    for (SeedDoc doc : docs) {
      String ref = doc.path();
      Snapshot existing = db.get(ref);
      Map<String, Object> wanted = new LinkedHashMap<>(doc.fields());
      TIMESTAMPS.forEach(wanted::remove);
      // Quotas are router state (snake_case, updated_at kept by the router): no catalog timestamps.
      boolean stamped = doc.policy() != Policy.QUOTA;
      if (!existing.exists()) {
        if (stamped) {
          wanted.put("createdAt", FieldValue.serverTimestamp());
          wanted.put("updatedAt", FieldValue.serverTimestamp());
        }
        db.create(ref, wanted);
        created++;
        continue;
      }
      keepLiveFields(doc.policy(), existing.getData(), wanted);
      if (Objects.equals(withoutTimestamps(existing.getData()), wanted)) {
        unchanged++;
      } else {
        if (stamped) {
          wanted.put(
              "createdAt",
              existing.get("createdAt") == null
                  ? FieldValue.serverTimestamp()
                  : existing.get("createdAt"));
          wanted.put("updatedAt", FieldValue.serverTimestamp());
        }
        db.set(ref, wanted);
        updated++;
      }
    }
    return new Loaded(created, updated, unchanged);
  }

  /** Every document of the seed, validated one by one and together. */
  private static List<SeedDoc> parse(JsonObject seed, Clock clock) {
    List<String> problems = new ArrayList<>();
    List<SeedDoc> docs = new ArrayList<>();
    Set<String> planCodes = new HashSet<>();
    for (JsonElement plan : array(seed, "plans")) {
      Map<String, Object> fields = toMap(plan.getAsJsonObject());
      String path = FirestorePaths.plan(String.valueOf(fields.get("code")));
      decode(path, fields, Plan.class, problems)
          .ifPresent(
              p -> {
                planCodes.add(p.code().wire());
                docs.add(new SeedDoc(path, Documents.encode(p), Policy.REPLACE));
              });
    }
    if (!planCodes.contains(PlanCode.FREE.wire())) {
      problems.add("plans: FREE is required (accounts open with its credits)");
    }

    Set<String> providers = new LinkedHashSet<>();
    for (JsonElement p : array(seed, "providers")) {
      ProviderEntry entry = GSON.fromJson(p, ProviderEntry.class);
      if (entry.id() == null || !entry.id().matches("[a-z][a-z0-9-]{0,31}")) {
        problems.add("providers: invalid id '" + entry.id() + "'");
      } else if (!providers.add(entry.id())) {
        problems.add("providers: '" + entry.id() + "' is declared twice");
      }
    }

    Map<String, ModelConfig> models = new LinkedHashMap<>();
    for (JsonElement m : array(seed, "models")) {
      Map<String, Object> fields = toMap(m.getAsJsonObject());
      String id = String.valueOf(fields.get("id"));
      String path;
      try {
        path = FirestorePaths.modelConfig(id);
      } catch (IllegalArgumentException e) {
        problems.add("models: invalid id '" + id + "'");
        continue;
      }
      decode(path, fields, ModelConfig.class, problems)
          .ifPresent(
              model -> {
                if (models.put(model.id(), model) != null) {
                  problems.add("models: '" + model.id() + "' is declared twice");
                }
                checkModel(model, providers, problems);
                docs.add(new SeedDoc(path, Documents.encode(model), Policy.MODEL));
              });
    }

    for (JsonElement q : array(seed, "quotas")) {
      JsonObject quota = q.getAsJsonObject();
      String provider = string(quota, "provider");
      String modelId = string(quota, "modelId");
      ModelConfig model = models.get(modelId);
      if (model == null || model.routes().stream().noneMatch(r -> r.provider().equals(provider))) {
        problems.add("quotas: no model '" + modelId + "' routed to provider '" + provider + "'");
        continue;
      }
      try {
        QuotaPeriod period = QuotaPeriod.fromWire(string(quota, "period"));
        long limit = quota.get("tokensLimit").getAsLong();
        ModelQuota initial =
            new ModelQuota(
                provider,
                modelId,
                0,
                limit,
                period.nextBoundaryAfter(clock.instant()),
                period,
                null);
        docs.add(
            new SeedDoc(
                FirestorePaths.modelQuota(provider, modelId),
                Documents.encode(initial),
                Policy.QUOTA));
      } catch (RuntimeException e) {
        problems.add("quotas: " + provider + "/" + modelId + ": " + e.getMessage());
      }
    }

    JsonObject system = seed.getAsJsonObject("system");
    if (system != null && system.has("config")) {
      String path = FirestorePaths.systemConfig();
      decode(path, toMap(system.getAsJsonObject("config")), SystemConfig.class, problems)
          .ifPresent(
              config -> {
                ModelConfig defaultModel = models.get(config.defaults().model());
                if (defaultModel == null) {
                  problems.add(
                      "system.config.defaults.model: '"
                          + config.defaults().model()
                          + "' is not a model of this catalog");
                } else if (config.defaults().aspectRatio() != null
                    && !defaultModel.capabilities().aspectRatios().isEmpty()
                    && !defaultModel
                        .capabilities()
                        .aspectRatios()
                        .contains(config.defaults().aspectRatio())) {
                  problems.add(
                      "system.config.defaults.aspectRatio: '"
                          + config.defaults().aspectRatio()
                          + "' is not offered by "
                          + defaultModel.id());
                }
                docs.add(new SeedDoc(path, Documents.encode(config), Policy.REPLACE));
              });
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "catalog is inconsistent, nothing written:\n  " + String.join("\n  ", problems));
    }
    return docs;
  }

  private static void checkModel(ModelConfig model, Set<String> providers, List<String> problems) {
    String where = "models." + model.id();
    if (model.routes().isEmpty()) {
      problems.add(where + ": has no routes");
    }
    Set<String> routed = new HashSet<>();
    Set<Long> priorities = new HashSet<>();
    for (ProviderRoute route : model.routes()) {
      if (!providers.contains(route.provider())) {
        problems.add(where + ": route to undeclared provider '" + route.provider() + "'");
      }
      if (!routed.add(route.provider())) {
        problems.add(where + ": two routes to '" + route.provider() + "'");
      }
      if (!priorities.add(route.priority())) {
        problems.add(where + ": two routes with priority " + route.priority());
      }
    }
    if (!routed.contains(model.provider())) {
      problems.add(where + ": primary provider '" + model.provider() + "' has no route");
    }
    if (model.capabilities().maxOutputs() < 1) {
      problems.add(where + ": capabilities.maxOutputs must be at least 1");
    }
    boolean timed =
        switch (model.generationType().mediaKind()) {
          case VIDEO, AUDIO -> true;
          case IMAGE, TEXT -> false;
        };
    if (timed != model.capabilities().takesDuration()) {
      problems.add(
          where
              + ": capabilities.maxDurationSeconds must be "
              + (timed ? "set" : "absent")
              + " for "
              + model.generationType().wire());
    }
    for (long d : model.capabilities().durationsSeconds()) {
      if (!timed || d < 1 || d > model.capabilities().maxDurationSeconds()) {
        problems.add(
            where
                + ": duration "
                + d
                + " is outside 1.."
                + model.capabilities().maxDurationSeconds());
      }
    }
  }

  /**
   * Puts the existing document's live fields into {@code wanted}, so a reload never resets them.
   */
  @SuppressWarnings("unchecked")
  private static void keepLiveFields(
      Policy policy, Map<String, Object> existing, Map<String, Object> wanted) {
    switch (policy) {
      case REPLACE -> {}
      case MODEL -> {
        if (existing.get(ModelConfig.Field.STATUS) instanceof Map<?, ?> status) {
          wanted.put(ModelConfig.Field.STATUS, status);
        }
      }
      case QUOTA -> {
        for (String live :
            List.of(
                ModelQuota.Field.TOKENS_USED,
                ModelQuota.Field.RESET_AT,
                ModelQuota.Field.UPDATED_AT)) {
          if (existing.containsKey(live)) {
            wanted.put(live, existing.get(live));
          }
        }
      }
    }
  }

  private static <T> java.util.Optional<T> decode(
      String path, Map<String, Object> fields, Class<T> type, List<String> problems) {
    try {
      return java.util.Optional.of(Documents.decode(path, fields, type));
    } catch (MappingException | IllegalArgumentException e) {
      problems.add(e.getMessage());
      return java.util.Optional.empty();
    }
  }

  private static JsonArray array(JsonObject seed, String name) {
    return seed.has(name) ? seed.getAsJsonArray(name) : new JsonArray();
  }

  private static String string(JsonObject o, String name) {
    return o.has(name) && o.get(name).isJsonPrimitive() ? o.get(name).getAsString() : null;
  }

  private static Map<String, Object> withoutTimestamps(Map<String, Object> data) {
    Map<String, Object> copy = new LinkedHashMap<>(data);
    TIMESTAMPS.forEach(copy::remove);
    return copy;
  }

  private static Map<String, Object> toMap(JsonObject json) {
    return GSON.fromJson(json, new TypeToken<Map<String, Object>>() {}.getType());
  }
}
