package dev.atelier.local.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.firestore.FieldValue;
import com.google.cloud.firestore.Firestore;
import com.google.events.cloud.firestore.v1.DocumentEventData;
import dev.atelier.emulator.junit.EmulatorHandle;
import dev.atelier.emulator.junit.FirestoreEmulatorExtension;
import dev.atelier.local.manifest.DocumentPattern;
import dev.atelier.local.manifest.FunctionSpec;
import dev.atelier.local.manifest.Trigger;
import dev.atelier.testsupport.FirestoreEventType;
import dev.atelier.testsupport.FirestoreEvents;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Writes through the real Firestore client reach a function as Eventarc's binary-mode CloudEvents.
 */
@ExtendWith(FirestoreEmulatorExtension.class)
class EventDeliveryTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String LEDGER = "credits/{uid}/ledger/{entryId}";

  private final EventReceiver receiver = new EventReceiver();
  private EventDelivery delivery;

  EventDeliveryTest() throws Exception {}

  @AfterEach
  void stop() {
    delivery.close();
    receiver.close();
  }

  private static FunctionSpec subscriber(String name, FirestoreEventType type, boolean retry) {
    return new FunctionSpec(
        name,
        "x.Fn",
        new Trigger.FirestoreEvent(type, new DocumentPattern(LEDGER)),
        256,
        10,
        0,
        1,
        Map.of(),
        retry);
  }

  private void deliver(
      EmulatorHandle emulator, DeliveryOptions options, FunctionSpec... functions) {
    delivery = new EventDelivery(List.of(functions), receiver::url, options, line -> {});
    emulator.addChangeListener(
        (name, before, after, time) ->
            delivery.onChange(new DocumentChange(name, before, after, time)));
  }

  private static DeliveryOptions fast(boolean chaos) {
    return new DeliveryOptions(
        "nam5",
        4,
        Duration.ofMillis(20),
        Duration.ofMillis(100),
        chaos,
        Duration.ofMillis(100),
        java.util.Optional.of("test-token"));
  }

  @Test
  void createUpdateAndDeleteArriveAsDocumentEventDataWithOldNewValuesAndMask(
      EmulatorHandle emulator, Firestore db) throws Exception {
    deliver(emulator, fast(false), subscriber("apply", FirestoreEventType.WRITTEN, false));
    var doc = db.document("credits/u1/ledger/e1");
    String fullName =
        "projects/" + emulator.projectId() + "/databases/(default)/documents/credits/u1/ledger/e1";

    doc.set(Map.of("amount", 5, "status", "PENDING", "meta", Map.of("a", 1, "b", 2))).get();
    EventReceiver.Received created = receiver.await(1, WAIT).get(0);
    DocumentEventData c = DocumentEventData.parseFrom(created.body());
    assertEquals(fullName, c.getValue().getName());
    assertEquals(5, c.getValue().getFieldsOrThrow("amount").getIntegerValue());
    assertFalse(c.hasOldValue());
    assertFalse(c.hasUpdateMask());

    doc.update(Map.of("status", "CONFIRMED", "meta.b", 3)).get();
    DocumentEventData u = DocumentEventData.parseFrom(receiver.await(1, WAIT).get(0).body());
    assertEquals("PENDING", u.getOldValue().getFieldsOrThrow("status").getStringValue());
    assertEquals("CONFIRMED", u.getValue().getFieldsOrThrow("status").getStringValue());
    assertEquals(Set.of("status", "meta.b"), Set.copyOf(u.getUpdateMask().getFieldPathsList()));
    assertTrue(u.getValue().getUpdateTime().getSeconds() > 0);

    doc.delete().get();
    DocumentEventData d = DocumentEventData.parseFrom(receiver.await(1, WAIT).get(0).body());
    assertFalse(d.hasValue());
    assertEquals(fullName, d.getOldValue().getName());
    assertEquals("CONFIRMED", d.getOldValue().getFieldsOrThrow("status").getStringValue());
  }

  @Test
  void headersAreEventarcsBinaryMode(EmulatorHandle emulator, Firestore db) throws Exception {
    deliver(emulator, fast(false), subscriber("apply", FirestoreEventType.WRITTEN, false));
    db.document("credits/u1/ledger/e1").set(Map.of("amount", 1)).get();
    EventReceiver.Received r = receiver.await(1, WAIT).get(0);
    String project = emulator.projectId();
    assertEquals("/apply", r.path());
    assertEquals("application/protobuf", r.header("content-type"));
    assertEquals("1.0", r.header("ce-specversion"));
    assertEquals(
        "test-token", r.header("ce-atelierdelivery"), "signed for the stack's trigger functions");
    assertEquals("google.cloud.firestore.document.v1.written", r.header("ce-type"));
    assertEquals(
        "//firestore.googleapis.com/projects/" + project + "/databases/(default)",
        r.header("ce-source"));
    assertEquals("documents/credits/u1/ledger/e1", r.header("ce-subject"));
    assertEquals("credits/u1/ledger/e1", r.header("ce-document"));
    assertEquals("(default)", r.header("ce-database"));
    assertEquals("(default)", r.header("ce-namespace"));
    assertEquals(project, r.header("ce-project"));
    assertEquals("nam5", r.header("ce-location"));
    assertEquals(FirestoreEvents.DATA_SCHEMA, r.header("ce-dataschema"));
    assertFalse(r.header("ce-id").isBlank());
    java.time.Instant.parse(r.header("ce-time"));
  }

  @Test
  void typedSubscribersGetOnlyTheirKindAndShareTheEventId(EmulatorHandle emulator, Firestore db)
      throws Exception {
    deliver(
        emulator,
        fast(false),
        subscriber("all", FirestoreEventType.WRITTEN, false),
        subscriber("creates", FirestoreEventType.CREATED, false),
        subscriber("deletes", FirestoreEventType.DELETED, false));
    db.document("credits/u1/ledger/e1").set(Map.of("amount", 1)).get();
    List<EventReceiver.Received> both = receiver.await(2, WAIT);
    assertEquals(
        Set.of("/all", "/creates"),
        both.stream().map(EventReceiver.Received::path).collect(Collectors.toSet()));
    assertEquals(1, both.stream().map(r -> r.header("ce-id")).distinct().count());
    assertEquals(
        Set.of(
            "google.cloud.firestore.document.v1.written",
            "google.cloud.firestore.document.v1.created"),
        both.stream().map(r -> r.header("ce-type")).collect(Collectors.toSet()));

    db.document("credits/u1/ledger/e1").update("amount", 2).get();
    assertEquals("/all", receiver.await(1, WAIT).get(0).path());
    assertEquals(List.of(), receiver.quietFor(Duration.ofMillis(300)));
  }

  @Test
  void aWriteThatChangesNothingOrAnUnmatchedDocumentFiresNothing(
      EmulatorHandle emulator, Firestore db) throws Exception {
    deliver(emulator, fast(false), subscriber("apply", FirestoreEventType.WRITTEN, false));
    db.document("credits/u1/ledger/e1").set(Map.of("amount", 1)).get();
    receiver.await(1, WAIT);
    db.document("credits/u1/ledger/e1").set(Map.of("amount", 1)).get();
    db.document("credits/u1/balance/current").set(Map.of("creditBalance", 1)).get();
    assertEquals(List.of(), receiver.quietFor(Duration.ofMillis(500)));
  }

  @Test
  void aNon2xxAnswerIsRedeliveredWhenRetryIsOn(EmulatorHandle emulator, Firestore db)
      throws Exception {
    deliver(emulator, fast(false), subscriber("apply", FirestoreEventType.WRITTEN, true));
    receiver.answerNext(500, 503);
    db.document("credits/u1/ledger/e1")
        .set(Map.of("amount", 1, "at", FieldValue.serverTimestamp()))
        .get();
    List<EventReceiver.Received> attempts = receiver.await(3, WAIT);
    assertEquals(1, attempts.stream().map(r -> r.header("ce-id")).distinct().count());
    assertEquals(List.of(), receiver.quietFor(Duration.ofMillis(300)));
  }

  @Test
  void aNon2xxAnswerIsDroppedWhenRetryIsOff(EmulatorHandle emulator, Firestore db)
      throws Exception {
    deliver(emulator, fast(false), subscriber("apply", FirestoreEventType.WRITTEN, false));
    receiver.answerNext(500);
    db.document("credits/u1/ledger/e1").set(Map.of("amount", 1)).get();
    receiver.await(1, WAIT);
    assertEquals(List.of(), receiver.quietFor(Duration.ofMillis(300)));
  }

  @Test
  void retriesStopAfterTheConfiguredAttempts(EmulatorHandle emulator, Firestore db)
      throws Exception {
    deliver(emulator, fast(false), subscriber("apply", FirestoreEventType.WRITTEN, true));
    receiver.answerNext(500, 500, 500, 500, 500, 500);
    db.document("credits/u1/ledger/e1").set(Map.of("amount", 1)).get();
    receiver.await(4, WAIT);
    assertEquals(List.of(), receiver.quietFor(Duration.ofMillis(400)));
  }

  @Test
  void chaosDeliversEveryEventTwice(EmulatorHandle emulator, Firestore db) throws Exception {
    deliver(emulator, fast(true), subscriber("apply", FirestoreEventType.WRITTEN, false));
    for (int i = 0; i < 5; i++) {
      db.document("credits/u1/ledger/e" + i).set(Map.of("amount", i)).get();
    }
    List<EventReceiver.Received> all = receiver.await(10, WAIT);
    Map<String, Long> perId =
        all.stream().collect(Collectors.groupingBy(r -> r.header("ce-id"), Collectors.counting()));
    assertEquals(5, perId.size());
    assertTrue(perId.values().stream().allMatch(n -> n == 2));
    assertEquals(List.of(), receiver.quietFor(Duration.ofMillis(300)));
  }
}
