package dev.atelier.webhook;

import dev.atelier.firestore.Database;
import dev.atelier.firestore.Snapshot;
import dev.atelier.generations.GenerationItem;
import dev.atelier.platform.JsonLog;
import dev.atelier.providers.Prediction;
import dev.atelier.results.ProviderResults;
import dev.atelier.results.ProviderResults.Outcome;
import dev.atelier.store.Documents;
import dev.atelier.store.FirestorePaths;
import java.util.List;
import java.util.Optional;

/**
 * What a verified provider webhook means for its history item. The item is found by {@code
 * provider} + {@code providerTaskId} (a collection-group query), or by the ids the webhook URL
 * carries when the task id is not recorded yet; the prediction then goes through {@link
 * ProviderResults}, the path the reaper's polling takes too: only a {@code generating} item changes
 * (media stored, item completed and HOLD captured; or item failed and HOLD reversed). Anything else
 * (unknown task, an item already finished or cancelled, a non-final status) changes nothing.
 */
public final class WebhookService {

  /**
   * Where the delivery came from: the provider (from the URL, checked by its signature) and the
   * URL's item hint.
   */
  public record Delivery(
      String provider,
      String webhookId,
      Optional<String> uidHint,
      Optional<String> itemHint,
      Prediction prediction) {}

  private final Database db;
  private final ProviderResults results;

  public WebhookService(Database db, ProviderResults results) {
    this.db = db;
    this.results = results;
  }

  public Outcome deliver(Delivery delivery, JsonLog log) {
    Optional<GenerationItem> found = find(delivery);
    if (found.isEmpty()) {
      return new Outcome.Ignored(
          "no item for " + delivery.provider() + " task " + delivery.prediction().id());
    }
    return results.apply(found.get(), delivery.prediction(), log);
  }

  /**
   * The item of this delivery: by provider and task id (collection-group index), else by the ids in
   * the webhook URL when that item runs at this provider and has no other task id yet.
   */
  private Optional<GenerationItem> find(Delivery delivery) {
    List<Snapshot> hits =
        db.collectionGroup(FirestorePaths.HISTORY_ITEMS_GROUP)
            .whereEqualTo(GenerationItem.Field.PROVIDER, delivery.provider())
            .whereEqualTo(GenerationItem.Field.PROVIDER_TASK_ID, delivery.prediction().id())
            .limit(1)
            .get();
    if (!hits.isEmpty()) {
      return Documents.read(hits.get(0), GenerationItem.class);
    }
    if (delivery.uidHint().isEmpty()
        || delivery.itemHint().isEmpty()
        || !FirestorePaths.isValidId(delivery.uidHint().get())
        || !FirestorePaths.isValidId(delivery.itemHint().get())) {
      return Optional.empty();
    }
    return read(
            FirestorePaths.historyItem(delivery.uidHint().get(), delivery.itemHint().get()),
            GenerationItem.class)
        .filter(item -> delivery.provider().equals(item.provider()))
        .filter(
            item ->
                item.providerTaskId() == null
                    || item.providerTaskId().equals(delivery.prediction().id()));
  }

  private <T> Optional<T> read(String path, Class<T> type) {
    return Documents.read(db.get(path), type);
  }
}
