package dev.atelier.functions.syncgenerationmirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.google.events.cloud.firestore.v1.DocumentEventData;
import com.google.events.cloud.firestore.v1.Value;
import dev.atelier.emulator.junit.EmulatorHandle;
import dev.atelier.store.DocumentKind;
import dev.atelier.store.FirestorePaths;
import dev.atelier.testsupport.FirestoreEvents;
import io.cloudevents.CloudEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The emulator's change feed as the payloads Eventarc would deliver: one {@link Change} per
 * committed document change, in commit order. {@link #attach} queues the changes of history items
 * ({@code generationHistory/{uid}/items/{itemId}}); the emulator reports a change on its dispatch
 * thread shortly after the commit, so readers wait.
 */
final class ItemChanges {

  /**
   * One committed change of a document: the event payload and the commit time (the event's time).
   */
  record Change(String path, DocumentEventData data, Instant time) {

    boolean isItem() {
      return FirestorePaths.parse(path)
          .filter(k -> k.kind() == DocumentKind.HISTORY_ITEM)
          .isPresent();
    }

    /**
     * The document's fields after the change as the Java client returns them; null when it was
     * deleted.
     */
    Map<String, Object> after() {
      return data.hasValue() ? fields(data.getValue().getFieldsMap()) : null;
    }

    /**
     * The event Eventarc delivers for this change: protobuf (deployed) or JSON (Functions
     * Framework).
     */
    CloudEvent event(FirestoreEvents events, boolean json) {
      return json ? events.json(path, data, time) : events.protobuf(path, data, time);
    }
  }

  private static final long WAIT_SECONDS = 10;

  private final LinkedBlockingQueue<Change> queue = new LinkedBlockingQueue<>();

  private ItemChanges() {}

  /** Records every item change in a queue read with {@link #next()}. */
  static ItemChanges attach(EmulatorHandle emulator) {
    ItemChanges changes = new ItemChanges();
    subscribe(
        emulator,
        change -> {
          if (change.isItem()) {
            changes.queue.add(change);
          }
        });
    return changes;
  }

  /**
   * Hands every committed document change to {@code sink}, in commit order, on the emulator's
   * dispatch thread (keep it short).
   */
  static void subscribe(EmulatorHandle emulator, Consumer<Change> sink) {
    String prefix = "projects/" + emulator.projectId() + "/databases/(default)/documents/";
    emulator.addChangeListener(
        (name, before, after, commitTime) -> {
          String path = name.startsWith(prefix) ? name.substring(prefix.length()) : name;
          sink.accept(
              new Change(
                  path, FirestoreEvents.data(before, after), FirestoreEvents.instant(commitTime)));
        });
  }

  /**
   * Event values as the Java client's {@code getData()} returns them (the types this test stores).
   */
  static Map<String, Object> fields(Map<String, Value> values) {
    Map<String, Object> out = new LinkedHashMap<>();
    values.forEach((name, value) -> out.put(name, javaValue(value)));
    return out;
  }

  private static Object javaValue(Value v) {
    return switch (v.getValueTypeCase()) {
      case NULL_VALUE -> null;
      case BOOLEAN_VALUE -> v.getBooleanValue();
      case INTEGER_VALUE -> v.getIntegerValue();
      case DOUBLE_VALUE -> v.getDoubleValue();
      case STRING_VALUE -> v.getStringValue();
      case TIMESTAMP_VALUE ->
          Instant.ofEpochSecond(
              v.getTimestampValue().getSeconds(), v.getTimestampValue().getNanos());
      case ARRAY_VALUE ->
          v.getArrayValue().getValuesList().stream().map(ItemChanges::javaValue).toList();
      case MAP_VALUE -> fields(v.getMapValue().getFieldsMap());
      default ->
          throw new IllegalArgumentException(
              "value type not used by these tests: " + v.getValueTypeCase());
    };
  }

  /** The next change (waiting for it). */
  Change next() throws InterruptedException {
    Change change = queue.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertNotNull(change, "no item change reported within " + WAIT_SECONDS + " s");
    return change;
  }

  /** The next change, which must be of {@code path}. */
  Change next(String path) throws InterruptedException {
    Change change = next();
    assertEquals(path, change.path(), "unexpected item change");
    return change;
  }

  /** The next {@code n} changes, in commit order. */
  List<Change> next(int n) throws InterruptedException {
    List<Change> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(next());
    }
    return out;
  }

  /** Changes reported beyond those taken, after a short wait for late ones. */
  int pending() throws InterruptedException {
    Thread.sleep(200);
    return queue.size();
  }
}
