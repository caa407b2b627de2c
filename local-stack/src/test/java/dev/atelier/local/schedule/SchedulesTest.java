package dev.atelier.local.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import dev.atelier.local.manifest.FunctionSpec;
import dev.atelier.local.manifest.Trigger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class SchedulesTest {

  @Test
  void aJobFiresOnItsCronWithTheScheduleTime() throws Exception {
    java.util.concurrent.BlockingQueue<String> times =
        new java.util.concurrent.LinkedBlockingQueue<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            times.add(exchange.getRequestHeaders().getFirst("X-CloudScheduler-ScheduleTime"));
            exchange.sendResponseHeaders(200, -1);
          }
        });
    server.start();
    URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    // A clock standing 100 ms before 12:05 in Kolkata: the */5 job is due then.
    Clock clock =
        Clock.fixed(java.time.Instant.parse("2026-11-22T06:34:59.900Z"), java.time.ZoneOffset.UTC);
    FunctionSpec job =
        new FunctionSpec(
            "health",
            "x.H",
            new Trigger.Schedule("*/5 * * * *", "Asia/Kolkata"),
            256,
            60,
            0,
            1,
            Map.of(),
            false);
    try (Schedules schedules = new Schedules(List.of(job), name -> url, clock, line -> {})) {
      schedules.start();
      assertEquals("2026-11-22T06:35:00Z", times.poll(5, java.util.concurrent.TimeUnit.SECONDS));
    } finally {
      server.stop(0);
    }
  }

  @Test
  void runNowPostsWhatCloudSchedulerSends() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            seen.add(
                exchange.getRequestMethod()
                    + " "
                    + exchange.getRequestHeaders().getFirst("User-Agent")
                    + " "
                    + exchange.getRequestHeaders().getFirst("X-CloudScheduler")
                    + " "
                    + exchange.getRequestHeaders().getFirst("X-CloudScheduler-JobName"));
            exchange.sendResponseHeaders(200, -1);
          }
        });
    server.start();
    URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    FunctionSpec job =
        new FunctionSpec(
            "reconcile",
            "x.R",
            new Trigger.Schedule("0 3 * * *", "Etc/UTC"),
            256,
            60,
            0,
            1,
            Map.of(),
            false);
    FunctionSpec http =
        new FunctionSpec("open-session", "x.O", new Trigger.Http(), 256, 60, 0, 1, Map.of(), false);
    try (Schedules schedules =
        new Schedules(List.of(job, http), name -> url, Clock.systemUTC(), line -> {})) {
      assertEquals(Optional.of(new Schedules.Run(200, "")), schedules.runNow("reconcile"));
      assertEquals(Optional.empty(), schedules.runNow("open-session"));
    } finally {
      server.stop(0);
    }
    assertEquals(List.of("POST Google-Cloud-Scheduler true reconcile"), seen);
  }
}
