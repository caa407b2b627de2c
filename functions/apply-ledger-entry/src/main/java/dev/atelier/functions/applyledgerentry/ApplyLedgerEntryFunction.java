package dev.atelier.functions.applyledgerentry;

import com.google.cloud.firestore.Firestore;
import com.google.cloud.functions.CloudEventsFunction;
import dev.atelier.credits.CreditService;
import dev.atelier.platform.Clients;
import dev.atelier.platform.Config;
import dev.atelier.platform.FirestoreEvent;
import dev.atelier.platform.JsonLog;
import dev.atelier.store.DocumentKey;
import dev.atelier.store.DocumentKind;
import dev.atelier.store.FirestorePaths;
import dev.atelier.store.MappingException;
import io.cloudevents.CloudEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Trigger on {@code credits/{uid}/ledger/{entryId}} (written): keeps the balance equal to the SPEC's
 * balance rule for entries written outside posting. The event only says WHICH entry changed; the
 * service re-reads entry and balance in a transaction, so duplicates and reordering apply nothing twice.
 * Throws only for transient failures (so Eventarc retries); bad or stale events are logged and dropped.
 */
public final class ApplyLedgerEntryFunction implements CloudEventsFunction {

  private final CreditService credits;
  private final JsonLog log;
  private final Clock clock;
  private final Duration maxEventAge;

  public ApplyLedgerEntryFunction() {
    this(Config.from(System.getenv()));
  }

  private ApplyLedgerEntryFunction(Config config) {
    this(config, Clients.firestore(config), Clock.systemUTC());
  }

  public ApplyLedgerEntryFunction(Config config, Firestore db, Clock clock) {
    this.credits = new CreditService(db);
    this.log = JsonLog.forFunction(config.functionName());
    this.clock = clock;
    this.maxEventAge = config.maxEventAge();
  }

  @Override
  public void accept(CloudEvent event) {
    JsonLog eventLog = log.with("eventId", event.getId());
    FirestoreEvent decoded;
    try {
      decoded = FirestoreEvent.decode(event);
    } catch (FirestoreEvent.Undecodable e) {
      eventLog.error("dropping undecodable event", e);
      return;
    }
    if (decoded.olderThan(maxEventAge, clock.instant())) {
      eventLog.warn("dropping event older than " + maxEventAge + ": " + decoded.documentPath());
      return;
    }
    Optional<DocumentKey> key = FirestorePaths.parse(decoded.documentPath())
        .filter(k -> k.kind() == DocumentKind.LEDGER_ENTRY);
    if (key.isEmpty()) {
      eventLog.warn("ignoring event for a non-ledger document " + decoded.documentPath());
      return;
    }
    String uid = key.get().id("uid");
    JsonLog entryLog = eventLog.with("uid", uid);
    try {
      CreditService.Applied applied = credits.applyLedgerEntry(uid, key.get().id("entryId"));
      if (!(applied instanceof CreditService.Applied.Unchanged)) {
        entryLog.info(decoded.documentPath() + ": " + applied);
      }
    } catch (MappingException e) {
      // A malformed entry will be just as malformed on retry: leave it to reconciliation.
      entryLog.error("malformed ledger entry " + decoded.documentPath(), e);
    }
  }
}
