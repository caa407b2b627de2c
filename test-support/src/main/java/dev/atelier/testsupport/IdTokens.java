package dev.atelier.testsupport;

import com.google.gson.Gson;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Mints ID tokens in the Firebase Auth emulator's format: unsigned ({@code alg: none}), issuer
 * {@code https://securetoken.google.com/<project>}, audience {@code <project>}, with
 * iat/exp/auth_time, sub/user_id, {@code firebase.sign_in_provider} and any custom claims. Also the
 * bad variants tests need.
 */
public final class IdTokens {

  private static final Gson GSON = new Gson();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final String projectId;
  private final Clock clock;

  public IdTokens(String projectId, Clock clock) {
    this.projectId = projectId;
    this.clock = clock;
  }

  public IdTokens(String projectId) {
    this(projectId, Clock.systemUTC());
  }

  /** Who the token is for: uid, email, provider and custom claims. */
  public record Identity(
      String uid,
      String email,
      boolean emailVerified,
      String name,
      String picture,
      String provider,
      Map<String, Object> claims) {
    public static Identity of(String uid) {
      return new Identity(
          uid, uid + "@example.test", true, "User " + uid, null, "google.com", Map.of());
    }

    public Identity withClaim(String key, Object value) {
      Map<String, Object> next = new LinkedHashMap<>(claims);
      next.put(key, value);
      return new Identity(uid, email, emailVerified, name, picture, provider, next);
    }

    public Identity withEmail(String newEmail) {
      return new Identity(uid, newEmail, emailVerified, name, picture, provider, claims);
    }

    public Identity withProvider(String newProvider) {
      return new Identity(uid, email, emailVerified, name, picture, newProvider, claims);
    }
  }

  /** A valid token for a plain user. */
  public String forUser(String uid) {
    return mint(Identity.of(uid), projectId, Duration.ofHours(1));
  }

  /** A valid token carrying {@code admin: true}. */
  public String forAdmin(String uid) {
    return mint(Identity.of(uid).withClaim("admin", true), projectId, Duration.ofHours(1));
  }

  public String valid(Identity identity) {
    return mint(identity, projectId, Duration.ofHours(1));
  }

  /** Issued two hours ago, expired one hour ago. */
  public String expired(String uid) {
    long now = clock.instant().getEpochSecond();
    return encode(payload(Identity.of(uid), projectId, now - 7200, now - 3600));
  }

  /** Minted for another project. */
  public String wrongAudience(String uid) {
    return mint(Identity.of(uid), projectId + "-other", Duration.ofHours(1));
  }

  /** Not a JWT at all. */
  public static String garbage() {
    return "not-a-token.%%%.garbage";
  }

  private String mint(Identity identity, String audience, Duration ttl) {
    long now = clock.instant().getEpochSecond();
    return encode(payload(identity, audience, now, now + ttl.toSeconds()));
  }

  private Map<String, Object> payload(Identity identity, String audience, long iat, long exp) {
    Map<String, Object> claims = new LinkedHashMap<>();
    if (identity.name() != null) claims.put("name", identity.name());
    if (identity.picture() != null) claims.put("picture", identity.picture());
    claims.putAll(identity.claims());
    claims.put("iss", "https://securetoken.google.com/" + audience);
    claims.put("aud", audience);
    claims.put("auth_time", iat);
    claims.put("user_id", identity.uid());
    claims.put("sub", identity.uid());
    claims.put("iat", iat);
    claims.put("exp", exp);
    if (identity.email() != null) {
      claims.put("email", identity.email());
      claims.put("email_verified", identity.emailVerified());
    }
    Map<String, Object> firebase = new LinkedHashMap<>();
    firebase.put(
        "identities",
        identity.email() == null ? Map.of() : Map.of("email", new String[] {identity.email()}));
    firebase.put("sign_in_provider", identity.provider());
    claims.put("firebase", firebase);
    return claims;
  }

  private static String encode(Map<String, Object> payload) {
    String header = "{\"alg\":\"none\",\"typ\":\"JWT\"}";
    return B64.encodeToString(header.getBytes(StandardCharsets.UTF_8))
        + "."
        + B64.encodeToString(GSON.toJson(payload).getBytes(StandardCharsets.UTF_8))
        + ".";
  }
}
