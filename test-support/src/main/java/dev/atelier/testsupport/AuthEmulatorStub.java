package dev.atelier.testsupport;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * A stand-in for the Firebase Auth emulator's {@code accounts:lookup} and {@code accounts:update}
 * endpoints on 127.0.0.1: in emulator mode firebase-admin looks every verified token's user up
 * there (and checks revocation against its {@code validSince}); revoking refresh tokens updates
 * {@code validSince}. Every uid exists and is enabled unless {@link #disable(String)}d. One per
 * JVM, like firebase-admin's process-wide emulator setting.
 */
public final class AuthEmulatorStub {

  private static AuthEmulatorStub shared;

  private final HttpServer server;
  private final Set<String> disabled = ConcurrentHashMap.newKeySet();
  private final Map<String, Long> validSince = new ConcurrentHashMap<>();

  private AuthEmulatorStub(HttpServer server) {
    this.server = server;
  }

  public static synchronized AuthEmulatorStub shared() {
    if (shared == null) {
      try {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        server.setExecutor(
            Executors.newFixedThreadPool(
                16,
                r -> {
                  Thread t = new Thread(r, "auth-emulator-stub");
                  t.setDaemon(true);
                  return t;
                }));
        shared = new AuthEmulatorStub(server);
        server.createContext("/", shared::handle);
        server.start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return shared;
  }

  /** {@code 127.0.0.1:port}, the value of FIREBASE_AUTH_EMULATOR_HOST. */
  public String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  public void disable(String uid) {
    disabled.add(uid);
  }

  /**
   * Revokes {@code uid}'s tokens as of {@code epochSeconds} (tokens authenticated earlier fail
   * checkRevoked).
   */
  public void revoke(String uid, long epochSeconds) {
    validSince.put(uid, epochSeconds);
  }

  /** When {@code uid}'s tokens were last revoked (epoch seconds; 0 when never). */
  public long validSince(String uid) {
    return validSince.getOrDefault(uid, 0L);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    JsonObject answer = new JsonObject();
    int status = 404;
    if (exchange.getRequestURI().getPath().endsWith("/accounts:lookup")) {
      status = 200;
      JsonObject request = new Gson().fromJson(body, JsonObject.class);
      JsonArray users = new JsonArray();
      if (request != null && request.has("localId")) {
        for (var id : request.getAsJsonArray("localId")) {
          JsonObject user = new JsonObject();
          user.addProperty("localId", id.getAsString());
          user.addProperty("disabled", disabled.contains(id.getAsString()));
          user.addProperty("validSince", Long.toString(validSince(id.getAsString())));
          users.add(user);
        }
      }
      answer.addProperty("kind", "identitytoolkit#GetAccountInfoResponse");
      answer.add("users", users);
    } else if (exchange.getRequestURI().getPath().endsWith("/accounts:update")) {
      JsonObject request = new Gson().fromJson(body, JsonObject.class);
      if (request != null && request.has("localId")) {
        status = 200;
        String uid = request.get("localId").getAsString();
        if (request.has("validSince")) {
          validSince.put(uid, Long.parseLong(request.get("validSince").getAsString()));
        }
        answer.addProperty("kind", "identitytoolkit#SetAccountInfoResponse");
        answer.addProperty("localId", uid);
      }
    }
    byte[] out = answer.toString().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, out.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(out);
    }
  }
}
