package dev.atelier.platform;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON object per line in Cloud Logging's structured format: {@code severity}, {@code message},
 * plus the function, the uid and the request or event id when known. Never logs a stack trace to a
 * client; exceptions go to the log as their class and message only.
 */
public final class JsonLog {

  /** Cloud Logging severities; ALERT is what a log-based alert policy pages on. */
  public enum Severity {
    DEBUG,
    INFO,
    WARNING,
    ERROR,
    ALERT
  }

  private static final Gson GSON =
      new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

  private final String function;
  private final PrintStream out;
  private final Map<String, Object> context;

  private JsonLog(String function, PrintStream out, Map<String, Object> context) {
    this.function = function;
    this.out = out;
    this.context = context;
  }

  public static JsonLog forFunction(String function) {
    return new JsonLog(function, System.out, Map.of());
  }

  /** The same logger with one more field on every line (uid, requestId, eventId…). */
  public JsonLog with(String key, Object value) {
    Map<String, Object> next = new LinkedHashMap<>(context);
    if (value != null) {
      next.put(key, value);
    }
    return new JsonLog(function, out, next);
  }

  public void info(String message) {
    log(Severity.INFO, message, Map.of());
  }

  public void warn(String message) {
    log(Severity.WARNING, message, Map.of());
  }

  public void warn(String message, Throwable cause) {
    log(Severity.WARNING, message, errorField(cause));
  }

  public void error(String message, Throwable cause) {
    log(Severity.ERROR, message, errorField(cause));
  }

  private static Map<String, Object> errorField(Throwable cause) {
    return Map.of("error", cause.getClass().getName() + ": " + cause.getMessage());
  }

  /** A line a person must act on now (a critical alert); the log-based alert policy pages on it. */
  public void alert(String message, Map<String, Object> fields) {
    log(Severity.ALERT, message, fields);
  }

  public void log(Severity severity, String message, Map<String, Object> fields) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("severity", severity.name());
    line.put("message", message);
    line.put("function", function);
    line.putAll(context);
    line.putAll(fields);
    String json = GSON.toJson(line);
    synchronized (out) {
      out.println(json);
    }
  }
}
