package dev.atelier.local.front;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.atelier.local.schedule.Schedules;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FrontRouterTest {

  private final List<String> scheduled = new CopyOnWriteArrayList<>();
  private final HttpServer function;
  private final FrontRouter front;
  private final HttpClient http = HttpClient.newHttpClient();

  FrontRouterTest() throws Exception {
    function = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
    function.createContext(
        "/",
        exchange -> {
          try (exchange) {
            String body =
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            byte[] out =
                (exchange.getRequestMethod()
                        + " "
                        + exchange.getRequestURI()
                        + " "
                        + body
                        + " xff="
                        + exchange.getRequestHeaders().getFirst("X-Forwarded-For")
                        + " auth="
                        + exchange.getRequestHeaders().getFirst("Authorization"))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("X-Function", "yes");
            exchange.sendResponseHeaders(201, out.length);
            exchange.getResponseBody().write(out);
          }
        });
    function.start();
    URI base = URI.create("http://127.0.0.1:" + function.getAddress().getPort() + "/");
    front =
        FrontRouter.start(
            0,
            Map.of("open-session", base),
            name -> {
              scheduled.add(name);
              return name.equals("reconcile")
                  ? Optional.of(new Schedules.Run(200, "{\"checked\":3}"))
                  : Optional.empty();
            });
  }

  @AfterEach
  void stop() {
    front.close();
    function.stop(0);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI front(String path) {
    return URI.create("http://127.0.0.1:" + front.port() + path);
  }

  @Test
  void aFunctionNameRoutesToThatFunctionWithPathQueryBodyAndHeaders() throws Exception {
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(front("/open-session/a/b?x=1"))
                .header("Authorization", "Bearer t")
                .header("X-Forwarded-For", "203.0.113.9")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
    assertEquals(201, r.statusCode());
    assertEquals("POST /a/b?x=1 {} xff=203.0.113.9, 127.0.0.1 auth=Bearer t", r.body());
    assertEquals("yes", r.headers().firstValue("X-Function").orElse(""));
  }

  @Test
  void theBareNameReachesTheFunctionRoot() throws Exception {
    assertEquals(
        "GET /  xff=127.0.0.1 auth=null",
        send(HttpRequest.newBuilder(front("/open-session"))).body());
  }

  @Test
  void anUnknownFunctionIsA404JsonError() throws Exception {
    HttpResponse<String> r = send(HttpRequest.newBuilder(front("/nope")));
    assertEquals(404, r.statusCode());
    assertTrue(r.body().contains("\"code\":\"NOT_FOUND\""), r.body());
  }

  @Test
  void aScheduleRunsOnDemandByPost() throws Exception {
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(front("/_schedules/reconcile:run"))
                .POST(HttpRequest.BodyPublishers.noBody()));
    assertEquals(200, r.statusCode());
    assertEquals(
        "{\"function\":\"reconcile\",\"status\":200,\"response\":{\"checked\":3}}", r.body());
    assertEquals(List.of("reconcile"), scheduled);
    assertEquals(
        404,
        send(HttpRequest.newBuilder(front("/_schedules/nope:run"))
                .POST(HttpRequest.BodyPublishers.noBody()))
            .statusCode());
    assertEquals(
        405, send(HttpRequest.newBuilder(front("/_schedules/reconcile:run"))).statusCode());
  }
}
