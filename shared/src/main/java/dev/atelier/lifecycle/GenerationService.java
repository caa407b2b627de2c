package dev.atelier.lifecycle;

import dev.atelier.credits.Account;
import dev.atelier.credits.CreditService;
import dev.atelier.credits.LedgerEntry;
import dev.atelier.credits.LedgerStatus;
import dev.atelier.credits.LedgerType;
import dev.atelier.credits.Posting;
import dev.atelier.firestore.Database;
import dev.atelier.firestore.Transaction;
import dev.atelier.generations.AudioMedia;
import dev.atelier.generations.GenerationError;
import dev.atelier.generations.GenerationItem;
import dev.atelier.generations.GenerationStatus;
import dev.atelier.generations.ImageMedia;
import dev.atelier.generations.VideoMedia;
import dev.atelier.generations.Visibility;
import dev.atelier.platform.Refusal;
import dev.atelier.store.Documents;
import dev.atelier.store.FirestorePaths;
import dev.atelier.store.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every change to a history item after it was submitted, each in ONE transaction with its credits:
 * the provider's task id recorded after dispatch; completion (media, status, HOLD captured, the
 * missing outputs' share refunded); failure and cancellation (HOLD reversed); the owner's
 * visibility, tags and soft delete. An item leaves {@code generating} exactly once, so duplicate or
 * late provider reports change nothing ({@link Transition.NotGenerating}).
 */
public final class GenerationService {

  /** Tags: at most this many, each at most {@link #MAX_TAG_LENGTH} characters. */
  public static final int MAX_TAGS = 10;

  public static final int MAX_TAG_LENGTH = 32;

  /** What a lifecycle transition found and did. */
  public sealed interface Transition {
    /** The item moved; {@code item} is its new state. */
    record Done(GenerationItem item) implements Transition {}

    /** The item had already left {@code generating}: nothing changed. */
    record NotGenerating(GenerationItem item) implements Transition {}

    /** No such item. */
    record Missing() implements Transition {}
  }

  /** What a successful provider run produced, already stored in Cloud Storage. */
  public record Outputs(
      List<ImageMedia> images, List<VideoMedia> videos, List<AudioMedia> audios, long refund) {
    public Outputs {
      images = List.copyOf(images);
      videos = List.copyOf(videos);
      audios = List.copyOf(audios);
    }

    public int count() {
      return images.size() + videos.size() + audios.size();
    }
  }

  /** What {@link #settleOrphanHold} found and did. */
  public enum HoldRelease {
    /** The hold was PENDING with no live item: now REVERSED, its credits back in the balance. */
    REVERSED,
    /** The hold was PENDING and its item completed: now CONFIRMED, its credits spent. */
    CAPTURED,
    /** Its item is still {@code generating}: the hold is live and was left alone. */
    LIVE,
    /** The hold is no longer PENDING (settled meanwhile, e.g. by a concurrent run). */
    NOT_PENDING,
    /** No such entry, or it is not a HOLD. */
    NOT_A_HOLD,
    /** The user's balance document is missing: nothing is written (reconcile's finding). */
    NO_ACCOUNT
  }

  /** What the owner asks update-generation for; empty / false means "leave as is". */
  public record Changes(
      Optional<Visibility> visibility,
      Optional<List<String>> tags,
      boolean delete,
      boolean cancel) {}

  /**
   * The outcome of an owner's update: the item now, and the provider task to cancel after commit,
   * if any.
   */
  public record Updated(
      GenerationItem item,
      boolean changed,
      Optional<String> cancelProvider,
      Optional<String> cancelTaskId) {}

  private static final List<String> COMPLETION_FIELDS =
      List.of(
          GenerationItem.Field.STATUS,
          GenerationItem.Field.IMAGES,
          GenerationItem.Field.VIDEOS,
          GenerationItem.Field.AUDIOS,
          GenerationItem.Field.PROCESSING_TIME_MS,
          GenerationItem.Field.ERROR);
  private static final List<String> FAILURE_FIELDS =
      List.of(GenerationItem.Field.STATUS, GenerationItem.Field.ERROR);
  private static final List<String> OWNER_FIELDS =
      List.of(
          GenerationItem.Field.VISIBILITY,
          GenerationItem.Field.IS_PUBLIC,
          GenerationItem.Field.TAGS,
          GenerationItem.Field.IS_DELETED,
          GenerationItem.Field.STATUS,
          GenerationItem.Field.ERROR);

