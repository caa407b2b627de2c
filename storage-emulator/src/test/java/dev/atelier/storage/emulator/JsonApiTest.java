package dev.atelier.storage.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The wire protocol, request by request, for the parts the Java client's tests do not pin down. */
class JsonApiTest {
  private static final HttpClient http = HttpClient.newHttpClient();
  private static StorageEmulator emulator;

  @BeforeAll
  static void start() throws Exception {
    emulator = StorageEmulator.start(0);
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  @BeforeEach
  void wipe() {
    emulator.reset();
  }

  @Test
  void simpleUploadStoresTheBodyUnderTheQueryName() throws Exception {
    HttpResponse<String> response =
        send(
            "POST",
            "/upload/storage/v1/b/media/o?uploadType=media&name=a%2Fb.txt",
            "text/plain",
            "hello".getBytes(StandardCharsets.UTF_8),
            Optional.empty());

    assertEquals(200, response.statusCode());
    JsonObject object = json(response);
    assertEquals("a/b.txt", object.get("name").getAsString());
    assertEquals("5", object.get("size").getAsString());
    assertEquals("XUFAKrxLKna5cZ2REBfFkg==", object.get("md5Hash").getAsString());
    assertEquals(
        "text/plain", get("/storage/v1/b/media/o/a%2Fb.txt").get("contentType").getAsString());
  }

  @Test
  void resumableChunkAnswers308WithThePersistedRangeUntilTheLastChunk() throws Exception {
    String session = startResumable("clip.mp4");

    HttpResponse<String> first = put(session, "bytes 0-3/*", "abcd");
    HttpResponse<String> status = put(session, "bytes */*", "");
    HttpResponse<String> last = put(session, "bytes 4-5/6", "ef");

    assertEquals(308, first.statusCode());
    assertEquals(Optional.of("bytes=0-3"), first.headers().firstValue("Range"));
    assertEquals(308, status.statusCode());
    assertEquals(Optional.of("bytes=0-3"), status.headers().firstValue("Range"));
    assertEquals(200, last.statusCode());
    assertEquals("6", json(last).get("size").getAsString());
    assertEquals("abcdef", download("/media/clip.mp4").body());
  }

  @Test
  void aResentChunkOnlyAddsTheBytesNotYetPersisted() throws Exception {
    String session = startResumable("clip.mp4");
    put(session, "bytes 0-3/*", "abcd");

    HttpResponse<String> retry = put(session, "bytes 2-5/6", "cdef");

    assertEquals(200, retry.statusCode());
    assertEquals("abcdef", download("/media/clip.mp4").body());
  }

  @Test
  void resetOverHttpForgetsObjectsAndOpenUploadSessions() throws Exception {
    upload("x.png", "one");
    String session = startResumable("clip.mp4");

    HttpResponse<String> reset =
        send("POST", "/emulator/v1/reset", "", new byte[0], Optional.empty());

    assertEquals(204, reset.statusCode());
    assertEquals(404, download("/media/x.png").statusCode());
    assertEquals(404, put(session, "bytes 0-1/2", "ab").statusCode());
  }

  @Test
  void preconditionFailureIs412InTheJsonApiErrorShape() throws Exception {
    upload("x.png", "one");

    HttpResponse<String> response =
        send(
            "POST",
            "/upload/storage/v1/b/media/o?uploadType=media&name=x.png&ifGenerationMatch=0",
            "image/png",
            "two".getBytes(StandardCharsets.UTF_8),
            Optional.empty());

    assertEquals(412, response.statusCode());
    JsonObject error = json(response).getAsJsonObject("error");
    assertEquals(412, error.get("code").getAsInt());
    assertEquals(
        "conditionNotMet",
        error.getAsJsonArray("errors").get(0).getAsJsonObject().get("reason").getAsString());
    assertEquals("one", download("/media/x.png").body());
  }

  @Test
  void multipartUploadWithAWrongMd5IsRefusedAndStoresNothing() throws Exception {
    String boundary = "b0undary";
    String body =
        "--"
            + boundary
            + "\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n"
            + "{\"name\":\"m.png\",\"contentType\":\"image/png\",\"md5Hash\":\"AAAAAAAAAAAAAAAAAAAAAA==\"}\r\n"
            + "--"
            + boundary
            + "\r\nContent-Type: image/png\r\n\r\nPNGDATA\r\n--"
            + boundary
            + "--\r\n";

    HttpResponse<String> response =
        send(
            "POST",
            "/upload/storage/v1/b/media/o?uploadType=multipart",
            "multipart/related; boundary=" + boundary,
            body.getBytes(StandardCharsets.UTF_8),
            Optional.empty());

    assertEquals(400, response.statusCode());
    assertEquals(404, download("/media/m.png").statusCode());
  }

  @Test
  void gzippedRequestBodiesAreInflated() throws Exception {
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
      gzip.write("plain text".getBytes(StandardCharsets.UTF_8));
    }

    send(
        "POST",
        "/upload/storage/v1/b/media/o?uploadType=media&name=z.txt",
        "text/plain",
        zipped.toByteArray(),
        Optional.of("gzip"));

    assertEquals("plain text", download("/media/z.txt").body());
  }

