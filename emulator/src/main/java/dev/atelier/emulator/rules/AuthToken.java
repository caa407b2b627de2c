package dev.atelier.emulator.rules;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.atelier.emulator.rules.eval.Val;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Firebase ID token as the rules see it: {@code request.auth} is {@code {uid, token}} with every
 * claim of the token. As Google's emulator, the signature is not checked (Auth-emulator tokens are
 * unsigned, {@code alg: none}); a token that is not a JWT, has no subject or has expired is
 * refused.
 */
public record AuthToken(String uid, Val.MapV claims) {

  /** Why a bearer token was refused. */
  public static final class InvalidTokenException extends Exception {
    public InvalidTokenException(String message) {
      super(message);
    }
  }

  public static AuthToken decode(String jwt, Instant now) throws InvalidTokenException {
    String[] parts = jwt.split("\\.", -1);
    if (parts.length != 3) {
      throw new InvalidTokenException("the bearer token is not a JWT");
    }
    JsonObject payload;
    try {
      String json =
          new String(
              Base64.getUrlDecoder()
                  .decode(parts[1].replace('+', '-').replace('/', '_').replace("=", "")),
              StandardCharsets.UTF_8);
      payload = JsonParser.parseString(json).getAsJsonObject();
    } catch (IllegalArgumentException | JsonParseException | IllegalStateException e) {
      throw new InvalidTokenException("the bearer token's payload is not JSON");
    }
    String uid =
        Optional.ofNullable(payload.get("sub"))
            .or(() -> Optional.ofNullable(payload.get("user_id")))
            .filter(JsonElement::isJsonPrimitive)
            .map(JsonElement::getAsString)
            .orElse("");
    if (uid.isEmpty()) {
      throw new InvalidTokenException("the ID token has no subject (sub)");
    }
    JsonElement exp = payload.get("exp");
    if (exp != null
        && exp.isJsonPrimitive()
        && exp.getAsJsonPrimitive().isNumber()
        && exp.getAsLong() < now.getEpochSecond()) {
      throw new InvalidTokenException("the ID token has expired");
    }
    return new AuthToken(uid, (Val.MapV) json(payload));
  }

  /** The value of {@code request.auth}. */
  public Val.MapV value() {
    Map<String, Val> auth = new LinkedHashMap<>();
    auth.put("uid", new Val.Str(uid));
    auth.put("token", claims);
    return new Val.MapV(auth);
  }

  private static Val json(JsonElement e) {
    if (e == null || e.isJsonNull()) {
      return Val.NULL;
    }
    if (e.isJsonObject()) {
      Map<String, Val> entries = new LinkedHashMap<>();
      for (Map.Entry<String, JsonElement> entry : e.getAsJsonObject().entrySet()) {
        entries.put(entry.getKey(), json(entry.getValue()));
      }
      return new Val.MapV(entries);
    }
    if (e.isJsonArray()) {
      List<Val> items = new ArrayList<>();
      for (JsonElement item : (JsonArray) e) {
        items.add(json(item));
      }
      return new Val.ListV(items);
    }
    JsonPrimitive p = e.getAsJsonPrimitive();
    if (p.isBoolean()) {
      return Val.of(p.getAsBoolean());
    }
    if (p.isNumber()) {
      double d = p.getAsDouble();
      String text = p.getAsString();
      if (!text.contains(".") && !text.contains("e") && !text.contains("E")) {
        try {
          return new Val.Int(Long.parseLong(text));
        } catch (NumberFormatException ignored) {
          return new Val.Float(d);
        }
      }
      return new Val.Float(d);
    }
    return new Val.Str(p.getAsString());
  }
}