  private final Database db;
  private final CreditService credits;
  private final Transactions transactions;
  private final Clock clock;

  public GenerationService(Database db, CreditService credits, Clock clock) {
    this.db = db;
    this.credits = credits;
    this.transactions = new Transactions(db);
    this.clock = clock;
  }

  /** The HOLD entry id reserving the cost of item {@code itemId} (a reserved system id). */
  public static String holdEntryId(String itemId) {
    return "sys_hold_" + itemId;
  }

  /** The REFUND entry id of item {@code itemId}'s missing outputs. */
  public static String refundEntryId(String itemId) {
    return "sys_refund_" + itemId;
  }

  /**
   * Lower-cased, trimmed, deduplicated in order; 400 with a field error when over the limits or
   * when a tag holds a control character (a tag is not free text: no newline or tab either).
   */
  public static List<String> normaliseTags(List<String> raw, String field) {
    LinkedHashSet<String> out = new LinkedHashSet<>();
    for (String tag : raw) {
      String t = tag.trim().toLowerCase(Locale.ROOT);
      if (t.isEmpty() || t.length() > MAX_TAG_LENGTH) {
        throw invalid(field, "each tag must be 1-" + MAX_TAG_LENGTH + " characters");
      }
      if (t.chars().anyMatch(Character::isISOControl)) {
        throw invalid(field, "tags must not contain control characters");
      }
      out.add(t);
    }
    if (out.size() > MAX_TAGS) {
      throw invalid(field, "at most " + MAX_TAGS + " tags");
    }
    return List.copyOf(out);
  }

  public Optional<GenerationItem> find(String uid, String itemId) {
    return Documents.read(db.get(FirestorePaths.historyItem(uid, itemId)), GenerationItem.class);
  }

  /**
   * Records which provider runs the item and its task id. When the item already left {@code
   * generating} — cancelled while dispatching (the caller then cancels the task), or finished by a
   * webhook faster than this write — the task id is still recorded if missing, and the answer is
   * {@link Transition.NotGenerating}.
   */
  public Transition recordDispatch(String uid, String itemId, String provider, String taskId) {
    return transactions.run(
        tx -> {
          Optional<GenerationItem> found = read(tx, uid, itemId);
          if (found.isEmpty()) {
            return new Transition.Missing();
          }
          GenerationItem item = found.get();
          boolean generating = item.status() == GenerationStatus.GENERATING;
          if (!generating && item.providerTaskId() != null) {
            return new Transition.NotGenerating(item);
          }
          GenerationItem next = item.toBuilder().provider(provider).providerTaskId(taskId).build();
          tx.update(
              ref(uid, itemId),
              Documents.update(
                  next,
                  List.of(GenerationItem.Field.PROVIDER, GenerationItem.Field.PROVIDER_TASK_ID),
                  GenerationItem.Field.UPDATED_AT));
          return generating ? new Transition.Done(next) : new Transition.NotGenerating(next);
        });
  }

  /** A generating item fails with {@code error}; its HOLD is reversed (the credits come back). */
  public Transition fail(String uid, String itemId, GenerationError error) {
    return finish(uid, itemId, GenerationStatus.FAILED, error);
  }

  /**
   * A generating item completes with {@code outputs}: media set, HOLD captured, and when fewer
   * outputs came than were paid for, {@code outputs.refund()} credits granted back with a REFUND
   * entry.
   */
  public Transition complete(String uid, String itemId, Outputs outputs) {
    Instant now = clock.instant();
    return transactions.run(
        tx -> {
          Optional<GenerationItem> found = read(tx, uid, itemId);
          if (found.isEmpty()) {
            return new Transition.Missing();
          }
          GenerationItem item = found.get();
          if (item.status() != GenerationStatus.GENERATING) {
            return new Transition.NotGenerating(item);
          }
          Optional<LedgerEntry> hold = readHold(tx, item);
          Account account = credits.load(tx, uid);
          hold.ifPresent(h -> account.settle(h, LedgerStatus.CONFIRMED));
          if (outputs.refund() > 0) {
            account.post(
                new Posting(
                    LedgerType.REFUND,
                    outputs.refund(),
                    "Missing outputs of generation " + itemId,
                    Map.of("historyId", itemId, "outputs", (long) outputs.count()),
                    refundEntryId(itemId),
                    null));
          }
          account.write();
          Long processing =
              item.createdAt() == null
                  ? null
                  : Math.max(0, Duration.between(item.createdAt(), now).toMillis());
          GenerationItem next =
              item.toBuilder()
                  .status(GenerationStatus.COMPLETED)
                  .images(outputs.images())
                  .videos(outputs.videos())
                  .audios(outputs.audios())
                  .processingTimeMs(processing)
                  .error(null)
                  .build();
          tx.update(
              ref(uid, itemId),
              Documents.update(
                  next,
                  COMPLETION_FIELDS,
                  GenerationItem.Field.COMPLETED_AT,
                  GenerationItem.Field.UPDATED_AT));
          return new Transition.Done(next);
        });
  }

