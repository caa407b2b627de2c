package dev.atelier.local.auth;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/**
 * The Identity Toolkit REST calls a client app (and an operator) make, against the Auth emulator.
 */
public final class AuthEmulatorClient {

  /** A signed-in account: its uid and a fresh ID token. */
  public record Account(String uid, String idToken) {}

  private static final Gson GSON = new Gson();

  private final String base;
  private final String projectId;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /**
   * @param hostAndPort e.g. {@code 127.0.0.1:9099}
   */
  public AuthEmulatorClient(String hostAndPort, String projectId) {
    this.base = "http://" + hostAndPort;
    this.projectId = projectId;
  }

  /** Polls until the emulator answers 200 on its root. */
  public void awaitReady(Duration timeout, Runnable checkAlive) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    HttpRequest probe =
        HttpRequest.newBuilder(URI.create(base + "/")).timeout(Duration.ofSeconds(2)).build();
    while (Instant.now().isBefore(deadline)) {
      checkAlive.run();
      try {
        if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // starting
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("auth emulator not ready within " + timeout);
  }

  public Account signUp(String email, String password) throws IOException, InterruptedException {
    return account(
        post(
            "/identitytoolkit.googleapis.com/v1/accounts:signUp?key=local",
            credentials(email, password),
            false));
  }

  public Account signIn(String email, String password) throws IOException, InterruptedException {
    return account(
        post(
            "/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=local",
            credentials(email, password),
            false));
  }

  /**
   * Sets custom claims (as the Admin SDK's setCustomUserClaims does); they appear in the next
   * token.
   */
  public void setCustomClaims(String uid, JsonObject claims)
      throws IOException, InterruptedException {
    JsonObject body = new JsonObject();
    body.addProperty("localId", uid);
    body.addProperty("customAttributes", claims.toString());
    post(
        "/identitytoolkit.googleapis.com/v1/projects/" + projectId + "/accounts:update",
        body,
        true);
  }

  /**
   * Signs up (or, on a second call, signs in) an account with the given claims and returns a token
   * carrying them.
   */
  public Account accountWithClaims(String email, String password, JsonObject claims)
      throws IOException, InterruptedException {
    Account account;
    try {
      account = signUp(email, password);
    } catch (IllegalStateException exists) {
      account = signIn(email, password);
    }
    if (claims.size() == 0) {
      return account;
    }
    setCustomClaims(account.uid(), claims);
    return signIn(email, password);
  }

  private static JsonObject credentials(String email, String password) {
    JsonObject body = new JsonObject();
    body.addProperty("email", email);
    body.addProperty("password", password);
    body.addProperty("returnSecureToken", true);
    return body;
  }

  private static Account account(JsonObject response) {
    return new Account(
        response.get("localId").getAsString(), response.get("idToken").getAsString());
  }

  private JsonObject post(String path, JsonObject body, boolean asOwner)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (asOwner) {
      request.header("Authorization", "Bearer owner");
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "auth emulator " + path + " -> " + response.statusCode() + " " + response.body());
    }
    return GSON.fromJson(response.body(), JsonObject.class);
  }
}
