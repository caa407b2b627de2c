package dev.atelier.local.schedule;

import dev.atelier.local.manifest.FunctionSpec;
import dev.atelier.local.manifest.Trigger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Invokes every scheduled manifest function on its cron (in its time zone) and on demand, with the
 * request Cloud Scheduler's HTTP target sends: a POST with its User-Agent and X-CloudScheduler
 * headers.
 */
public final class Schedules implements AutoCloseable {

  private final List<FunctionSpec> scheduled;
  private final Function<String, URI> endpoints;
  private final Clock clock;
  private final Consumer<String> log;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "schedules");
            thread.setDaemon(true);
            return thread;
          });

  public Schedules(
      List<FunctionSpec> functions,
      Function<String, URI> endpoints,
      Clock clock,
      Consumer<String> log) {
    this.scheduled =
        functions.stream().filter(f -> f.trigger() instanceof Trigger.Schedule).toList();
    this.endpoints = endpoints;
    this.clock = clock;
    this.log = log;
  }

  /** One run's answer: the function's status and body (its JSON summary). */
  public record Run(int status, String body) {}

  public List<String> names() {
    return scheduled.stream().map(FunctionSpec::name).toList();
  }

  /** Arms every job for its next cron time; each run re-arms the next. */
  public void start() {
    scheduled.forEach(this::armNext);
  }

  /** Runs the named job now; empty when no scheduled function has that name. */
  public Optional<Run> runNow(String name) {
    return scheduled.stream()
        .filter(f -> f.name().equals(name))
        .findFirst()
        .map(f -> invoke(f, ZonedDateTime.now(clock)));
  }

  private void armNext(FunctionSpec function) {
    Trigger.Schedule schedule = (Trigger.Schedule) function.trigger();
    ZonedDateTime now = ZonedDateTime.now(clock.withZone(ZoneId.of(schedule.timeZone())));
    ZonedDateTime next = CronExpression.parse(schedule.cron()).next(now);
    long delay = Math.max(0, Duration.between(now, next).toMillis());
    if (!executor.isShutdown()) {
      executor.schedule(
          () -> {
            invoke(function, next);
            armNext(function);
          },
          delay,
          TimeUnit.MILLISECONDS);
    }
  }

  private Run invoke(FunctionSpec function, ZonedDateTime scheduleTime) {
    HttpRequest request =
        HttpRequest.newBuilder(endpoints.apply(function.name()))
            .timeout(Duration.ofSeconds(function.timeoutSeconds()))
            .header("User-Agent", "Google-Cloud-Scheduler")
            .header("X-CloudScheduler", "true")
            .header("X-CloudScheduler-JobName", function.name())
            .header(
                "X-CloudScheduler-ScheduleTime",
                DateTimeFormatter.ISO_INSTANT.format(scheduleTime.toInstant()))
            .header("Content-Type", "application/octet-stream")
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      log.accept(
          "[schedule] " + function.name() + " -> " + response.statusCode() + " " + response.body());
      return new Run(response.statusCode(), response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Run(503, "");
    } catch (Exception e) {
      log.accept("[schedule] " + function.name() + " -> " + e);
      return new Run(502, "");
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