  /**
   * Records that the provider was asked about a {@code generating} item at {@code at} and said it
   * is still running ({@code polledAt}); {@code updatedAt} is left alone (nothing about the item
   * changed). {@link Transition.NotGenerating} when it finished meanwhile.
   */
  public Transition markPolled(String uid, String itemId, Instant at) {
    return transactions.run(
        tx -> {
          Optional<GenerationItem> found = read(tx, uid, itemId);
          if (found.isEmpty()) {
            return new Transition.Missing();
          }
          GenerationItem item = found.get();
          if (item.status() != GenerationStatus.GENERATING) {
            return new Transition.NotGenerating(item);
          }
          GenerationItem next = item.toBuilder().polledAt(at).build();
          tx.update(
              ref(uid, itemId), Documents.update(next, List.of(GenerationItem.Field.POLLED_AT)));
          return new Transition.Done(next);
        });
  }

  /**
   * Settles {@code uid}'s HOLD {@code entryId} when it is still PENDING and no live item needs it:
   * its item (named by {@code meta.historyId}, else by the {@code sys_hold_<itemId>} id) is missing
   * or no longer {@code generating}. The hold is captured when that item completed (the user has
   * the result; completion captures in the same transaction, so only a hold left PENDING by hand
   * gets here) and reversed otherwise. One transaction reads the hold as applied, the item and the
   * balance and writes the entry, its applied record and the balance together, so a concurrent run
   * (or a late completion) settles the hold only once.
   */
  public HoldRelease settleOrphanHold(String uid, String entryId) {
    return transactions.run(
        tx -> {
          Optional<LedgerEntry> found = credits.readEntry(tx, uid, entryId);
          if (found.isEmpty() || found.get().type() != LedgerType.HOLD) {
            return HoldRelease.NOT_A_HOLD;
          }
          LedgerEntry hold = found.get();
          if (hold.status() != LedgerStatus.PENDING) {
            return HoldRelease.NOT_PENDING;
          }
          Optional<String> itemId = heldItemId(hold).filter(FirestorePaths::isValidId);
          Optional<GenerationItem> item =
              itemId.isEmpty() ? Optional.empty() : read(tx, uid, itemId.get());
          if (item.isPresent() && item.get().status() == GenerationStatus.GENERATING) {
            return HoldRelease.LIVE;
          }
          Account account = credits.load(tx, uid);
          if (account.opening()) {
            return HoldRelease.NO_ACCOUNT;
          }
          boolean delivered = item.isPresent() && item.get().status() == GenerationStatus.COMPLETED;
          LedgerStatus target = delivered ? LedgerStatus.CONFIRMED : LedgerStatus.REVERSED;
          if (account.settle(hold, target) != Account.Settlement.SETTLED) {
            return HoldRelease.NOT_PENDING;
          }
          account.write();
          return delivered ? HoldRelease.CAPTURED : HoldRelease.REVERSED;
        });
  }

  /** The history item a HOLD reserves for: {@code meta.historyId}, else its reserved id's tail. */
  public static Optional<String> heldItemId(LedgerEntry hold) {
    if (hold.meta().get("historyId") instanceof String id && !id.isEmpty()) {
      return Optional.of(id);
    }
    String prefix = holdEntryId("");
    return hold.id().startsWith(prefix) && hold.id().length() > prefix.length()
        ? Optional.of(hold.id().substring(prefix.length()))
        : Optional.empty();
  }

