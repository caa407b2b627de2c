package dev.atelier.http;

import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.Transaction;
import dev.atelier.store.Documents;
import dev.atelier.store.FirestorePaths;
import dev.atelier.store.IdempotencyRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * {@code Idempotency-Key} handling for HTTP writes. The key (scoped per uid) and a hash of the request
 * are stored together with the first successful answer, inside the SAME transaction as the write, so
 * a retry — even a concurrent one — gets the first answer and causes no second effect; the same key
 * with another request is 409 IDEMPOTENCY_KEY_REUSED. Records expire ({@code expireAt}, TTL) after 48 h.
 */
public final class Idempotency {

  static final Duration RETENTION = Duration.ofHours(48);

  /** No key given: never replays, remembers nothing. */
  public static final Guard NONE = new Guard(null, null, null, null, null);

  private Idempotency() {}

  /** The guard for one call: {@link #NONE} without a key. */
  public static Guard guard(Firestore db, Clock clock, HttpEndpoint.Call call) {
    return call.idempotencyKey()
        .map(key -> new Guard(db.document(FirestorePaths.idempotencyRecord(call.user().uid(), sha256(key))),
            call.user().uid(), key, sha256(call.path() + "\n" + call.rawBody()), clock))
        .orElse(NONE);
  }

  public static final class Guard {
    private final DocumentReference ref;
    private final String uid;
    private final String key;
    private final String requestHash;
    private final Clock clock;

    private Guard(DocumentReference ref, String uid, String key, String requestHash, Clock clock) {
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
     * Call first in the transaction: the stored first answer for this key and request, if any.
     *
     * @throws ApiException 409 IDEMPOTENCY_KEY_REUSED when the key was used for another request
     */
    public <T> Optional<T> replay(Transaction tx, Class<T> type) throws InterruptedException, ExecutionException {
      if (ref == null) {
        return Optional.empty();
      }
      DocumentSnapshot stored = tx.get(ref).get();
      if (!stored.exists()) {
        return Optional.empty();
      }
      if (!requestHash.equals(stored.getString(IdempotencyRecord.Field.REQUEST_HASH))) {
        throw new ApiException(ErrorCode.IDEMPOTENCY_KEY_REUSED, "Idempotency-Key was already used for a different request");
      }
      return Optional.of(HttpEndpoint.GSON.fromJson(stored.getString(IdempotencyRecord.Field.RESPONSE), type));
    }

    /** Call last in the transaction, with the answer being committed. */
    public void remember(Transaction tx, Object response) {
      if (ref == null) {
        return;
      }
      IdempotencyRecord record = new IdempotencyRecord(ref.getId(), uid, key, requestHash,
          HttpEndpoint.GSON.toJson(response), null, clock.instant().plus(RETENTION));
      Map<String, Object> doc = Documents.encode(record, IdempotencyRecord.Field.CREATED_AT);
      tx.create(ref, doc);
    }
  }

  static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
