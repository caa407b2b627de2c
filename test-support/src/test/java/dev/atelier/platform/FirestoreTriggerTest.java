package dev.atelier.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.events.cloud.firestore.v1.Document;
import com.google.events.cloud.firestore.v1.DocumentEventData;
import com.google.events.cloud.firestore.v1.Value;
import dev.atelier.credits.CreditService;
import dev.atelier.emulator.junit.EmulatorHandle;
import dev.atelier.emulator.junit.FirestoreEmulatorExtension;
import dev.atelier.firestore.Database;
import dev.atelier.firestore.Snapshot;
import dev.atelier.store.DocumentKey;
import dev.atelier.store.DocumentKind;
import dev.atelier.store.Documents;
import dev.atelier.store.MappingException;
import dev.atelier.testsupport.FirestoreEvents;
import dev.atelier.testsupport.FunctionTestRig;
import io.cloudevents.CloudEvent;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One test per rule of {@link FirestoreTrigger}. It lives here rather than in {@code shared}
 * because it builds its events with test-support's builder (test-support depends on shared, not the
 * other way).
 */
@ExtendWith(FirestoreEmulatorExtension.class)
class FirestoreTriggerTest {

  private static final String PROJECT = FirestoreEmulatorExtension.PROJECT_ID;
  private static final String ENTRY = "credits/u1/ledger/e1";
  private static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");
  private static final Duration MAX_AGE = Duration.ofMinutes(10);

  private final FirestoreEvents events = new FirestoreEvents(PROJECT);
  private final FirestoreTrigger trigger =
      new FirestoreTrigger(
          DocumentKind.LEDGER_ENTRY,
          MAX_AGE,
          Clock.fixed(NOW, ZoneOffset.UTC),
          JsonLog.forFunction("firestore-trigger-test"));

  /** What the recording handler was called with. */
  private final List<DocumentKey> calls = new ArrayList<>();

  private Object record(DocumentKey key, JsonLog log) {
    calls.add(key);
    return "seen " + key.path();
  }

  private DocumentEventData created(String path) {
    Document doc =
        Document.newBuilder()
            .setName(events.documentName(path))
            .putFields("amount", Value.newBuilder().setIntegerValue(5).build())
            .build();
    return FirestoreEvents.data(Optional.empty(), Optional.of(doc));
  }

  @Test
  void protobufEventReachesTheHandlerWithThePathsIds() {
    FirestoreTrigger.Outcome outcome =
        trigger.accept(events.protobuf(ENTRY, created(ENTRY), NOW), this::record);

    assertEquals(1, calls.size());
    assertEquals(Map.of("uid", "u1", "entryId", "e1"), calls.get(0).ids());
    assertEquals(new FirestoreTrigger.Outcome.Handled(calls.get(0), "seen " + ENTRY), outcome);
  }

  @Test
  void jsonEventReachesTheHandlerToo() {
    FirestoreTrigger.Outcome outcome =
        trigger.accept(events.json(ENTRY, created(ENTRY), NOW), this::record);

    assertInstanceOf(FirestoreTrigger.Outcome.Handled.class, outcome);
    assertEquals(List.of(ENTRY), calls.stream().map(DocumentKey::path).toList());
  }

  @Test
  void deleteEventNamesItsDocumentThroughTheOldValue() {
    DocumentEventData deleted =
        FirestoreEvents.data(Optional.of(created(ENTRY).getValue()), Optional.empty());
    assertFalse(deleted.hasValue());

    trigger.accept(events.protobuf(ENTRY, deleted, NOW), this::record);

    assertEquals(List.of(ENTRY), calls.stream().map(DocumentKey::path).toList());
  }

  @Test
  void garbageBodyIsDroppedWithoutThrowingOrCallingTheHandler() {
    FirestoreTrigger.Outcome outcome = trigger.accept(events.garbage(ENTRY, NOW), this::record);

    assertInstanceOf(FirestoreTrigger.Outcome.Undecodable.class, outcome);
    assertEquals(List.of(), calls);
  }

