package dev.atelier.platform;

import dev.atelier.store.DocumentKey;
import dev.atelier.store.DocumentKind;
import dev.atelier.store.FirestorePaths;
import dev.atelier.store.MappingException;
import io.cloudevents.CloudEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The plumbing every Firestore-triggered function shares (SPEC "Trigger conventions"): decode the
 * event (protobuf as deployed, JSON as the Functions Framework converts emulator events), drop what
 * cannot or should not be handled with a log line, run the handler on the document's key, and turn
 * its failure into the right answer for Eventarc. Throwing means "redeliver", so {@link #accept}
 * throws only {@link TransientFailure}; everything else is logged and acknowledged, because a
 * redelivery of a bad event or a malformed document would fail the same way forever.
 */
public final class FirestoreTrigger {

  /**
   * The function's work for one event: re-read the source document named by {@code key} and project
   * it.
   */
  @FunctionalInterface
  public interface Handler {
    /**
     * @param log carries the function, the event id and the path's ids
     * @return what the handler did, logged at INFO; {@code null} or a {@link NothingChanged} logs
     *     nothing
     * @throws Exception a transient failure (see {@link Transient}) makes Eventarc redeliver; any
     *     other is logged at ERROR and the event is dropped
     */
    Object handle(DocumentKey key, JsonLog log) throws Exception;
  }

  /**
   * Implemented by handler results that mean "the target already matched the source": the common
   * case under at-least-once delivery, so not worth a log line.
   */
  public interface NothingChanged {}

  /**
   * Thrown for a transient failure so that the invocation fails and Eventarc redelivers the event.
   */
  public static final class TransientFailure extends RuntimeException {
    public TransientFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * What became of one event (it was logged accordingly); a transient failure is thrown instead.
   */
  public sealed interface Outcome {
    /** The handler ran; {@code result} is what it returned. */
    record Handled(DocumentKey key, Object result) implements Outcome {}

    /** The payload is not a DocumentEventData or names no document. */
    record Undecodable(String reason) implements Outcome {}

    /** Older than the maximum event age. */
    record TooOld(String documentPath, Instant time) implements Outcome {}

    /**
     * The document is not of the trigger's kind (a misconfigured trigger, or a path we do not
     * store).
     */
    record OtherDocument(String documentPath) implements Outcome {}

    /** The handler failed in a way a retry cannot fix (a malformed document, a bug). */
    record Failed(DocumentKey key, Exception error) implements Outcome {}

    /**
     * Not a Firestore document event from Eventarc (another type or source), or — on the local
     * stack — one that does not carry the stack's delivery token: someone else posted it.
     */
    record Refused(String reason) implements Outcome {}
  }

  /**
   * The CloudEvent extension the local stack's delivery signs its events with (see {@link
   * #FirestoreTrigger(DocumentKind, Duration, Clock, JsonLog, Optional)}).
   */
  public static final String DELIVERY_TOKEN_EXTENSION = "atelierdelivery";

  private static final String EVENT_TYPE_PREFIX = "google.cloud.firestore.document.v1.";
  private static final String EVENT_SOURCE_PREFIX = "//firestore.googleapis.com/";

  private final DocumentKind kind;
  private final Duration maxEventAge;
  private final Clock clock;
  private final JsonLog log;
  private final Optional<String> deliveryToken;

  public FirestoreTrigger(DocumentKind kind, Duration maxEventAge, Clock clock, JsonLog log) {
    this(kind, maxEventAge, clock, log, Optional.empty());
  }

  /**
   * @param deliveryToken when present (the local stack sets it), only events carrying it in the
   *     {@value #DELIVERY_TOKEN_EXTENSION} extension are handled: locally the function's port is
   *     open to anything on the machine, where in production IAM lets only Eventarc invoke it
   */
  public FirestoreTrigger(
      DocumentKind kind,
      Duration maxEventAge,
      Clock clock,
      JsonLog log,
      Optional<String> deliveryToken) {
    this.kind = kind;
    this.maxEventAge = maxEventAge;
    this.clock = clock;
    this.log = log;
    this.deliveryToken = deliveryToken;
  }

  /**
   * Decodes, filters and runs {@code handler} for one event.
   *
   * @throws TransientFailure when the handler failed transiently (or was interrupted): Eventarc
   *     retries
   */
  public Outcome accept(CloudEvent event, Handler handler) {
    JsonLog eventLog = log.with("eventId", event.getId());
    String type = String.valueOf(event.getType());
    String source = String.valueOf(event.getSource());
    if (!type.startsWith(EVENT_TYPE_PREFIX) || !source.startsWith(EVENT_SOURCE_PREFIX)) {
      eventLog.warn(
          "refusing an event that is not a Firestore document event: type "
              + type
              + ", source "
              + source);
      return new Outcome.Refused("not a Firestore document event");
    }
    if (deliveryToken.isPresent()
        && !deliveryToken
            .get()
            .equals(String.valueOf(event.getExtension(DELIVERY_TOKEN_EXTENSION)))) {
      eventLog.warn("refusing an event without the local stack's delivery token");
      return new Outcome.Refused("no delivery token");
    }
    FirestoreEvent decoded;
    try {
      decoded = FirestoreEvent.decode(event);
    } catch (FirestoreEvent.Undecodable e) {
      eventLog.error("dropping undecodable event", e);
      return new Outcome.Undecodable(e.getMessage());
    }
    String path = decoded.documentPath();
    if (decoded.olderThan(maxEventAge, clock.instant())) {
      eventLog.warn("dropping event older than " + maxEventAge + ": " + path);
      return new Outcome.TooOld(path, decoded.time().orElseThrow());
    }
    Optional<DocumentKey> parsed = FirestorePaths.parse(path).filter(k -> k.kind() == kind);
    if (parsed.isEmpty()) {
      eventLog.warn("ignoring event for a document that is not " + kind.template() + ": " + path);
      return new Outcome.OtherDocument(path);
    }
    DocumentKey key = parsed.get();
    JsonLog keyLog = eventLog;
    for (String variable : kind.variables()) {
      keyLog = keyLog.with(variable, key.id(variable));
    }
    return run(key, handler, keyLog);
  }

  private Outcome run(DocumentKey key, Handler handler, JsonLog keyLog) {
    Object result;
    try {
      result = handler.handle(key, keyLog);
    } catch (Exception e) {
      if (interrupted(e)) {
        Thread.currentThread().interrupt();
        keyLog.warn("interrupted, Eventarc will redeliver " + key.path(), e);
        throw new TransientFailure("interrupted while handling " + key.path(), e);
      }
      if (Transient.is(e)) {
        keyLog.warn("transient failure, Eventarc will redeliver " + key.path(), e);
        throw new TransientFailure("transient failure handling " + key.path(), e);
      }
      // A retry would meet the same document or the same bug: acknowledge, and leave it to
      // reconciliation.
      String what =
          e instanceof MappingException ? "malformed document " : "failed permanently on ";
      keyLog.error("dropping event, " + what + key.path(), e);
      return new Outcome.Failed(key, e);
    }
    if (result != null && !(result instanceof NothingChanged)) {
      keyLog.info(key.path() + ": " + result);
    }
    return new Outcome.Handled(key, result);
  }

  /** Interrupts often arrive wrapped (e.g. by a transaction helper), so look down the causes. */
  private static boolean interrupted(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof InterruptedException) {
        return true;
      }
    }
    return false;
  }
}
