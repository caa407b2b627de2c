package dev.atelier.storage.emulator;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The three JSON API upload types on {@code POST /upload/storage/v1/b/{bucket}/o}. */
final class Uploads {
  private final ObjectStore store;
  private final ResumableUploads resumable;

  Uploads(ObjectStore store, ResumableUploads resumable) {
    this.store = store;
    this.resumable = resumable;
  }

  /** uploadType=media: the body is the content, the name is in the query. */
  StoredObject simple(String bucket, Map<String, String> query, String contentType, byte[] body) {
    String name = requireName(query.get("name"));
    ObjectAttributes attributes = ObjectAttributes.fromJson(new JsonObject(), contentType);
    return store.put(bucket, name, body, attributes, Preconditions.fromQuery(query));
  }

  /** uploadType=multipart: a JSON resource part, then the media part. */
  StoredObject multipart(
      String bucket, Map<String, String> query, String contentType, byte[] body) {
    List<MultipartRelated.Part> parts = MultipartRelated.parse(contentType, body);
    if (parts.size() != 2) {
      throw GcsException.invalid("A multipart upload has exactly two parts, got " + parts.size());
    }
    JsonObject resource = parseResource(parts.get(0).body());
    MultipartRelated.Part media = parts.get(1);
    String name = requireName(ObjectAttributes.string(resource, "name").orElse(query.get("name")));
    ObjectAttributes attributes = ObjectAttributes.fromJson(resource, media.contentType());
    ObjectAttributes.string(resource, "md5Hash").ifPresent(md5 -> verifyMd5(md5, media.body()));
    return store.put(bucket, name, media.body(), attributes, Preconditions.fromQuery(query));
  }

  /** uploadType=resumable: opens a session; the caller answers its id in the Location header. */
  String startResumable(
      String bucket, Map<String, String> query, String uploadContentType, byte[] body) {
    JsonObject resource = body.length == 0 ? new JsonObject() : parseResource(body);
    String name = requireName(ObjectAttributes.string(resource, "name").orElse(query.get("name")));
    ObjectAttributes attributes = ObjectAttributes.fromJson(resource, uploadContentType);
    Optional<String> md5 = ObjectAttributes.string(resource, "md5Hash");
    return resumable.start(bucket, name, attributes, Preconditions.fromQuery(query), md5);
  }

  static void verifyMd5(String expected, byte[] content) {
    String actual = StoredObject.md5Base64(content);
    if (!actual.equals(expected)) {
      throw GcsException.invalid(
          "Provided MD5 hash \""
              + expected
              + "\" doesn't match calculated MD5 hash \""
              + actual
              + "\".");
    }
  }

  private static JsonObject parseResource(byte[] json) {
    try {
      return JsonParser.parseString(new String(json, StandardCharsets.UTF_8)).getAsJsonObject();
    } catch (RuntimeException e) {
      throw GcsException.invalid("The object resource is not a JSON object");
    }
  }

  private static String requireName(String name) {
    if (name == null || name.isEmpty()) {
      throw new GcsException(400, "required", "Required object name");
    }
    return name;
  }
}
