package dev.atelier.functions.applyledgerentry;

import com.google.cloud.functions.CloudEventsFunction;
import dev.atelier.credits.CreditService;
import dev.atelier.firestore.Database;
import dev.atelier.platform.Config;
import dev.atelier.platform.FirestoreTrigger;
import dev.atelier.platform.InstanceStart;
import dev.atelier.platform.JsonLog;
import dev.atelier.store.DocumentKind;
import io.cloudevents.CloudEvent;
import java.time.Clock;

/**
 * Trigger on {@code credits/{uid}/ledger/{entryId}} (written): keeps the balance equal to the
 * SPEC's balance rule for entries written outside posting. The event only says WHICH entry changed;
 * the service re-reads entry and balance in a transaction, so duplicates and reordering apply
 * nothing twice. {@link FirestoreTrigger} does the rest: it throws only for transient failures (so
 * Eventarc retries), and logs and drops bad, stale or foreign events and malformed entries.
 */
public final class ApplyLedgerEntryFunction implements CloudEventsFunction {

  private final CreditService credits;
  private final FirestoreTrigger trigger;

  public ApplyLedgerEntryFunction() {
    this(Config.from(System.getenv()));
  }

  private ApplyLedgerEntryFunction(Config config) {
    this(config, InstanceStart.firestore(config), Clock.systemUTC());
  }

  public ApplyLedgerEntryFunction(Config config, Database db, Clock clock) {
    this.credits = new CreditService(db, clock);
    this.trigger =
        new FirestoreTrigger(
            DocumentKind.LEDGER_ENTRY,
            config.maxEventAge(),
            clock,
            JsonLog.forFunction(config.functionName()),
            config.deliveryToken());
  }

  @Override
  public void accept(CloudEvent event) {
    trigger.accept(event, (key, log) -> credits.applyLedgerEntry(key.id("uid"), key.id("entryId")));
  }
}
