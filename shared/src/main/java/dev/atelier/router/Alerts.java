package dev.atelier.router;

import com.google.api.gax.rpc.AlreadyExistsException;
import com.google.cloud.firestore.Firestore;
import dev.atelier.platform.Futures;
import dev.atelier.platform.JsonLog;
import dev.atelier.store.Documents;
import dev.atelier.store.FirestorePaths;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Raises router and maintenance alerts ({@code model_router_alerts}) exactly once per finding: the
 * alert's id is derived from its type and a dedupe key (e.g. provider + transition time, uid +
 * day), and it is created only if absent, so a retried or concurrent run raises nothing twice. A
 * CRITICAL alert is also logged at severity ALERT, which the log-based alert policy pages on.
 */
public final class Alerts {

  private final Firestore db;
  private final Clock clock;
  private final JsonLog log;

  public Alerts(Firestore db, Clock clock, JsonLog log) {
    this.db = db;
    this.clock = clock;
    this.log = log;
  }

  /** The id of the alert of {@code type} for {@code dedupeKey}. */
  public static String id(AlertType type, String dedupeKey) {
    return type.wire() + "_" + sha256(dedupeKey).substring(0, 24);
  }

  /**
   * @return true when this call raised it, false when it existed already
   */
  public boolean raise(
      AlertType type,
      AlertSeverity severity,
      String provider,
      String message,
      Map<String, Object> details,
      String dedupeKey) {
    RouterAlert alert = alert(type, severity, provider, message, details, dedupeKey);
    try {
      Futures.await(
          db.document(FirestorePaths.routerAlert(alert.id())).create(Documents.encode(alert)));
    } catch (AlreadyExistsException e) {
      return false;
    } catch (RuntimeException e) {
      if (isAlreadyExists(e)) {
        return false;
      }
      throw e;
    }
    logRaised(alert);
    return true;
  }

  /**
   * The alert {@link #raise} would create, for a caller that creates it inside its own transaction
   * (together with the repair it reports, after reading that {@code
   * model_router_alerts/{alert.id()}} is absent); after the commit it calls {@link #logRaised}.
   */
  public RouterAlert alert(
      AlertType type,
      AlertSeverity severity,
      String provider,
      String message,
      Map<String, Object> details,
      String dedupeKey) {
    return new RouterAlert(
        id(type, dedupeKey),
        type,
        severity,
        provider,
        message,
        details,
        false,
        clock.instant(),
        null,
        null,
        null);
  }

  /** The log line of a raised alert: severity ALERT for a critical one (it pages). */
  public void logRaised(RouterAlert alert) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("alertId", alert.id());
    fields.put("alertType", alert.type().wire());
    fields.put("details", alert.details());
    if (alert.provider() != null) {
      fields.put("provider", alert.provider());
    }
    if (alert.severity() == AlertSeverity.CRITICAL) {
      log.alert(alert.message(), fields);
    } else {
      log.log(
          alert.severity() == AlertSeverity.WARNING
              ? JsonLog.Severity.WARNING
              : JsonLog.Severity.INFO,
          alert.message(),
          fields);
    }
  }

  private static boolean isAlreadyExists(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof com.google.cloud.firestore.FirestoreException f
          && f.getStatus() != null
          && f.getStatus().getCode() == io.grpc.Status.Code.ALREADY_EXISTS) {
        return true;
      }
      if (c instanceof io.grpc.StatusRuntimeException s
          && s.getStatus().getCode() == io.grpc.Status.Code.ALREADY_EXISTS) {
        return true;
      }
    }
    return false;
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