  @Test
  void eventOlderThanTheMaximumAgeIsDroppedAndOneJustYoungerIsNot() {
    Instant tooOld = NOW.minus(MAX_AGE).minusSeconds(1);
    FirestoreTrigger.Outcome outcome =
        trigger.accept(events.protobuf(ENTRY, created(ENTRY), tooOld), this::record);

    assertEquals(new FirestoreTrigger.Outcome.TooOld(ENTRY, tooOld), outcome);
    assertEquals(List.of(), calls);

    trigger.accept(events.protobuf(ENTRY, created(ENTRY), NOW.minus(MAX_AGE)), this::record);
    assertEquals(1, calls.size());
  }

  @Test
  void documentOfAnotherKindIsIgnored() {
    String balance = "credits/u1/balance/current";
    String unknown = "nowhere/x/at/all";

    assertEquals(
        new FirestoreTrigger.Outcome.OtherDocument(balance),
        trigger.accept(events.protobuf(balance, created(balance), NOW), this::record));
    assertEquals(
        new FirestoreTrigger.Outcome.OtherDocument(unknown),
        trigger.accept(events.json(unknown, created(unknown), NOW), this::record));
    assertEquals(List.of(), calls);
  }

  @Test
  void transientFailureIsThrownSoEventarcRedelivers() {
    CloudEvent event = events.protobuf(ENTRY, created(ENTRY), NOW);

    FirestoreTrigger.TransientFailure thrown =
        assertThrows(
            FirestoreTrigger.TransientFailure.class,
            () ->
                trigger.accept(
                    event,
                    (key, log) -> {
                      throw Status.UNAVAILABLE
                          .withDescription("backend went away")
                          .asRuntimeException();
                    }));
    assertTrue(Transient.is(thrown.getCause()));
  }

  @Test
  void abortedCommitFromTheEmulatorIsThrownAndTheRedeliveryApplies(
      EmulatorHandle emulator, Database db) throws Exception {
    db.set(ENTRY, Map.of("amount", 7));
    // A real handler: project the entry's amount onto the balance in one single-attempt
    // transaction.
    FirestoreTrigger.Handler project =
        (key, log) ->
            db.runTransaction(
                tx -> {
                  long amount = tx.get(key.path()).getLong("amount");
                  tx.set(DocumentKind.BALANCE.path(key.id("uid")), Map.of("creditBalance", amount));
                  return amount;
                },
                1);
    CloudEvent event = events.protobuf(ENTRY, created(ENTRY), NOW);
    emulator.abortNextCommits(1);

    assertThrows(FirestoreTrigger.TransientFailure.class, () -> trigger.accept(event, project));
    assertFalse(db.get("credits/u1/balance/current").exists(), "the aborted commit wrote nothing");

    assertInstanceOf(FirestoreTrigger.Outcome.Handled.class, trigger.accept(event, project));
    assertEquals(7L, db.get("credits/u1/balance/current").getLong("creditBalance"));
  }

  @Test
  void eventsThatAreNotFirestoreDocumentEventsAreRefused() {
    CloudEvent created = events.protobuf(ENTRY, created(ENTRY), NOW);
    CloudEvent otherType =
        io.cloudevents.core.builder.CloudEventBuilder.v1(created)
            .withType("google.cloud.pubsub.topic.v1.messagePublished")
            .build();
    CloudEvent otherSource =
        io.cloudevents.core.builder.CloudEventBuilder.v1(created)
            .withSource(java.net.URI.create("//evil.example/projects/p"))
            .build();
    assertInstanceOf(
        FirestoreTrigger.Outcome.Refused.class, trigger.accept(otherType, this::record));
    assertInstanceOf(
        FirestoreTrigger.Outcome.Refused.class, trigger.accept(otherSource, this::record));
    assertTrue(calls.isEmpty());
  }

