package dev.atelier.idempotency;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.reflect.TypeToken;
import dev.atelier.firestore.Database;
import dev.atelier.firestore.Snapshot;
import dev.atelier.firestore.Transaction;
import dev.atelier.platform.Json;
import dev.atelier.platform.Refusal;
import dev.atelier.store.Documents;
import dev.atelier.store.FirestorePaths;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * {@code Idempotency-Key} handling for writes. The key (scoped per uid) and a hash of the request
 * are stored together with the first answer, inside the SAME transaction as the write, so a retry —
 * even a concurrent one — gets the first answer and causes no second effect; the same key with
 * another request is refused (IDEMPOTENCY_KEY_REUSED). Records expire ({@code expireAt}, TTL) after
 * 48 h.
 */
public final class Idempotency {

  static final Duration RETENTION = Duration.ofHours(48);

  /** No key given: never replays, remembers nothing. */
  public static final Guard NONE = new Guard(null, null, null, null, null, null);

  private Idempotency() {}

  /**
   * The guard for one request: {@link #NONE} without a key.
   *
   * @param request what identifies the request besides the key (e.g. its path and raw body)
   */
  public static Guard guard(
      Database db, Clock clock, String uid, Optional<String> key, String request) {
    return key.map(
            k ->
                new Guard(
                    db,
                    FirestorePaths.idempotencyRecord(uid, sha256(k)),
                    uid,
                    k,
                    sha256(request),
                    clock))
        .orElse(NONE);
  }

  public static final class Guard {
    private final Database db;
    private final String ref;
    private final String uid;
    private final String key;
    private final String requestHash;
    private final Clock clock;

    private Guard(
        Database db, String ref, String uid, String key, String requestHash, Clock clock) {
      this.db = db;
      this.ref = ref;
      this.uid = uid;
      this.key = key;
      this.requestHash = requestHash;
      this.clock = clock;
    }

    /** The idempotency key, if any (recorded on ledger entries). */
    public Optional<String> key() {
      return Optional.ofNullable(key);
    }

    /**
     * Call first in the transaction: the stored first answer for this key and request, if any (a
     * stored refusal is thrown again).
     *
     * @throws Refusal IDEMPOTENCY_KEY_REUSED when the key was used for another request
     */
    public <T> Optional<T> replay(Transaction tx, Class<T> type) {
      if (ref == null) {
        return Optional.empty();
      }
      return answer(tx.get(ref), type);
    }

    /**
     * Outside any transaction: the first answer, if this key and request were already answered (or
     * the stored refusal thrown again). A cheap early exit before rate limits and routing; {@link
     * #replay} inside the write's transaction still decides races.
     */
    public <T> Optional<T> peek(Class<T> type) {
      return ref == null ? Optional.empty() : answer(db.get(ref), type);
    }

    private <T> Optional<T> answer(Snapshot stored, Class<T> type) {
      if (!stored.exists()) {
        return Optional.empty();
      }
      IdempotencyRecord record = Documents.read(stored, IdempotencyRecord.class).orElseThrow();
      if (!requestHash.equals(record.requestHash())) {
        throw new Refusal(
            Refusal.Problem.IDEMPOTENCY_KEY_REUSED,
            "Idempotency-Key was already used for a different request");
      }
      if (record.refusal() != null) {
        throw storedRefusal(record.refusal());
      }
      return Optional.of(Json.GSON.fromJson(record.response(), type));
    }

    /** Call last in the transaction, with the answer being committed. */
    public void remember(Transaction tx, Object response) {
      if (ref == null) {
        return;
      }
      IdempotencyRecord record =
          new IdempotencyRecord(
              ref.substring(ref.lastIndexOf('/') + 1),
              uid,
              key,
              requestHash,
              Json.GSON.toJson(response),
              null,
              null,
              clock.instant().plus(RETENTION));
      tx.create(ref, Documents.encode(record, IdempotencyRecord.Field.CREATED_AT));
    }

    /**
     * After the write committed, replaces the remembered answer with the refusal the request
     * finally got (e.g. the provider dispatch failed after the HOLD was taken), so a retry gets
     * that refusal too.
     */
    public void rememberRefusal(Refusal refusal) {
      if (ref == null) {
        return;
      }
      JsonObject json = new JsonObject();
      json.addProperty("problem", refusal.problem().name());
      json.addProperty("message", refusal.reason());
      json.add("details", Json.GSON.toJsonTree(refusal.details()));
      refusal.retryAfter().ifPresent(d -> json.addProperty("retryAfterMillis", d.toMillis()));
      db.batch().update(ref, Map.of(IdempotencyRecord.Field.REFUSAL, json.toString())).commit();
    }
  }

  private static Refusal storedRefusal(String stored) {
    JsonObject json = JsonParser.parseString(stored).getAsJsonObject();
    Map<String, Object> details =
        Json.GSON.fromJson(json.get("details"), new TypeToken<Map<String, Object>>() {}.getType());
    Duration retryAfter =
        json.has("retryAfterMillis")
            ? Duration.ofMillis(json.get("retryAfterMillis").getAsLong())
            : null;
    return new Refusal(
        Refusal.Problem.valueOf(json.get("problem").getAsString()),
        json.get("message").getAsString(),
        details,
        retryAfter);
  }

  static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
