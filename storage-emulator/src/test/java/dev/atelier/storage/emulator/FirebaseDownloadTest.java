package dev.atelier.storage.emulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Firebase download endpoint {@code /v0/b/{bucket}/o/{name}}, request by request. */
class FirebaseDownloadTest {
  private static final HttpClient http = HttpClient.newHttpClient();
  private static final String NAME = "generations/u1/h1/m1.png";
  private static final String ENCODED = "generations%2Fu1%2Fh1%2Fm1.png";
  private static final String TOKEN = "2f0b6c1e-6a57-4d2b-9a53-0c2f5b8e1d11";
  private static final byte[] CONTENT = "0123456789".getBytes(StandardCharsets.US_ASCII);
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
  void theRightTokenDownloadsTheBytesWithTheirContentTypeToAnyOrigin() throws Exception {
    upload(
        NAME,
        "image/png",
        "{\"firebaseStorageDownloadTokens\":\"" + TOKEN + "\",\"model\":\"flux\"}");

    HttpResponse<byte[]> response = get("/v0/b/media/o/" + ENCODED + "?alt=media&token=" + TOKEN);

    assertEquals(200, response.statusCode());
    assertArrayEquals(CONTENT, response.body());
    assertEquals(Optional.of("image/png"), response.headers().firstValue("Content-Type"));
    assertEquals(Optional.of("*"), response.headers().firstValue("Access-Control-Allow-Origin"));
    assertEquals(
        Optional.of("inline; filename*=utf-8''m1.png"),
        response.headers().firstValue("Content-Disposition"));
  }

  @Test
  void anyOfSeveralCommaSeparatedTokensIsAccepted() throws Exception {
    upload(NAME, "image/png", "{\"firebaseStorageDownloadTokens\":\"old-token, " + TOKEN + "\"}");

    assertEquals(200, get("/v0/b/media/o/" + ENCODED + "?alt=media&token=" + TOKEN).statusCode());
    assertEquals(200, get("/v0/b/media/o/" + ENCODED + "?alt=media&token=old-token").statusCode());
  }

  @Test
  void aWrongOrMissingTokenIs403InFirebasesErrorShape() throws Exception {
    upload(NAME, "image/png", "{\"firebaseStorageDownloadTokens\":\"" + TOKEN + "\"}");

    HttpResponse<byte[]> wrong =
        get("/v0/b/media/o/" + ENCODED + "?alt=media&token=" + TOKEN.replace('2', '3'));
    HttpResponse<byte[]> missing = get("/v0/b/media/o/" + ENCODED + "?alt=media");
    HttpResponse<byte[]> empty = get("/v0/b/media/o/" + ENCODED + "?alt=media&token=");

    assertEquals(403, wrong.statusCode());
    JsonObject error = json(wrong).getAsJsonObject("error");
    assertEquals(403, error.get("code").getAsInt());
    assertEquals("Permission denied.", error.get("message").getAsString());
    assertEquals(Optional.of("*"), wrong.headers().firstValue("Access-Control-Allow-Origin"));
    assertEquals(403, missing.statusCode());
    assertEquals(403, empty.statusCode());
  }

  @Test
  void anObjectWithoutTokensCannotBeDownloadedHere() throws Exception {
    upload(NAME, "image/png", "{\"model\":\"flux\"}");

    assertEquals(403, get("/v0/b/media/o/" + ENCODED + "?alt=media&token=").statusCode());
    assertEquals(403, get("/v0/b/media/o/" + ENCODED + "?alt=media&token=undefined").statusCode());
  }

  @Test
  void aMissingObjectIs404() throws Exception {
    upload(NAME, "image/png", "{\"firebaseStorageDownloadTokens\":\"" + TOKEN + "\"}");

    HttpResponse<byte[]> otherName =
        get("/v0/b/media/o/generations%2Fu1%2Fh1%2Fm2.png?alt=media&token=" + TOKEN);
    HttpResponse<byte[]> otherBucket =
        get("/v0/b/elsewhere/o/" + ENCODED + "?alt=media&token=" + TOKEN);

    assertEquals(404, otherName.statusCode());
    assertEquals(404, json(otherName).getAsJsonObject("error").get("code").getAsInt());
    assertEquals(404, otherBucket.statusCode());
  }

