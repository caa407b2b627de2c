package dev.atelier.storage.emulator;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * Renders buckets, objects and lists as the JSON API does (int64 fields as strings, RFC 3339
 * times).
 */
final class ResourceJson {
  private ResourceJson() {}

  static JsonObject object(StoredObject object, String baseUrl) {
    String encodedName = Paths.encode(object.name());
    JsonObject json = new JsonObject();
    json.addProperty("kind", "storage#object");
    json.addProperty("id", object.bucket() + "/" + object.name() + "/" + object.generation());
    json.addProperty(
        "selfLink",
        baseUrl + "/storage/v1/b/" + Paths.encode(object.bucket()) + "/o/" + encodedName);
    json.addProperty(
        "mediaLink",
        baseUrl
            + "/download/storage/v1/b/"
            + Paths.encode(object.bucket())
            + "/o/"
            + encodedName
            + "?generation="
            + object.generation()
            + "&alt=media");
    json.addProperty("name", object.name());
    json.addProperty("bucket", object.bucket());
    json.addProperty("generation", Long.toString(object.generation()));
    json.addProperty("metageneration", Long.toString(object.metageneration()));
    ObjectAttributes attributes = object.attributes();
    json.addProperty("contentType", attributes.contentType());
    addIfPresent(json, "cacheControl", attributes.cacheControl());
    addIfPresent(json, "contentDisposition", attributes.contentDisposition());
    addIfPresent(json, "contentEncoding", attributes.contentEncoding());
    addIfPresent(json, "contentLanguage", attributes.contentLanguage());
    json.addProperty("storageClass", "STANDARD");
    json.addProperty("size", Long.toString(object.size()));
    json.addProperty("md5Hash", object.md5Hash());
    json.addProperty("crc32c", object.crc32c());
    json.addProperty("etag", object.etag());
    json.addProperty("timeCreated", time(object.timeCreated()));
    json.addProperty("updated", time(object.updated()));
    json.addProperty("timeStorageClassUpdated", time(object.timeCreated()));
    if (!attributes.metadata().isEmpty()) {
      JsonObject metadata = new JsonObject();
      for (Map.Entry<String, String> entry : attributes.metadata().entrySet()) {
        metadata.addProperty(entry.getKey(), entry.getValue());
      }
      json.add("metadata", metadata);
    }
    return json;
  }

  /**
   * An object as Firebase Storage's REST API describes it: int64s as strings, the download tokens
   * as their own comma-separated field and kept out of the custom {@code metadata}.
   */
  static JsonObject firebaseObject(StoredObject object, String defaultDisposition) {
    ObjectAttributes attributes = object.attributes();
    JsonObject json = new JsonObject();
    json.addProperty("name", object.name());
    json.addProperty("bucket", object.bucket());
    json.addProperty("generation", Long.toString(object.generation()));
    json.addProperty("metageneration", Long.toString(object.metageneration()));
    json.addProperty("contentType", attributes.contentType());
    json.addProperty("timeCreated", time(object.timeCreated()));
    json.addProperty("updated", time(object.updated()));
    json.addProperty("storageClass", "STANDARD");
    json.addProperty("size", Long.toString(object.size()));
    json.addProperty("md5Hash", object.md5Hash());
    json.addProperty(
        "contentEncoding",
        attributes.contentEncoding() != null ? attributes.contentEncoding() : "identity");
    json.addProperty(
        "contentDisposition",
        attributes.contentDisposition() != null
            ? attributes.contentDisposition()
            : defaultDisposition);
    addIfPresent(json, "cacheControl", attributes.cacheControl());
    addIfPresent(json, "contentLanguage", attributes.contentLanguage());
    json.addProperty("crc32c", object.crc32c());
    json.addProperty("etag", object.etag());
    FirebaseDownloads.tokens(object)
        .ifPresent(tokens -> json.addProperty("downloadTokens", tokens));
    JsonObject metadata = new JsonObject();
    attributes
        .metadata()
        .forEach(
            (key, value) -> {
              if (!key.equals(FirebaseDownloads.TOKENS_KEY)) {
                metadata.addProperty(key, value);
              }
            });
    if (metadata.size() > 0) {
      json.add("metadata", metadata);
    }
    return json;
  }

  /** Firebase's error shape, {@code {"error":{"code":403,"message":"Permission denied."}}}. */
  static JsonObject firebaseError(int status, String message) {
    JsonObject body = new JsonObject();
    body.addProperty("code", status);
    body.addProperty("message", message);
    JsonObject json = new JsonObject();
    json.add("error", body);
    return json;
  }

  static JsonObject bucket(Bucket bucket, String baseUrl) {
    JsonObject json = new JsonObject();
    json.addProperty("kind", "storage#bucket");
    json.addProperty("id", bucket.name());
    json.addProperty("selfLink", baseUrl + "/storage/v1/b/" + Paths.encode(bucket.name()));
    json.addProperty("name", bucket.name());
    json.addProperty("projectNumber", "0");
    json.addProperty("metageneration", "1");
    json.addProperty("location", "US");
    json.addProperty("locationType", "multi-region");
    json.addProperty("storageClass", "STANDARD");
    json.addProperty("etag", "CAE=");
    json.addProperty("timeCreated", time(bucket.timeCreated()));
    json.addProperty("updated", time(bucket.timeCreated()));
    return json;
  }

  static JsonObject objectList(ListPage page, String baseUrl) {
    JsonObject json = new JsonObject();
    json.addProperty("kind", "storage#objects");
    JsonArray items = new JsonArray();
    page.items().forEach(item -> items.add(object(item, baseUrl)));
    if (!page.items().isEmpty()) {
      json.add("items", items);
    }
    if (!page.prefixes().isEmpty()) {
      JsonArray prefixes = new JsonArray();
      page.prefixes().forEach(prefixes::add);
      json.add("prefixes", prefixes);
    }
    page.nextPageToken().ifPresent(token -> json.addProperty("nextPageToken", token));
    return json;
  }

  static JsonObject bucketList(Iterable<Bucket> buckets, String baseUrl) {
    JsonObject json = new JsonObject();
    json.addProperty("kind", "storage#buckets");
    JsonArray items = new JsonArray();
    buckets.forEach(bucket -> items.add(bucket(bucket, baseUrl)));
    json.add("items", items);
    return json;
  }

  static JsonObject error(GcsException error) {
    JsonObject detail = new JsonObject();
    detail.addProperty("message", error.getMessage());
    detail.addProperty("domain", "global");
    detail.addProperty("reason", error.reason());
    JsonArray errors = new JsonArray();
    errors.add(detail);
    JsonObject body = new JsonObject();
    body.addProperty("code", error.status());
    body.addProperty("message", error.getMessage());
    body.add("errors", errors);
    JsonObject json = new JsonObject();
    json.add("error", body);
    return json;
  }

  private static void addIfPresent(JsonObject json, String field, String value) {
    if (value != null) {
      json.addProperty(field, value);
    }
  }

  private static String time(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant);
  }
}
