package dev.atelier.storage.emulator;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The client-settable attributes of an object, as sent in an upload's or patch's JSON resource. */
record ObjectAttributes(
    String contentType,
    Map<String, String> metadata,
    String cacheControl,
    String contentDisposition,
    String contentEncoding,
    String contentLanguage) {

  static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

  static ObjectAttributes fromJson(JsonObject json, String fallbackContentType) {
    return new ObjectAttributes(
        string(json, "contentType")
            .orElse(fallbackContentType == null ? DEFAULT_CONTENT_TYPE : fallbackContentType),
        metadata(json.get("metadata"), Map.of()),
        string(json, "cacheControl").orElse(null),
        string(json, "contentDisposition").orElse(null),
        string(json, "contentEncoding").orElse(null),
        string(json, "contentLanguage").orElse(null));
  }

  /**
   * Patch semantics: absent fields stay, JSON null clears, metadata keys merge (a null value
   * removes the key).
   */
  ObjectAttributes patchedWith(JsonObject patch) {
    return new ObjectAttributes(
        patched(patch, "contentType", contentType),
        patch.has("metadata") ? metadata(patch.get("metadata"), metadata) : metadata,
        patched(patch, "cacheControl", cacheControl),
        patched(patch, "contentDisposition", contentDisposition),
        patched(patch, "contentEncoding", contentEncoding),
        patched(patch, "contentLanguage", contentLanguage));
  }

  private static String patched(JsonObject patch, String field, String current) {
    if (!patch.has(field)) {
      return current;
    }
    JsonElement value = patch.get(field);
    return value.isJsonNull() ? null : value.getAsString();
  }

  private static Map<String, String> metadata(JsonElement element, Map<String, String> base) {
    if (element == null || element.isJsonNull()) {
      return Map.of();
    }
    Map<String, String> merged = new LinkedHashMap<>(base);
    for (Map.Entry<String, JsonElement> entry : element.getAsJsonObject().entrySet()) {
      if (entry.getValue().isJsonNull()) {
        merged.remove(entry.getKey());
      } else {
        merged.put(entry.getKey(), entry.getValue().getAsString());
      }
    }
    return Map.copyOf(merged);
  }

  static Optional<String> string(JsonObject json, String field) {
    JsonElement value = json.get(field);
    return value == null || value.isJsonNull()
        ? Optional.empty()
        : Optional.of(value.getAsString());
  }
}