  @Test
  void withoutAltMediaTheTokenReadsFirebaseMetadata() throws Exception {
    upload(
        NAME,
        "image/png",
        "{\"firebaseStorageDownloadTokens\":\"" + TOKEN + "\",\"model\":\"flux\"}");

    HttpResponse<byte[]> response = get("/v0/b/media/o/" + ENCODED + "?token=" + TOKEN);

    assertEquals(200, response.statusCode());
    JsonObject metadata = json(response);
    assertEquals(NAME, metadata.get("name").getAsString());
    assertEquals("media", metadata.get("bucket").getAsString());
    assertEquals("image/png", metadata.get("contentType").getAsString());
    assertEquals("10", metadata.get("size").getAsString());
    assertEquals(TOKEN, metadata.get("downloadTokens").getAsString());
    assertEquals("{\"model\":\"flux\"}", metadata.getAsJsonObject("metadata").toString());
    assertEquals(403, get("/v0/b/media/o/" + ENCODED).statusCode());
  }

  @Test
  void rangeAnswers206WithTheSliceAndHeadAnswersTheLengthOnly() throws Exception {
    upload(NAME, "video/mp4", "{\"firebaseStorageDownloadTokens\":\"" + TOKEN + "\"}");
    URI uri = uri("/v0/b/media/o/" + ENCODED + "?alt=media&token=" + TOKEN);

    HttpResponse<String> range =
        http.send(
            HttpRequest.newBuilder(uri).header("Range", "bytes=6-").build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> head =
        http.send(
            HttpRequest.newBuilder(uri).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> unsatisfiable =
        http.send(
            HttpRequest.newBuilder(uri).header("Range", "bytes=10-").build(),
            HttpResponse.BodyHandlers.ofString());

    assertEquals(206, range.statusCode());
    assertEquals("6789", range.body());
    assertEquals(Optional.of("bytes 6-9/10"), range.headers().firstValue("Content-Range"));
    assertEquals(200, head.statusCode());
    assertEquals("", head.body());
    assertEquals(Optional.of("10"), head.headers().firstValue("Content-Length"));
    assertEquals(Optional.of("video/mp4"), head.headers().firstValue("Content-Type"));
    assertEquals(416, unsatisfiable.statusCode());
    assertEquals(Optional.of("bytes */10"), unsatisfiable.headers().firstValue("Content-Range"));
  }

  @Test
  void aPreflightAllowsGetWithTheRequestedHeaders() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(uri("/v0/b/media/o/" + ENCODED))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://localhost:3000")
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "range")
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertEquals(204, response.statusCode());
    assertEquals(Optional.of("*"), response.headers().firstValue("Access-Control-Allow-Origin"));
    assertEquals(
        Optional.of("GET, HEAD, OPTIONS"),
        response.headers().firstValue("Access-Control-Allow-Methods"));
    assertEquals(
        Optional.of("range"), response.headers().firstValue("Access-Control-Allow-Headers"));
  }

  @Test
  void namesNeedingEscapesRoundTrip() throws Exception {
    String name = "generations/u1/h1/a b+ü.png";
    upload(name, "image/png", "{\"firebaseStorageDownloadTokens\":\"" + TOKEN + "\"}");
    String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");

    HttpResponse<byte[]> response = get("/v0/b/media/o/" + encoded + "?alt=media&token=" + TOKEN);

    assertEquals(200, response.statusCode());
    assertArrayEquals(CONTENT, response.body());
  }

  @Test
  void otherMethodsAndPathsAreRefused() throws Exception {
    upload(NAME, "image/png", "{\"firebaseStorageDownloadTokens\":\"" + TOKEN + "\"}");

    HttpResponse<String> delete =
        http.send(
            HttpRequest.newBuilder(uri("/v0/b/media/o/" + ENCODED + "?token=" + TOKEN))
                .DELETE()
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertEquals(405, delete.statusCode());
    assertEquals(404, get("/v0/b/media").statusCode());
  }

  /** A multipart upload, as the Java client sends one, with the given custom metadata. */
  private static void upload(String name, String contentType, String metadataJson)
      throws Exception {
    String boundary = "b0undary";
    String resource =
        "{\"name\":\""
            + name
            + "\",\"contentType\":\""
            + contentType
            + "\",\"metadata\":"
            + metadataJson
            + "}";
    byte[] head =
        ("--"
                + boundary
                + "\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n"
                + resource
                + "\r\n--"
                + boundary
                + "\r\nContent-Type: "
                + contentType
                + "\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[head.length + CONTENT.length + tail.length];
    System.arraycopy(head, 0, body, 0, head.length);
    System.arraycopy(CONTENT, 0, body, head.length, CONTENT.length);
    System.arraycopy(tail, 0, body, head.length + CONTENT.length, tail.length);
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(uri("/upload/storage/v1/b/media/o?uploadType=multipart"))
                .header("Content-Type", "multipart/related; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
  }

  private static HttpResponse<byte[]> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static JsonObject json(HttpResponse<byte[]> response) {
    return JsonParser.parseString(new String(response.body(), StandardCharsets.UTF_8))
        .getAsJsonObject();
  }

  private static URI uri(String path) {
    return URI.create(emulator.baseUrl() + path);
  }
}
