package dev.atelier.http;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON error body of every HTTP function: {@code
 * {"error":{"code":"UPPER_SNAKE","message":"…","details":{…}}}}. {@code details} holds
 * JSON-friendly values (strings, numbers, booleans, lists, maps) and is never null.
 */
public record ApiError(ErrorCode code, String message, Map<String, Object> details) {

  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

  public ApiError {
    if (code == null || message == null) {
      throw new IllegalArgumentException("code and message are required");
    }
    details =
        details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  public static ApiError of(ErrorCode code, String message) {
    return new ApiError(code, message, Map.of());
  }

  /** A copy with one more detail. */
  public ApiError withDetail(String key, Object value) {
    Map<String, Object> more = new LinkedHashMap<>(details);
    more.put(key, value);
    return new ApiError(code, message, more);
  }

  public int httpStatus() {
    return code.httpStatus();
  }

  public String toJson() {
    JsonObject error = new JsonObject();
    error.addProperty("code", code.name());
    error.addProperty("message", message);
    error.add("details", GSON.toJsonTree(details));
    JsonObject body = new JsonObject();
    body.add("error", error);
    return GSON.toJson(body);
  }
}