  @Test
  void withADeliveryTokenOnlyEventsCarryingItAreHandled() {
    FirestoreTrigger signed =
        new FirestoreTrigger(
            DocumentKind.LEDGER_ENTRY,
            MAX_AGE,
            Clock.fixed(NOW, ZoneOffset.UTC),
            JsonLog.forFunction("test"),
            Optional.of("s3cret"));
    CloudEvent unsigned = events.protobuf(ENTRY, created(ENTRY), NOW);
    CloudEvent wrong =
        io.cloudevents.core.builder.CloudEventBuilder.v1(unsigned)
            .withExtension(FirestoreTrigger.DELIVERY_TOKEN_EXTENSION, "guess")
            .build();
    CloudEvent good =
        io.cloudevents.core.builder.CloudEventBuilder.v1(unsigned)
            .withExtension(FirestoreTrigger.DELIVERY_TOKEN_EXTENSION, "s3cret")
            .build();
    assertInstanceOf(FirestoreTrigger.Outcome.Refused.class, signed.accept(unsigned, this::record));
    assertInstanceOf(FirestoreTrigger.Outcome.Refused.class, signed.accept(wrong, this::record));
    assertInstanceOf(FirestoreTrigger.Outcome.Handled.class, signed.accept(good, this::record));
    assertEquals(1, calls.size());
  }

  @Test
  void malformedDocumentIsLoggedAndDroppedNotThrown(Database db) throws Exception {
    db.set(ENTRY, Map.of("type", "GRANT", "amount", "lots", "status", "CONFIRMED"));

    // A handler that decodes the document strictly: a malformed one is permanent, retrying cannot
    // help.
    FirestoreTrigger.Outcome outcome =
        trigger.accept(
            events.protobuf(ENTRY, created(ENTRY), NOW),
            (key, log) ->
                Documents.read(db.get(key.path()), dev.atelier.credits.LedgerEntry.class));

    FirestoreTrigger.Outcome.Failed failed =
        assertInstanceOf(FirestoreTrigger.Outcome.Failed.class, outcome);
    assertInstanceOf(MappingException.class, failed.error());
  }

  @Test
  void malformedLedgerEntryIsMarkedInvalidByTheGuardsNotFailed(Database db) throws Exception {
    FunctionTestRig.seedCatalog(db);
    CreditService credits = new CreditService(db, java.time.Clock.systemUTC());
    credits.openAccount("u1");
    db.set(ENTRY, Map.of("type", "GRANT", "amount", "lots", "status", "CONFIRMED"));

    FirestoreTrigger.Outcome outcome =
        trigger.accept(
            events.protobuf(ENTRY, created(ENTRY), NOW),
            (key, log) -> credits.applyLedgerEntry(key.id("uid"), key.id("entryId")));

    FirestoreTrigger.Outcome.Handled handled =
        assertInstanceOf(FirestoreTrigger.Outcome.Handled.class, outcome);
    assertInstanceOf(CreditService.Applied.Invalid.class, handled.result());
    assertEquals(
        100L, db.get("credits/u1/balance/current").getLong("creditBalance"), "FREE 100 only");
    Snapshot entry = db.get(ENTRY);
    assertNull(entry.get("appliedAmount"));
    assertNotNull(entry.get("invalid"));
  }

  @Test
  void bugInTheHandlerIsLoggedAndDroppedNotThrown() {
    FirestoreTrigger.Outcome outcome =
        trigger.accept(
            events.protobuf(ENTRY, created(ENTRY), NOW),
            (key, log) -> {
              throw new IllegalStateException("a bug");
            });

    assertInstanceOf(
        IllegalStateException.class,
        assertInstanceOf(FirestoreTrigger.Outcome.Failed.class, outcome).error());
  }

  @Test
  void interruptedHandlerRestoresTheFlagAndIsThrownAsTransient() {
    CloudEvent event = events.protobuf(ENTRY, created(ENTRY), NOW);
    List<FirestoreTrigger.Handler> interrupted =
        List.of(
            (key, log) -> {
              throw new InterruptedException("shutting down");
            },
            // As CreditService reports it: wrapped, with the flag already set and then cleared by
            // someone.
            (key, log) -> {
              throw new IllegalStateException(new InterruptedException("shutting down"));
            });
    for (FirestoreTrigger.Handler handler : interrupted) {
      try {
        assertThrows(FirestoreTrigger.TransientFailure.class, () -> trigger.accept(event, handler));
        assertTrue(Thread.currentThread().isInterrupted());
      } finally {
        Thread.interrupted();
      }
    }
  }
}
