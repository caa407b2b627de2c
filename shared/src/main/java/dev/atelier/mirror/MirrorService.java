package dev.atelier.mirror;

import dev.atelier.firestore.Database;
import dev.atelier.firestore.Snapshot;
import dev.atelier.generations.CreatedBy;
import dev.atelier.generations.GenerationItem;
import dev.atelier.generations.PublicGeneration;
import dev.atelier.platform.FirestoreTrigger;
import dev.atelier.store.Documents;
import dev.atelier.store.FirestorePaths;
import dev.atelier.store.MappingException;
import dev.atelier.store.Transactions;
import dev.atelier.users.UserProfile;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code sync-generation-mirror}: in ONE transaction, reads the history item and the mirror
 * document (and, only for an item that belongs in the feed, its owner's profile, whose public name
 * the mirror carries), and makes the mirror match the item's projection — written when it belongs
 * in the feed and differs, deleted when it does not belong, untouched when it already matches (a
 * fixed point: the trigger's own writes go to another collection, and a no-op writes nothing). The
 * event that fired it is never trusted: only the current documents count, so at every moment after
 * the latest write's run the mirror holds no private, unlisted, deleted or unfinished item.
 */
public final class MirrorService {

  /** What a sync did. */
  public sealed interface Synced {
    record Written(String itemId) implements Synced {}

    record Removed(String itemId) implements Synced {}

    record Unchanged() implements Synced, FirestoreTrigger.NothingChanged {}

    /** {@code generations/{itemId}} belongs to another user's item: left alone. */
    record Foreign(String itemId, String ownerUid) implements Synced {}

    /**
     * The item does not decode ({@code problem}): it cannot be shown to be completed and public, so
     * it is kept out of the feed ({@code removed}: its mirror was deleted) until a fixing write
     * syncs it again.
     */
    record Unreadable(String itemId, String problem, boolean removed) implements Synced {}
  }

  private final Database db;
  private final Transactions transactions;

  public MirrorService(Database db) {
    this.db = db;
    this.transactions = new Transactions(db);
  }

  public Synced sync(String uid, String itemId) {
    return transactions.run(
        tx -> {
          String mirrorRef = FirestorePaths.mirror(itemId);
          Snapshot itemDoc = tx.get(FirestorePaths.historyItem(uid, itemId));
          Snapshot mirror = tx.get(FirestorePaths.mirror(itemId));
          // Most runs are for items outside the feed (every write of a private or unfinished
          // item): they never need the profile, so it is read only when the projection uses it.
          Decision decision = decide(uid, itemDoc, () -> tx.get(FirestorePaths.user(uid)), mirror);
          if (decision instanceof Decision.Foreign f) {
            return new Synced.Foreign(itemId, f.ownerUid());
          }
          if (decision instanceof Decision.Unreadable u) {
            // Fail closed (privacy invariant): never leave an item we cannot read in the public
            // feed.
            if (mirror.exists()) {
              tx.delete(mirrorRef);
            }
            return new Synced.Unreadable(itemId, u.problem(), mirror.exists());
          }
          if (decision instanceof Decision.Remove) {
            tx.delete(mirrorRef);
            return new Synced.Removed(itemId);
          }
          if (decision instanceof Decision.Write w) {
            tx.set(mirrorRef, w.fields());
            return new Synced.Written(itemId);
          }
          return new Synced.Unchanged();
        });
  }

  /**
   * Whether {@link #sync} would leave {@code generations/{itemId}} as it is, judged from the item,
   * its owner's profile and the mirror document as read by the caller outside a transaction (e.g.
   * one batched read per page in {@code reconcile}): a hint for finding what to sync, which then
   * decides on fresh reads. A mirror of another user's item counts as in step (sync leaves it
   * alone).
   */
  public static boolean inStep(String uid, Snapshot itemDoc, Snapshot owner, Snapshot mirror) {
    Decision decision = decide(uid, itemDoc, () -> owner, mirror);
    if (decision instanceof Decision.Unreadable) {
      return !mirror.exists();
    }
    return decision instanceof Decision.Keep || decision instanceof Decision.Foreign;
  }

  /**
   * Removes {@code generations/{itemId}} when it names no owner ({@code uid} missing or not a
   * document id): it cannot be the projection of any item, so it has no place in the feed. Re-read
   * in a transaction; a mirror that names its owner is left to {@link #sync}.
   */
  public Synced removeUnowned(String itemId) {
    return transactions.run(
        tx -> {
          Snapshot mirror = tx.get(FirestorePaths.mirror(itemId));
          if (!mirror.exists() || owner(mirror) != null) {
            return new Synced.Unchanged();
          }
          tx.delete(mirror.path());
          return new Synced.Removed(itemId);
        });
  }

  /** The uid a mirror document names, or null when it names none that could be a document id. */
  public static String owner(Snapshot mirror) {
    return mirror.get(GenerationItem.Field.UID) instanceof String uid
            && FirestorePaths.isValidId(uid)
        ? uid
        : null;
  }

  /** What the mirror of one item must become, from the current item, owner and mirror. */
  private sealed interface Decision {
    record Keep() implements Decision {}

    record Write(Map<String, Object> fields) implements Decision {}

    record Remove() implements Decision {}

    record Foreign(String ownerUid) implements Decision {}

    record Unreadable(String problem) implements Decision {}
  }

  /** {@code owner} is asked for only when the item belongs in the feed. */
  private static Decision decide(
      String uid, Snapshot itemDoc, Supplier<Snapshot> owner, Snapshot mirror) {
    Object mirrorUid = mirror.exists() ? mirror.get(GenerationItem.Field.UID) : uid;
    if (!uid.equals(mirrorUid)) {
      return new Decision.Foreign(mirrorUid instanceof String s ? s : null);
    }
    Optional<GenerationItem> item;
    try {
      item = Documents.read(itemDoc, GenerationItem.class);
    } catch (MappingException e) {
      return new Decision.Unreadable(e.getMessage());
    }
    Optional<PublicGeneration> wanted =
        item.filter(GenerationItem::belongsInPublicFeed)
            .flatMap(i -> PublicGeneration.project(i, creator(uid, owner.get())));
    if (wanted.isEmpty()) {
      return mirror.exists() ? new Decision.Remove() : new Decision.Keep();
    }
    Map<String, Object> fields = Documents.encode(wanted.get());
    if (mirror.exists() && Objects.equals(mirror.getData(), fields)) {
      return new Decision.Keep();
    }
    return new Decision.Write(fields);
  }

  /**
   * The public face of the owner's profile (null when there is none): never the email. Read field
   * by field, not as a whole {@code UserProfile}, so that a profile the codec rejects (a console
   * edit, an old document) neither stops the sync, which would leave an item that went private in
   * the feed, nor keeps its new name out of the mirror.
   */
  static CreatedBy creator(String uid, Snapshot profile) {
    if (!profile.exists()) {
      return null;
    }
    return new CreatedBy(
        uid,
        string(profile, UserProfile.Field.USERNAME),
        null,
        string(profile, UserProfile.Field.DISPLAY_NAME),
        string(profile, UserProfile.Field.PHOTO_URL));
  }

  private static String string(Snapshot doc, String field) {
    return doc.get(field) instanceof String s ? s : null;
  }
}
