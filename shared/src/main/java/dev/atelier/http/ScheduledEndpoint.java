package dev.atelier.http;

import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import com.google.gson.JsonParser;
import dev.atelier.platform.Json;
import dev.atelier.platform.JsonLog;
import dev.atelier.platform.Transient;
import java.io.IOException;
import java.io.Writer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The pipeline of the scheduled functions: Cloud Scheduler POSTs (with an OIDC token that Cloud
 * Run's IAM checks before the request arrives; locally a plain POST), the job runs until its
 * deadline (the run budget), and its summary of counts is both the JSON answer and one INFO log
 * line. A transient failure answers 503 so Scheduler retries; anything else 500, logged, never with
 * a stack trace.
 */
public final class ScheduledEndpoint {

  /** One run of a job; returns its summary (a record of counts). */
  @FunctionalInterface
  public interface Job {
    Object run(Instant deadline, JsonLog log) throws Exception;
  }

  private final JsonLog log;
  private final Clock clock;
  private final Duration budget;

  public ScheduledEndpoint(JsonLog log, Clock clock, Duration budget) {
    this.log = log;
    this.clock = clock;
    this.budget = budget;
  }

  public void serve(HttpRequest request, HttpResponse response, Job job) throws IOException {
    if (!"POST".equals(request.getMethod())) {
      response.appendHeader("Allow", "POST");
      write(
          response,
          405,
          new ApiError(ErrorCode.METHOD_NOT_ALLOWED, "only POST is allowed", Map.of()).toJson());
      return;
    }
    String runId =
        request
            .getFirstHeader("Function-Execution-Id")
            .orElseGet(() -> UUID.randomUUID().toString());
    JsonLog runLog =
        log.with("runId", runId)
            .with(
                "scheduleTime",
                request.getFirstHeader("X-CloudScheduler-ScheduleTime").orElse(null));
    Instant started = clock.instant();
    try {
      Object summary = job.run(started.plus(budget), runLog);
      String json = Json.GSON.toJson(summary);
      runLog.log(
          JsonLog.Severity.INFO,
          "run finished",
          Map.of(
              "summary",
              // As a JSON tree, so the counts stay integers on the log line (not 3.0).
              JsonParser.parseString(json),
              "elapsedMs",
              Duration.between(started, clock.instant()).toMillis()));
      write(response, 200, json);
    } catch (Exception e) {
      if (Transient.is(e)) {
        runLog.error("transient failure, Cloud Scheduler will retry", e);
        response.appendHeader("Retry-After", "30");
        write(
            response,
            503,
            new ApiError(ErrorCode.UNAVAILABLE, "temporarily unavailable", Map.of()).toJson());
      } else {
        runLog.error("run failed", e);
        write(response, 500, new ApiError(ErrorCode.INTERNAL, "internal error", Map.of()).toJson());
      }
    }
  }

  private static void write(HttpResponse response, int status, String json) throws IOException {
    response.setStatusCode(status);
    response.setContentType("application/json; charset=utf-8");
    Writer writer = response.getWriter();
    writer.write(json);
    writer.flush();
  }
}
