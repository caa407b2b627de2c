package dev.atelier.functions.syncgenerationmirror;

import com.google.cloud.functions.CloudEventsFunction;
import dev.atelier.firestore.Database;
import dev.atelier.mirror.MirrorService;
import dev.atelier.platform.Config;
import dev.atelier.platform.FirestoreTrigger;
import dev.atelier.platform.InstanceStart;
import dev.atelier.platform.JsonLog;
import dev.atelier.store.DocumentKind;
import io.cloudevents.CloudEvent;
import java.time.Clock;

/**
 * Trigger on {@code generationHistory/{uid}/items/{itemId}} (written): keeps {@code
 * generations/{itemId}} the projection of the item (present only while it is completed, public and
 * not deleted). The event only says WHICH item changed; the service re-reads item, owner and mirror
 * in one transaction.
 */
public final class SyncGenerationMirrorFunction implements CloudEventsFunction {

  private final FirestoreTrigger trigger;
  private final MirrorService mirror;

  public SyncGenerationMirrorFunction() {
    this(Config.from(System.getenv()));
  }

  private SyncGenerationMirrorFunction(Config config) {
    this(config, InstanceStart.firestore(config), Clock.systemUTC());
  }

  public SyncGenerationMirrorFunction(Config config, Database db, Clock clock) {
    this.trigger =
        new FirestoreTrigger(
            DocumentKind.HISTORY_ITEM,
            config.maxEventAge(),
            clock,
            JsonLog.forFunction(config.functionName()),
            config.deliveryToken());
    this.mirror = new MirrorService(db);
  }

  @Override
  public void accept(CloudEvent event) {
    trigger.accept(event, (key, log) -> mirror.sync(key.id("uid"), key.id("itemId")));
  }
}