  /**
   * The owner's changes, checked against the item's state: only a completed item may become public
   * or unlisted; a deleted item changes no more (404, as for another user's item); cancel needs a
   * generating item. Nothing is written when nothing changes.
   */
  public Updated update(String uid, String itemId, Changes changes) {
    Updated updated =
        transactions.run(
            tx -> {
              GenerationItem item = read(tx, uid, itemId).orElseThrow(GenerationService::notFound);
              if (item.isDeleted()) {
                boolean onlyDelete =
                    changes.delete()
                        && changes.visibility().isEmpty()
                        && changes.tags().isEmpty()
                        && !changes.cancel();
                if (onlyDelete) {
                  return new Updated(item, false, Optional.empty(), Optional.empty());
                }
                throw notFound();
              }
              GenerationItem.Builder next = item.toBuilder();
              boolean cancelling = false;
              if (changes.cancel()) {
                if (item.status() == GenerationStatus.GENERATING) {
                  cancelling = true;
                  next.status(GenerationStatus.CANCELLED);
                } else if (item.status() != GenerationStatus.CANCELLED) {
                  throw new Refusal(
                      Refusal.Problem.CONFLICT,
                      "only a generating item can be cancelled",
                      Map.of("status", item.status().wire()));
                }
              }
              changes
                  .visibility()
                  .ifPresent(
                      v -> {
                        if (v != Visibility.PRIVATE
                            && item.status() != GenerationStatus.COMPLETED) {
                          throw new Refusal(
                              Refusal.Problem.CONFLICT,
                              "only a completed item can be " + v.wire(),
                              Map.of("status", item.status().wire()));
                        }
                        next.visibility(v).isPublic(v == Visibility.PUBLIC);
                      });
              changes.tags().ifPresent(next::tags);
              if (changes.delete()) {
                next.isDeleted(true);
              }
              GenerationItem after = next.build();
              if (after.equals(item)) {
                return new Updated(item, false, Optional.empty(), Optional.empty());
              }
              Optional<LedgerEntry> hold = cancelling ? readHold(tx, item) : Optional.empty();
              if (cancelling) {
                Account account = credits.load(tx, uid);
                hold.ifPresent(h -> account.settle(h, LedgerStatus.REVERSED));
                account.write();
              }
              List<String> stamps = new ArrayList<>(List.of(GenerationItem.Field.UPDATED_AT));
              if (changes.delete()) {
                stamps.add(GenerationItem.Field.DELETED_AT);
              }
              tx.update(
                  ref(uid, itemId),
                  Documents.update(after, OWNER_FIELDS, stamps.toArray(String[]::new)));
              return new Updated(
                  after,
                  true,
                  cancelling ? Optional.ofNullable(item.provider()) : Optional.empty(),
                  cancelling ? Optional.ofNullable(item.providerTaskId()) : Optional.empty());
            });
    return updated;
  }

  private Transition finish(
      String uid, String itemId, GenerationStatus status, GenerationError error) {
    return transactions.run(
        tx -> {
          Optional<GenerationItem> found = read(tx, uid, itemId);
          if (found.isEmpty()) {
            return new Transition.Missing();
          }
          GenerationItem item = found.get();
          if (item.status() != GenerationStatus.GENERATING) {
            return new Transition.NotGenerating(item);
          }
          Optional<LedgerEntry> hold = readHold(tx, item);
          Account account = credits.load(tx, uid);
          hold.ifPresent(h -> account.settle(h, LedgerStatus.REVERSED));
          account.write();
          GenerationItem next = item.toBuilder().status(status).error(error).build();
          tx.update(
              ref(uid, itemId),
              Documents.update(next, FAILURE_FIELDS, GenerationItem.Field.UPDATED_AT));
          return new Transition.Done(next);
        });
  }

  private Optional<LedgerEntry> readHold(Transaction tx, GenerationItem item) {
    return item.holdEntryId() == null
        ? Optional.empty()
        : credits.readEntry(tx, item.uid(), item.holdEntryId());
  }

  private Optional<GenerationItem> read(Transaction tx, String uid, String itemId) {
    return Transactions.read(tx, FirestorePaths.historyItem(uid, itemId), GenerationItem.class);
  }

  private String ref(String uid, String itemId) {
    return FirestorePaths.historyItem(uid, itemId);
  }

  private static Refusal notFound() {
    return new Refusal(Refusal.Problem.NOT_FOUND, "no such generation");
  }

  private static Refusal invalid(String field, String message) {
    return new Refusal(
        Refusal.Problem.INVALID_ARGUMENT,
        "request body has invalid fields",
        Map.of("fields", Map.of(field, message)));
  }
}
