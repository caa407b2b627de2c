package dev.atelier.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.Firestore;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.atelier.emulator.junit.EmulatorHandle;
import dev.atelier.emulator.junit.FirestoreEmulatorExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Firestore's REST reads on the emulator's port, over real HTTP, as curl would call them. */
@ExtendWith(FirestoreEmulatorExtension.class)
class RestReadsTest {
  private static final Gson GSON = new Gson();

  private final HttpClient http = HttpClient.newHttpClient();

  private static String documents(EmulatorHandle emulator) {
    return "projects/" + emulator.projectId() + "/databases/(default)/documents";
  }

  private HttpResponse<String> get(EmulatorHandle emulator, String pathAndQuery) throws Exception {
    return http.send(
        HttpRequest.newBuilder(
                URI.create(
                    "http://" + emulator.host() + "/v1/" + documents(emulator) + pathAndQuery))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject json(HttpResponse<String> response) {
    return GSON.fromJson(response.body(), JsonObject.class);
  }

  private static List<String> names(JsonObject list) {
    List<String> out = new ArrayList<>();
    if (list.has("documents")) {
      list.getAsJsonArray("documents")
          .forEach(
              d -> {
                String name = d.getAsJsonObject().get("name").getAsString();
                out.add(name.substring(name.indexOf("/documents/") + "/documents/".length()));
              });
    }
    return out;
  }

  @Test
  void getAnswersTheDocumentInRestJsonWithEveryValueType(Firestore db, EmulatorHandle emulator)
      throws Exception {
    Map<String, Object> data = new HashMap<>();
    data.put("s", "hello");
    data.put("n", 42L);
    data.put("d", 1.5);
    data.put("b", true);
    data.put("none", null);
    data.put("at", Timestamp.ofTimeSecondsAndNanos(1_700_000_000L, 0));
    data.put("m", Map.of("k", "v"));
    data.put("a", Arrays.asList("x", 7L));
    data.put("url", "http://127.0.0.1:9199/v0/b/b/o/x.png?alt=media&token=t<1>");
    db.document("generationHistory/u1/items/i1").set(data).get();

    HttpResponse<String> response = get(emulator, "/generationHistory/u1/items/i1");

    assertEquals(200, response.statusCode(), response.body());
    assertTrue(
        response.headers().firstValue("content-type").orElse("").startsWith("application/json"));
    JsonObject doc = json(response);
    assertEquals(
        documents(emulator) + "/generationHistory/u1/items/i1", doc.get("name").getAsString());
    JsonObject fields = doc.getAsJsonObject("fields");
    assertEquals("hello", fields.getAsJsonObject("s").get("stringValue").getAsString());
    assertEquals(
        "\"42\"",
        fields.getAsJsonObject("n").get("integerValue").toString(),
        "int64 is a JSON string");
    assertEquals(1.5, fields.getAsJsonObject("d").get("doubleValue").getAsDouble());
    assertTrue(fields.getAsJsonObject("b").get("booleanValue").getAsBoolean());
    assertTrue(fields.getAsJsonObject("none").has("nullValue"));
    assertTrue(fields.getAsJsonObject("none").get("nullValue").isJsonNull());
    assertEquals(
        "2023-11-14T22:13:20Z", fields.getAsJsonObject("at").get("timestampValue").getAsString());
    assertEquals(
        "v",
        fields
            .getAsJsonObject("m")
            .getAsJsonObject("mapValue")
            .getAsJsonObject("fields")
            .getAsJsonObject("k")
            .get("stringValue")
            .getAsString());
    JsonArray values =
        fields.getAsJsonObject("a").getAsJsonObject("arrayValue").getAsJsonArray("values");
    assertEquals("x", values.get(0).getAsJsonObject().get("stringValue").getAsString());
    assertEquals("7", values.get(1).getAsJsonObject().get("integerValue").getAsString());
    assertTrue(
        response.body().contains("\"http://127.0.0.1:9199/v0/b/b/o/x.png?alt=media&token=t<1>\""),
        "strings are not HTML-escaped: " + response.body());
    assertTrue(doc.get("createTime").getAsString().endsWith("Z"));
    assertTrue(doc.get("updateTime").getAsString().endsWith("Z"));
  }

  @Test
  void getOfAnAbsentDocumentIs404InGooglesErrorShape(Firestore db, EmulatorHandle emulator)
      throws Exception {
    db.document("generations/other").set(Map.of("n", 1)).get();

    HttpResponse<String> response = get(emulator, "/generations/missing");

    assertEquals(404, response.statusCode());
    JsonObject error = json(response).getAsJsonObject("error");
    assertEquals(404, error.get("code").getAsInt());
    assertEquals("NOT_FOUND", error.get("status").getAsString());
    assertTrue(
        error.get("message").getAsString().contains(documents(emulator) + "/generations/missing"),
        error.toString());
  }

  @Test
  void getSeesDeletionsAndTheLatestWrite(Firestore db, EmulatorHandle emulator) throws Exception {
    db.document("generations/g1").set(Map.of("status", "generating")).get();
    db.document("generations/g1").update("status", "completed").get();
    assertEquals(
        "completed",
        json(get(emulator, "/generations/g1"))
            .getAsJsonObject("fields")
            .getAsJsonObject("status")
            .get("stringValue")
            .getAsString());

    db.document("generations/g1").delete().get();
    assertEquals(404, get(emulator, "/generations/g1").statusCode());
  }

  @Test
  void listAnswersTheCollectionsOwnDocumentsInIdOrder(Firestore db, EmulatorHandle emulator)
      throws Exception {
    db.document("c/b").set(Map.of("n", 2)).get();
    db.document("c/a").set(Map.of("n", 1)).get();
    db.document("c/c").set(Map.of("n", 3)).get();
    db.document("c/a/sub/x").set(Map.of("n", 4)).get();
    db.document("cc/z").set(Map.of("n", 5)).get();

    HttpResponse<String> response = get(emulator, "/c");

    assertEquals(200, response.statusCode(), response.body());
    JsonObject list = json(response);
    assertEquals(List.of("c/a", "c/b", "c/c"), names(list));
    assertEquals(
        "1",
        list.getAsJsonArray("documents")
            .get(0)
            .getAsJsonObject()
            .getAsJsonObject("fields")
            .getAsJsonObject("n")
            .get("integerValue")
            .getAsString());
    assertFalse(list.has("nextPageToken"));
    assertEquals(List.of("c/a/sub/x"), names(json(get(emulator, "/c/a/sub"))));
  }

  @Test
  void listPagesWithPageSizeAndPageToken(Firestore db, EmulatorHandle emulator) throws Exception {
    for (String id : List.of("a", "b", "c", "d", "e")) {
      db.document("p/" + id).set(Map.of("id", id)).get();
    }

    JsonObject first = json(get(emulator, "/p?pageSize=2"));
    assertEquals(List.of("p/a", "p/b"), names(first));
    String token = first.get("nextPageToken").getAsString();
    JsonObject second = json(get(emulator, "/p?pageSize=2&pageToken=" + token));
    assertEquals(List.of("p/c", "p/d"), names(second));
    JsonObject third =
        json(get(emulator, "/p?pageSize=2&pageToken=" + second.get("nextPageToken").getAsString()));
    assertEquals(List.of("p/e"), names(third));
    assertFalse(third.has("nextPageToken"));
  }

  @Test
  void listOfAnEmptyCollectionHasNoDocuments(EmulatorHandle emulator) throws Exception {
    HttpResponse<String> response = get(emulator, "/nothing-here");

    assertEquals(200, response.statusCode());
    assertEquals(new JsonObject(), json(response), "production leaves the empty list out");
  }

  @Test
  void maskFieldPathsKeepsOnlyTheNamedFields(Firestore db, EmulatorHandle emulator)
      throws Exception {
    db.document("c/a").set(Map.of("keep", 1, "drop", 2, "also", 3)).get();

    JsonObject doc = json(get(emulator, "/c/a?mask.fieldPaths=keep&mask.fieldPaths=also"));

    assertEquals(2, doc.getAsJsonObject("fields").size());
    assertTrue(doc.getAsJsonObject("fields").has("keep"));
    assertTrue(doc.getAsJsonObject("fields").has("also"));
  }

  @Test
  void badRequestsGetGoogleErrors(EmulatorHandle emulator) throws Exception {
    assertEquals(
        400,
        get(emulator, "").statusCode(),
        "the database root is neither a collection nor a document");
    assertEquals(400, get(emulator, "/c//a").statusCode());
    HttpResponse<String> badSize = get(emulator, "/c?pageSize=many");
    assertEquals(400, badSize.statusCode());
    assertEquals(
        "INVALID_ARGUMENT", json(badSize).getAsJsonObject("error").get("status").getAsString());
    HttpResponse<String> write =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://" + emulator.host() + "/v1/" + documents(emulator) + "/c/a"))
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(501, write.statusCode());
    assertEquals("UNIMPLEMENTED", json(write).getAsJsonObject("error").get("status").getAsString());
  }
}
