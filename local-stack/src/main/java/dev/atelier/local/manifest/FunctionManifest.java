package dev.atelier.local.manifest;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.atelier.testsupport.FirestoreEventType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The parsed {@code functions/manifest.json}. Parsing is strict (every key required, unknown keys
 * rejected) because Terraform reads the same file and a typo must fail here, not in a deploy. A
 * function's keys may come from the top-level {@code defaults} object (the function's own value
 * wins), as Terraform merges them ({@code merge(manifest.defaults, function)} in {@code
 * terraform/manifest.tf}).
 */
public record FunctionManifest(String javaToolOptions, List<FunctionSpec> functions) {

  public static final String RELATIVE_PATH = "functions/manifest.json";

  private static final Set<String> FUNCTION_KEYS =
      Set.of(
          "name",
          "entryPoint",
          "trigger",
          "memoryMb",
          "timeoutSeconds",
          "minInstances",
          "maxInstances",
          "env",
          "retry",
          "cpu",
          "concurrency",
          "uses",
          "functionUrls");

  /**
   * Keys a {@code defaults} object may supply (everything but a function's identity and trigger).
   */
  private static final Set<String> DEFAULTABLE_KEYS =
      Set.of(
          "memoryMb",
          "timeoutSeconds",
          "minInstances",
          "maxInstances",
          "env",
          "retry",
          "cpu",
          "concurrency",
          "uses",
          "functionUrls");

  public FunctionManifest {
    functions = List.copyOf(functions);
    if (functions.stream().map(FunctionSpec::name).distinct().count() != functions.size()) {
      throw new IllegalArgumentException("duplicate function name in manifest");
    }
    Set<String> names = functions.stream().map(FunctionSpec::name).collect(Collectors.toSet());
    for (FunctionSpec f : functions) {
      for (Map.Entry<String, String> url : f.functionUrls().entrySet()) {
        if (!names.contains(url.getValue())) {
          throw new IllegalArgumentException(
              f.name()
                  + ": functionUrls."
                  + url.getKey()
                  + " names no function: "
                  + url.getValue());
        }
      }
    }
  }

  public String javaToolOptions(FunctionSpec function) {
    return JavaToolOptions.forFunction(javaToolOptions, function);
  }

  public Optional<FunctionSpec> function(String name) {
    return functions.stream().filter(f -> f.name().equals(name)).findFirst();
  }

  public static FunctionManifest load(Path file) throws IOException {
    return parse(Files.readString(file));
  }

  /**
   * The manifest of the repository containing {@code start} (walking up to the directory holding
   * it).
   */
  public static Path locate(Path start) {
    for (Path dir = start.toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(RELATIVE_PATH);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("no " + RELATIVE_PATH + " above " + start.toAbsolutePath());
  }

  public static FunctionManifest parse(String json) {
    JsonObject root = JsonParser.parseString(json).getAsJsonObject();
    JsonObject defaults =
        root.has("defaults") ? root.getAsJsonObject("defaults") : new JsonObject();
    for (String key : defaults.keySet()) {
      if (!DEFAULTABLE_KEYS.contains(key)) {
        throw new IllegalArgumentException("defaults: unknown or not defaultable key " + key);
      }
    }
    List<FunctionSpec> specs = new ArrayList<>();
    for (JsonElement element : root.getAsJsonArray("functions")) {
      JsonObject merged = defaults.deepCopy();
      element.getAsJsonObject().entrySet().forEach(e -> merged.add(e.getKey(), e.getValue()));
      specs.add(function(merged));
    }
    return new FunctionManifest(required(root, "javaToolOptions").getAsString(), specs);
  }

  private static FunctionSpec function(JsonObject o) {
    String name = required(o, "name").getAsString();
    for (String key : o.keySet()) {
      if (!FUNCTION_KEYS.contains(key)) {
        throw new IllegalArgumentException(name + ": unknown key " + key);
      }
    }
    Map<String, String> env = new LinkedHashMap<>();
    required(o, "env")
        .getAsJsonObject()
        .entrySet()
        .forEach(e -> env.put(e.getKey(), e.getValue().getAsString()));
    Set<Capability> uses = new LinkedHashSet<>();
    required(o, "uses")
        .getAsJsonArray()
        .forEach(u -> uses.add(Capability.fromWire(u.getAsString())));
    Map<String, String> functionUrls = new LinkedHashMap<>();
    required(o, "functionUrls")
        .getAsJsonObject()
        .entrySet()
        .forEach(e -> functionUrls.put(e.getKey(), e.getValue().getAsString()));
    return new FunctionSpec(
        name,
        required(o, "entryPoint").getAsString(),
        trigger(name, required(o, "trigger").getAsJsonObject()),
        required(o, "memoryMb").getAsInt(),
        required(o, "timeoutSeconds").getAsInt(),
        required(o, "minInstances").getAsInt(),
        required(o, "maxInstances").getAsInt(),
        env,
        required(o, "retry").getAsBoolean(),
        required(o, "cpu").getAsDouble(),
        required(o, "concurrency").getAsInt(),
        uses,
        functionUrls);
  }

  private static Trigger trigger(String name, JsonObject t) {
    if (t.size() != 1) {
      throw new IllegalArgumentException(
          name + ": trigger needs exactly one of http, event, schedule");
    }
    if (t.has("http")) {
      return new Trigger.Http();
    }
    if (t.has("event")) {
      JsonObject e = t.getAsJsonObject("event");
      return new Trigger.FirestoreEvent(
          FirestoreEventType.fromCeType(required(e, "type").getAsString()),
          new DocumentPattern(required(e, "document").getAsString()));
    }
    if (t.has("schedule")) {
      JsonObject s = t.getAsJsonObject("schedule");
      return new Trigger.Schedule(
          required(s, "cron").getAsString(), required(s, "timeZone").getAsString());
    }
    throw new IllegalArgumentException(name + ": unknown trigger " + t.keySet());
  }

  private static JsonElement required(JsonObject o, String key) {
    JsonElement value = o.get(key);
    if (value == null || value.isJsonNull()) {
      throw new IllegalArgumentException("manifest: missing " + key + " in " + o);
    }
    return value;
  }
}
