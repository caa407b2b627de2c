package dev.atelier.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiErrorTest {

  @Test
  void bodyIsTheErrorEnvelopeWithCodeMessageAndDetails() {
    ApiError error =
        new ApiError(
            ErrorCode.INVALID_ARGUMENT,
            "bad <input>",
            Map.of("fields", Map.of("count", "must be ≤ 1000"), "allowed", List.of(1, 2)));
    JsonObject body = JsonParser.parseString(error.toJson()).getAsJsonObject();
    JsonObject inner = body.getAsJsonObject("error");
    assertEquals(1, body.size());
    assertEquals("INVALID_ARGUMENT", inner.get("code").getAsString());
    assertEquals("bad <input>", inner.get("message").getAsString());
    assertEquals(
        "must be ≤ 1000",
        inner.getAsJsonObject("details").getAsJsonObject("fields").get("count").getAsString());
    assertEquals(2, inner.getAsJsonObject("details").getAsJsonArray("allowed").size());
  }

  @Test
  void detailsAreAnEmptyObjectWhenThereAreNone() {
    JsonObject inner =
        JsonParser.parseString(ApiError.of(ErrorCode.NOT_FOUND, "no such item").toJson())
            .getAsJsonObject()
            .getAsJsonObject("error");
    assertEquals(0, inner.getAsJsonObject("details").size());
  }

  @Test
  void statusComesFromTheCode() {
    assertEquals(402, ApiError.of(ErrorCode.INSUFFICIENT_CREDITS, "x").httpStatus());
    assertEquals(409, ErrorCode.IDEMPOTENCY_KEY_REUSED.httpStatus());
    assertEquals(410, ErrorCode.CODE_EXHAUSTED.httpStatus());
    assertEquals(503, ErrorCode.NO_PROVIDER_AVAILABLE.httpStatus());
  }

  @Test
  void withDetailAddsOneDetailKeepingTheRest() {
    ApiError error =
        ApiError.of(ErrorCode.RATE_LIMITED, "slow down")
            .withDetail("retryAfterSeconds", 30)
            .withDetail("limit", "requestsPerMinute");
    assertEquals(Map.of("retryAfterSeconds", 30, "limit", "requestsPerMinute"), error.details());
  }
}
