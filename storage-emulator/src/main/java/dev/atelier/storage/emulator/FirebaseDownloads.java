package dev.atelier.storage.emulator;

import com.sun.net.httpserver.Headers;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Firebase Storage's download endpoint, {@code /v0/b/{bucket}/o/{percent-encoded name}}, as
 * Firebase and its emulator serve it: {@code ?alt=media&token=T} answers the bytes, without {@code
 * alt=media} the Firebase metadata JSON. The token must be one of the object's {@code
 * firebaseStorageDownloadTokens}; there is no rules engine here, so a request without a valid token
 * is always 403. Any origin may read (browsers load these URLs from the app).
 */
final class FirebaseDownloads {
  static final String PREFIX = "/v0/b/";
  static final String TOKENS_KEY = "firebaseStorageDownloadTokens";

  private final ObjectStore store;

  FirebaseDownloads(ObjectStore store) {
    this.store = store;
  }

  void handle(Request request) throws IOException {
    Headers headers = request.responseHeaders();
    headers.set("Access-Control-Allow-Origin", "*");
    headers.set(
        "Access-Control-Expose-Headers", "Content-Range, Content-Disposition, ETag, Accept-Ranges");
    try {
      serve(request);
    } catch (GcsException e) {
      request.sendJson(e.status(), ResourceJson.firebaseError(e.status(), e.getMessage()));
    }
  }

  private void serve(Request request) throws IOException {
    String[] bucketAndObject = request.path().substring(PREFIX.length()).split("/o/", 2);
    if (bucketAndObject.length != 2
        || bucketAndObject[0].isEmpty()
        || bucketAndObject[1].isEmpty()) {
      throw notFound();
    }
    String bucket = Paths.decode(bucketAndObject[0]);
    String name = Paths.decode(bucketAndObject[1]);
    switch (request.method()) {
      case "OPTIONS" -> preflight(request);
      case "GET", "HEAD" -> {
        StoredObject object = store.get(bucket, name).orElseThrow(FirebaseDownloads::notFound);
        if (!hasToken(object, request.query().get("token"))) {
          throw new GcsException(403, "forbidden", "Permission denied.");
        }
        if ("media".equals(request.query().get("alt"))) {
          if (object.attributes().contentDisposition() == null) {
            request.responseHeaders().set("Content-Disposition", inline(name));
          }
          if (object.attributes().cacheControl() == null) {
            request.responseHeaders().set("Cache-Control", "private, max-age=0");
          }
          ObjectResponse.send(request, object);
        } else {
          request.sendJson(200, ResourceJson.firebaseObject(object, inline(name)));
        }
      }
      default ->
          throw new GcsException(
              405, "methodNotAllowed", request.method() + " is not supported here.");
    }
  }

  /** Lets a page's fetch() send Range (or anything else) to these URLs. */
  private static void preflight(Request request) throws IOException {
    Headers headers = request.responseHeaders();
    headers.set("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
    Optional.ofNullable(request.header("Access-Control-Request-Headers"))
        .ifPresent(requested -> headers.set("Access-Control-Allow-Headers", requested));
    headers.set("Access-Control-Max-Age", "3600");
    request.send(204, "", new byte[0]);
  }

  static Optional<String> tokens(StoredObject object) {
    return Optional.ofNullable(object.attributes().metadata().get(TOKENS_KEY));
  }

  private static boolean hasToken(StoredObject object, String token) {
    if (token == null || token.isBlank()) {
      return false;
    }
    return tokens(object).stream()
        .flatMap(list -> Arrays.stream(list.split(",")))
        .map(String::strip)
        .anyMatch(token::equals);
  }

  /**
   * Firebase's default disposition: shown in the browser, saved under the object's own file name.
   */
  private static String inline(String name) {
    return "inline; filename*=utf-8''" + Paths.encode(name.substring(name.lastIndexOf('/') + 1));
  }

  private static GcsException notFound() {
    return new GcsException(404, "notFound", "Not Found.");
  }
}
