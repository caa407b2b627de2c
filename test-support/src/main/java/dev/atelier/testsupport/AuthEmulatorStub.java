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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * A stand-in for the Firebase Auth emulator's {@code accounts:lookup} endpoint on 127.0.0.1: in
 * emulator mode firebase-admin looks every verified token's user up there (revocation check). Every
 * uid exists and is enabled unless {@link #disable(String)}d. One per JVM, like firebase-admin's
 * process-wide emulator setting.
 */
public final class AuthEmulatorStub {

  private static AuthEmulatorStub shared;

  private final HttpServer server;
  private final Set<String> disabled = ConcurrentHashMap.newKeySet();

  private AuthEmulatorStub(HttpServer server) {
    this.server = server;
  }

  public static synchronized AuthEmulatorStub shared() {
    if (shared == null) {
      try {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        server.setExecutor(Executors.newFixedThreadPool(16, r -> {
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
          user.addProperty("validSince", "0");
          users.add(user);
        }
      }
      answer.addProperty("kind", "identitytoolkit#GetAccountInfoResponse");
      answer.add("users", users);
    }
    byte[] out = answer.toString().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, out.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(out);
    }
  }
}
