package dev.atelier.router;

import dev.atelier.firestore.Database;
import dev.atelier.firestore.FirestoreError;
import dev.atelier.firestore.Transaction;
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

  private final Database db;
  private final Clock clock;
  private final JsonLog log;

  public Alerts(Database db, Clock clock, JsonLog log) {
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
    RouterAlert alert = draft(type, severity, provider, message, details, dedupeKey);
    try {
      db.create(FirestorePaths.routerAlert(alert.id()), Documents.encode(alert));
    } catch (RuntimeException e) {
      if (isAlreadyExists(e)) {
        return false;
      }
      throw e;
    }
    announce(alert);
    return true;
  }

  /**
   * The alert of {@code type} for {@code dedupeKey}, not stored yet (created now, unacknowledged).
   */
  public RouterAlert draft(
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

  /**
   * Raises {@code alert} as part of {@code tx}, so the alert exists exactly when the state change
   * it reports commits: reads its document and creates it unless it exists. Firestore wants a
   * transaction's reads before its writes, so call this before the transaction writes anything.
   * After the commit, {@link #announce} each alert staged by the attempt that committed.
   *
   * @return true when staged, false when the alert existed already
   */
  public boolean stage(Transaction tx, RouterAlert alert) {
    String ref = FirestorePaths.routerAlert(alert.id());
    if (tx.get(ref).exists()) {
      return false;
    }
    tx.create(ref, Documents.encode(alert));
    return true;
  }

  /**
   * The log line of a raised alert: severity ALERT for a critical one (the log-based alert policy
   * pages on it), WARNING or INFO otherwise.
   */
  public void announce(RouterAlert alert) {
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
      if (c instanceof FirestoreError f && f.code() == io.grpc.Status.Code.ALREADY_EXISTS) {
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
