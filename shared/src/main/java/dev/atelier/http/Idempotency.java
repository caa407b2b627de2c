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
      return answer(tx.get(ref).get(), type);
    }

    private <T> Optional<T> answer(DocumentSnapshot stored, Class<T> type) {
      if (!stored.exists()) {
        return Optional.empty();
      }
      IdempotencyRecord record = Documents.read(stored, IdempotencyRecord.class).orElseThrow();
      if (!requestHash.equals(record.requestHash())) {
        throw new ApiException(ErrorCode.IDEMPOTENCY_KEY_REUSED, "Idempotency-Key was already used for a different request");
      }
      if (record.statusCode() != null) {
        throw storedError(record);
      }
      return Optional.of(HttpEndpoint.GSON.fromJson(record.response(), type));
    }

    /**
     * Outside any transaction: the first answer, if this key and request were already answered (or the
     * stored error thrown again). A cheap early exit before rate limits and routing; {@link #replay}
     * inside the write's transaction still decides races.
     */
    public <T> Optional<T> peek(Class<T> type) {
      if (ref == null) {
        return Optional.empty();
      }
      try {
        return answer(ref.get().get(), type);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } catch (ExecutionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
      }
    }

    /**
     * After the write committed, replaces the remembered answer with the error the request finally got
     * (e.g. the provider dispatch failed after the HOLD was taken), so a retry sees that error too.
     */
    public void rememberFailure(ApiException error) {
      if (ref == null) {
        return;
      }
      Map<String, Object> update = new java.util.LinkedHashMap<>();
      update.put(IdempotencyRecord.Field.RESPONSE, error.error().toJson());
      update.put(IdempotencyRecord.Field.STATUS_CODE, (long) error.error().httpStatus());
      update.put(IdempotencyRecord.Field.HEADERS, new java.util.LinkedHashMap<String, Object>(error.headers()));
      try {
        ref.update(update).get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } catch (ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      }
    }

    /** Call last in the transaction, with the answer being committed. */
    public void remember(Transaction tx, Object response) {
      if (ref == null) {
        return;
      }
      IdempotencyRecord record = new IdempotencyRecord(ref.getId(), uid, key, requestHash,
          HttpEndpoint.GSON.toJson(response), null, clock.instant().plus(RETENTION), null, null);
      Map<String, Object> doc = Documents.encode(record, IdempotencyRecord.Field.CREATED_AT);
      tx.create(ref, doc);
    }
  }

  /** The remembered error answer, as the client first got it. */
  private static ApiException storedError(IdempotencyRecord record) {
    com.google.gson.JsonObject error = com.google.gson.JsonParser.parseString(record.response()).getAsJsonObject()
        .getAsJsonObject("error");
    ErrorCode code = ErrorCode.valueOf(error.get("code").getAsString());
    Map<String, Object> details = error.has("details")
        ? HttpEndpoint.GSON.fromJson(error.get("details"), new com.google.gson.reflect.TypeToken<Map<String, Object>>() {}.getType())
        : Map.of();
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    record.headers().forEach((k, v) -> headers.put(k, String.valueOf(v)));
    return new ApiException(new ApiError(code, error.get("message").getAsString(), details), headers);
  }

  static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