  @Test
  void rangeDownloadAnswers206WithTheSlice() throws Exception {
    upload("r.bin", "0123456789");

    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(uri("/download/storage/v1/b/media/o/r.bin?alt=media"))
                .header("Range", "bytes=2-5")
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertEquals(206, response.statusCode());
    assertEquals("2345", response.body());
    assertEquals(Optional.of("bytes 2-5/10"), response.headers().firstValue("Content-Range"));
  }

  @Test
  void listPagesThroughItemsAndDelimiterPrefixesWithoutRepeats() throws Exception {
    for (String name : new String[] {"a/1", "a/2", "b", "c/1", "d"}) {
      upload(name, "x");
    }

    JsonObject page1 = get("/storage/v1/b/media/o?delimiter=%2F&maxResults=2");
    JsonObject page2 =
        get(
            "/storage/v1/b/media/o?delimiter=%2F&maxResults=2&pageToken="
                + page1.get("nextPageToken").getAsString());

    assertEquals("[\"a/\"]", page1.getAsJsonArray("prefixes").toString());
    assertEquals("b", names(page1.getAsJsonArray("items")));
    assertEquals("[\"c/\"]", page2.getAsJsonArray("prefixes").toString());
    assertEquals("d", names(page2.getAsJsonArray("items")));
    assertFalse(page2.has("nextPageToken"), page2.toString());
  }

  @Test
  void deleteWithAStaleMetagenerationIs412AndKeepsTheObject() throws Exception {
    upload("k.txt", "keep");

    HttpResponse<String> response =
        send(
            "DELETE",
            "/storage/v1/b/media/o/k.txt?ifMetagenerationMatch=7",
            "",
            new byte[0],
            Optional.empty());

    assertEquals(412, response.statusCode());
    assertEquals("keep", download("/media/k.txt").body());
  }

  @Test
  void missingObjectIs404WithItsName() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(uri("/storage/v1/b/media/o/nope")).build(),
            HttpResponse.BodyHandlers.ofString());

    assertEquals(404, response.statusCode());
    assertTrue(response.body().contains("No such object: media/nope"), response.body());
  }

  private static String names(JsonArray items) {
    StringBuilder names = new StringBuilder();
    items.forEach(
        item ->
            names
                .append(names.length() == 0 ? "" : ",")
                .append(item.getAsJsonObject().get("name").getAsString()));
    return names.toString();
  }

  private static void upload(String name, String content) throws Exception {
    HttpResponse<String> response =
        send(
            "POST",
            "/upload/storage/v1/b/media/o?uploadType=media&name=" + name.replace("/", "%2F"),
            "application/octet-stream",
            content.getBytes(StandardCharsets.UTF_8),
            Optional.empty());
    assertEquals(200, response.statusCode(), response.body());
  }

  private static String startResumable(String name) throws Exception {
    HttpResponse<String> response =
        send(
            "POST",
            "/upload/storage/v1/b/media/o?uploadType=resumable",
            "application/json",
            ("{\"name\":\"" + name + "\",\"contentType\":\"video/mp4\"}")
                .getBytes(StandardCharsets.UTF_8),
            Optional.empty());
    assertEquals(200, response.statusCode(), response.body());
    return response.headers().firstValue("Location").orElseThrow();
  }

  private static HttpResponse<String> put(String session, String contentRange, String chunk)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(session))
            .header("Content-Range", contentRange)
            .PUT(HttpRequest.BodyPublishers.ofString(chunk))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> download(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject get(String path) throws Exception {
    HttpResponse<String> response = download(path);
    assertEquals(200, response.statusCode(), response.body());
    return json(response);
  }

  private static HttpResponse<String> send(
      String method, String path, String contentType, byte[] body, Optional<String> contentEncoding)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    if (!contentType.isEmpty()) {
      request.header("Content-Type", contentType);
    }
    contentEncoding.ifPresent(encoding -> request.header("Content-Encoding", encoding));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject json(HttpResponse<String> response) {
    return JsonParser.parseString(response.body()).getAsJsonObject();
  }

  private static URI uri(String path) {
    return URI.create(emulator.baseUrl() + path);
  }
}
