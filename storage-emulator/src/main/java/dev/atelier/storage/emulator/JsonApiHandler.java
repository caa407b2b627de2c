package dev.atelier.storage.emulator;

import com.google.gson.JsonObject;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Routes the JSON API paths the Java client uses, Firebase's token download endpoint {@code
 * /v0/b/…} ({@link FirebaseDownloads}), {@code /{bucket}/{object}} so a media URL opens in a
 * browser, and {@code POST /emulator/v1/reset} to wipe everything.
 */
final class JsonApiHandler implements HttpHandler {
  private static final String API = "/storage/v1/b";
  private static final String UPLOAD = "/upload/storage/v1/b/";
  private static final String DOWNLOAD = "/download/storage/v1/b/";
  private static final String RESET = "/emulator/v1/reset";

  private final ObjectStore store;
  private final Uploads uploads;
  private final ResumableUploads resumable;
  private final Consumer<String> requestLog;
  private final FirebaseDownloads firebase;

  JsonApiHandler(ObjectStore store, Consumer<String> requestLog) {
    this.store = store;
    this.resumable = new ResumableUploads(store);
    this.uploads = new Uploads(store, resumable);
    this.requestLog = requestLog;
    this.firebase = new FirebaseDownloads(store);
  }

  /** Forgets every bucket, object and open upload session. */
  void reset() {
    store.reset();
    resumable.reset();
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Request request = Request.of(exchange);
      requestLog.accept(request.method() + " " + exchange.getRequestURI());
      try {
        route(request);
      } catch (GcsException e) {
        sendJson(request, e.status(), ResourceJson.error(e));
      } catch (RuntimeException e) {
        requestLog.accept("internal error: " + e);
        sendJson(
            request,
            500,
            ResourceJson.error(new GcsException(500, "backendError", "Internal error")));
      }
    }
  }

  private void route(Request request) throws IOException {
    String path = request.path();
    if (path.startsWith(API)
        && (path.length() == API.length() || path.charAt(API.length()) == '/')) {
      api(request, path.substring(API.length()));
    } else if (path.startsWith(UPLOAD)) {
      upload(request, path.substring(UPLOAD.length()));
    } else if (path.startsWith(DOWNLOAD)) {
      String[] bucketAndObject = path.substring(DOWNLOAD.length()).split("/o/", 2);
      requireObjectPath(bucketAndObject, path);
      media(request, Paths.decode(bucketAndObject[0]), Paths.decode(bucketAndObject[1]));
    } else if (path.startsWith(FirebaseDownloads.PREFIX)) {
      firebase.handle(request);
    } else if (path.equals(RESET) && request.method().equals("POST")) {
      reset();
      send(request, 204, "", new byte[0]);
    } else if (path.equals("/") || path.isEmpty()) {
      sendJson(request, 200, ResourceJson.bucketList(store.buckets(), request.baseUrl()));
    } else {
      String[] bucketAndObject = path.substring(1).split("/", 2);
      requireObjectPath(bucketAndObject, path);
      media(request, Paths.decode(bucketAndObject[0]), Paths.decode(bucketAndObject[1]));
    }
  }

  /**
   * {@code rest} is what follows {@code /storage/v1/b}: "", "/{bucket}", "/{bucket}/o" or
   * "/{bucket}/o/{object}".
   */
  private void api(Request request, String rest) throws IOException {
    if (rest.isEmpty() || rest.equals("/")) {
      switch (request.method()) {
        case "GET" ->
            sendJson(request, 200, ResourceJson.bucketList(store.buckets(), request.baseUrl()));
        case "POST" -> {
          String name =
              ObjectAttributes.string(request.jsonBody(), "name")
                  .orElseThrow(() -> new GcsException(400, "required", "Required bucket name"));
          sendJson(request, 200, ResourceJson.bucket(store.createBucket(name), request.baseUrl()));
        }
        default -> throw methodNotAllowed(request);
      }
      return;
    }
    String[] parts = rest.substring(1).split("/", 3);
    String bucket = Paths.decode(parts[0]);
    if (parts.length == 1) {
      switch (request.method()) {
        case "GET" ->
            sendJson(
                request,
                200,
                ResourceJson.bucket(
                    store.bucket(bucket).orElseThrow(() -> GcsException.noSuchBucket(bucket)),
                    request.baseUrl()));
        case "DELETE" -> {
          store.deleteBucket(bucket);
          send(request, 204, "", new byte[0]);
        }
        default -> throw methodNotAllowed(request);
      }
      return;
    }
    if (!parts[1].equals("o")) {
      throw new GcsException(404, "notFound", "Not Found: " + request.path());
    }
    if (parts.length == 2 || parts[2].isEmpty()) {
      if (!request.method().equals("GET")) {
        throw methodNotAllowed(request);
      }
      ListPage page = store.list(bucket, ListRequest.fromQuery(request.query()));
      sendJson(request, 200, ResourceJson.objectList(page, request.baseUrl()));
      return;
    }
    object(request, bucket, Paths.decode(parts[2]));
  }

  private void object(Request request, String bucket, String name) throws IOException {
    Preconditions preconditions = Preconditions.fromQuery(request.query());
    switch (request.method()) {
      case "GET", "HEAD" -> {
        if ("media".equals(request.query().get("alt"))) {
          media(request, bucket, name);
        } else {
          StoredObject object = live(bucket, name, request.query());
          preconditions.check(Optional.of(object));
          sendJson(request, 200, ResourceJson.object(object, request.baseUrl()));
        }
      }
      case "PATCH", "PUT" ->
          sendJson(
              request,
              200,
              ResourceJson.object(
                  store.patch(bucket, name, request.jsonBody(), preconditions), request.baseUrl()));
      case "DELETE" -> {
        store.delete(bucket, name, preconditions);
        send(request, 204, "", new byte[0]);
      }
      default -> throw methodNotAllowed(request);
    }
  }

  private void upload(Request request, String rest) throws IOException {
    String[] parts = rest.split("/", 2);
    if (parts.length != 2 || !parts[1].equals("o")) {
      throw new GcsException(404, "notFound", "Not Found: " + request.path());
    }
    String bucket = Paths.decode(parts[0]);
    Map<String, String> query = request.query();
    String uploadId = query.get("upload_id");
    if (uploadId != null) {
      resumableChunk(request, uploadId);
      return;
    }
    if (!request.method().equals("POST")) {
      throw methodNotAllowed(request);
    }
    String uploadType = query.getOrDefault("uploadType", "media");
    switch (uploadType) {
      case "media" ->
          sendJson(
              request,
              200,
              ResourceJson.object(
                  uploads.simple(bucket, query, request.header("Content-Type"), request.body()),
                  request.baseUrl()));
      case "multipart" ->
          sendJson(
              request,
              200,
              ResourceJson.object(
                  uploads.multipart(bucket, query, request.header("Content-Type"), request.body()),
                  request.baseUrl()));
      case "resumable" -> {
        String id =
            uploads.startResumable(
                bucket, query, request.header("X-Upload-Content-Type"), request.body());
        String location =
            request.baseUrl()
                + UPLOAD
                + Paths.encode(bucket)
                + "/o?uploadType=resumable&upload_id="
                + id;
        request.responseHeaders().set("Location", location);
        request.responseHeaders().set("X-GUploader-UploadID", id);
        send(request, 200, "", new byte[0]);
      }
      default -> throw GcsException.invalid("Unsupported uploadType " + uploadType);
    }
  }

  private void resumableChunk(Request request, String uploadId) throws IOException {
    if (request.method().equals("DELETE")) {
      resumable.cancel(uploadId);
      send(request, 499, "", new byte[0]);
      return;
    }
    if (!request.method().equals("PUT") && !request.method().equals("POST")) {
      throw methodNotAllowed(request);
    }
    byte[] chunk = request.body();
    String header = request.header("Content-Range");
    ContentRange range =
        header == null ? ContentRange.wholeBody(chunk.length) : ContentRange.parse(header);
    ResumableUploads.Progress progress = resumable.put(uploadId, range, chunk);
    if (progress instanceof ResumableUploads.Complete complete) {
      sendJson(request, 200, ResourceJson.object(complete.object(), request.baseUrl()));
    } else if (progress instanceof ResumableUploads.Incomplete incomplete) {
      if (incomplete.persistedSize() > 0) {
        request.responseHeaders().set("Range", "bytes=0-" + (incomplete.persistedSize() - 1));
      }
      send(request, 308, "", new byte[0]);
    }
  }

  private void media(Request request, String bucket, String name) throws IOException {
    if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
      throw methodNotAllowed(request);
    }
    StoredObject object = live(bucket, name, request.query());
    Preconditions.fromQuery(request.query()).check(Optional.of(object));
    Headers headers = request.responseHeaders();
    headers.set("x-goog-generation", Long.toString(object.generation()));
    headers.set("x-goog-metageneration", Long.toString(object.metageneration()));
    headers.set("x-goog-stored-content-length", Long.toString(object.size()));
    headers.set("x-goog-stored-content-encoding", "identity");
    headers.set("x-goog-hash", "crc32c=" + object.crc32c() + ",md5=" + object.md5Hash());
    ObjectResponse.send(request, object);
  }

  private StoredObject live(String bucket, String name, Map<String, String> query) {
    StoredObject object =
        store.get(bucket, name).orElseThrow(() -> GcsException.noSuchObject(bucket, name));
    String generation = query.get("generation");
    if (generation != null && !generation.equals(Long.toString(object.generation()))) {
      throw GcsException.noSuchObject(bucket, name);
    }
    return object;
  }

  private static void requireObjectPath(String[] bucketAndObject, String path) {
    if (bucketAndObject.length != 2
        || bucketAndObject[0].isEmpty()
        || bucketAndObject[1].isEmpty()) {
      throw new GcsException(404, "notFound", "Not Found: " + path);
    }
  }

  private static GcsException methodNotAllowed(Request request) {
    return new GcsException(
        405, "methodNotAllowed", request.method() + " is not supported on " + request.path());
  }

  private static void sendJson(Request request, int status, JsonObject json) throws IOException {
    request.sendJson(status, json);
  }

  private static void send(Request request, int status, String contentType, byte[] body)
      throws IOException {
    request.send(status, contentType, body);
  }
}
