package dev.atelier.emulator;

import com.google.gson.Gson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Firebase Auth emulator style ID tokens (unsigned, alg none) for the emulator's own tests. */
final class TestIdTokens {
  private TestIdTokens() {}

  static String user(String project, String uid) {
    return token(project, uid, Map.of(), Instant.now().getEpochSecond() + 3600);
  }

  static String withClaims(String project, String uid, Map<String, Object> claims) {
    return token(project, uid, claims, Instant.now().getEpochSecond() + 3600);
  }

  static String expired(String project, String uid) {
    return token(project, uid, Map.of(), Instant.now().getEpochSecond() - 60);
  }

  private static String token(String project, String uid, Map<String, Object> claims, long exp) {
    Map<String, Object> payload = new LinkedHashMap<>(claims);
    payload.put("iss", "https://securetoken.google.com/" + project);
    payload.put("aud", project);
    payload.put("sub", uid);
    payload.put("user_id", uid);
    payload.put("iat", exp - 3600);
    payload.put("exp", exp);
    payload.put("email", uid + "@example.test");
    payload.put("firebase", Map.of("sign_in_provider", "password"));
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
        + "."
        + b64.encodeToString(new Gson().toJson(payload).getBytes(StandardCharsets.UTF_8))
        + ".";
  }
}
