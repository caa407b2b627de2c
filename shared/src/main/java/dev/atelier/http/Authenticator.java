package dev.atelier.http;

import com.google.firebase.FirebaseApp;
import com.google.firebase.auth.FirebaseAuth;
import com.google.firebase.auth.FirebaseAuthException;
import com.google.firebase.auth.FirebaseToken;
import dev.atelier.platform.AuthUser;
import dev.atelier.platform.InstanceStart;
import dev.atelier.store.Ids;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Turns the {@code Authorization: Bearer <ID token>} header into an {@link AuthUser} or a 401. */
public final class Authenticator {

  private final CompletableFuture<FirebaseAuth> auth;

  public Authenticator(FirebaseApp app) {
    this(CompletableFuture.completedFuture(FirebaseAuth.getInstance(app)));
  }

  /** Over Firebase Auth still being built ({@link InstanceStart#auth}): calls wait for it. */
  public Authenticator(CompletableFuture<FirebaseAuth> auth) {
    this.auth = auth;
  }

  /** Ends every session of {@code uid}: ID tokens issued before now fail the revocation check. */
  public void revokeRefreshTokens(String uid) {
    try {
      InstanceStart.join(auth).revokeRefreshTokens(uid);
    } catch (FirebaseAuthException e) {
      throw new IllegalStateException(
          "could not revoke the tokens of " + uid + ": " + e.getMessage(), e);
    }
  }

  public AuthUser authenticate(Optional<String> authorization) {
    return authenticate(authorization, false);
  }

  /**
   * @param checkRevoked also refuse tokens revoked since they were issued (one Auth lookup more:
   *     the admin function pays it, user functions rely on the account status instead)
   */
  public AuthUser authenticate(Optional<String> authorization, boolean checkRevoked) {
    String header =
        authorization.orElseThrow(() -> unauthenticated("missing Authorization header"));
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
      throw unauthenticated("Authorization must be 'Bearer <Firebase ID token>'");
    }
    FirebaseToken token;
    try {
      token = InstanceStart.join(auth).verifyIdToken(header.substring(7).trim(), checkRevoked);
    } catch (FirebaseAuthException | IllegalArgumentException e) {
      throw unauthenticated("ID token is invalid, expired or revoked");
    }
    if (!Ids.isValid(token.getUid())) {
      // A uid we could not use as a document id (custom tokens allow any string): refuse it up
      // front.
      throw unauthenticated("the token's uid is not supported");
    }
    Map<String, Object> claims = token.getClaims();
    return new AuthUser(
        token.getUid(),
        Optional.ofNullable(token.getEmail()),
        token.isEmailVerified(),
        Optional.ofNullable(token.getName()),
        Optional.ofNullable(token.getPicture()),
        signInProvider(claims),
        Boolean.TRUE.equals(claims.get("admin")));
  }

  private static String signInProvider(Map<String, Object> claims) {
    if (claims.get("firebase") instanceof Map<?, ?> firebase
        && firebase.get("sign_in_provider") instanceof String p) {
      return p;
    }
    return "unknown";
  }

  private static ApiException unauthenticated(String message) {
    return new ApiException(ErrorCode.UNAUTHENTICATED, message);
  }
}
