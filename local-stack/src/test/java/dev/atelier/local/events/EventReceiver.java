package dev.atelier.local.events;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in function on 127.0.0.1 that records every POST and answers with scripted statuses (then
 * 204).
 */
final class EventReceiver implements AutoCloseable {

  record Received(String path, Map<String, List<String>> headers, byte[] body) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  private final HttpServer server;
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();

  EventReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            received.add(
                new Received(
                    exchange.getRequestURI().getPath(),
                    Map.copyOf(exchange.getRequestHeaders()),
                    exchange.getRequestBody().readAllBytes()));
            Integer status = statuses.poll();
            exchange.sendResponseHeaders(status == null ? 204 : status, -1);
          }
        });
    server.start();
  }

  URI url(String function) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + function);
  }

  void answerNext(int... codes) {
    for (int code : codes) {
      statuses.add(code);
    }
  }

  List<Received> await(int count, Duration timeout) throws InterruptedException {
    List<Received> out = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (out.size() < count) {
      Received r = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (r == null) {
        throw new AssertionError(
            "expected " + count + " deliveries, got " + out.size() + ": " + out);
      }
      out.add(r);
    }
    return out;
  }

  /** Waits a little and returns whatever else arrived (to prove that nothing did). */
  List<Received> quietFor(Duration wait) throws InterruptedException {
    Thread.sleep(wait.toMillis());
    List<Received> out = new ArrayList<>();
    received.drainTo(out);
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
