package dev.atelier.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.http.HttpResponse;

/** Reading JSON responses and our error body {@code {"error":{"code":…}}} in function tests. */
public final class HttpAssertions {

  private HttpAssertions() {}

  public static JsonObject json(HttpResponse<String> r) {
    return JsonParser.parseString(r.body()).getAsJsonObject();
  }

  public static String errorCode(HttpResponse<String> r) {
    return json(r).getAsJsonObject("error").get("code").getAsString();
  }

  /** The response has {@code status} and the error body names {@code code}. */
  public static void assertError(HttpResponse<String> r, int status, String code) {
    assertEquals(status, r.statusCode(), r.body());
    assertEquals(code, errorCode(r));
  }
}
