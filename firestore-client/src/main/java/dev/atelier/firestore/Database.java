package dev.atelier.firestore;

import com.google.auth.oauth2.GoogleCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.auth.MoreCallCredentials;
import io.grpc.okhttp.OkHttpChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A Firestore database (the project's {@code (default)}), thread-safe, one per instance: documents
 * read alone or together, queries, read-write transactions and batched writes. Paths are relative
 * to the database's documents ({@code users/u1}).
 */
public final class Database implements AutoCloseable {
  private static final String HOST = "firestore.googleapis.com";
  private static final List<String> SCOPES =
      List.of(
          "https://www.googleapis.com/auth/cloud-platform",
          "https://www.googleapis.com/auth/datastore");

  /** Codes on which a transaction runs again (the official clients' list). */
  private static final Set<Status.Code> RETRY_TRANSACTION =
      Set.of(
          Status.Code.ABORTED,
          Status.Code.CANCELLED,
          Status.Code.UNKNOWN,
          Status.Code.DEADLINE_EXCEEDED,
          Status.Code.INTERNAL,
          Status.Code.UNAVAILABLE,
          Status.Code.UNAUTHENTICATED,
          Status.Code.RESOURCE_EXHAUSTED);

  private record Connection(ManagedChannel channel, Rpc rpc) {}

  private final CompletableFuture<Connection> connection;

  private Database(CompletableFuture<Connection> connection) {
    this.connection = connection;
  }

  private Database(ManagedChannel channel, Rpc rpc) {
    this(CompletableFuture.completedFuture(new Connection(channel, rpc)));
  }

  /**
   * A database whose connection another thread is making (an instance's start-up): its calls wait
   * for it, and fail as it failed.
   */
  public static Database deferred(CompletableFuture<Database> connecting) {
    return new Database(connecting.thenCompose(db -> db.connection));
  }

  /**
   * The project's database: with an emulator host ({@code 127.0.0.1:8080}) over plaintext as its
   * owner, else Firestore itself over TLS with the application's default credentials.
   */
  public static Database connect(String projectId, Optional<String> emulatorHost) {
    String database = "projects/" + projectId + "/databases/(default)";
    if (emulatorHost.isPresent()) {
      ManagedChannel channel =
          OkHttpChannelBuilder.forTarget(emulatorHost.get())
              .usePlaintext()
              .maxInboundMessageSize(Integer.MAX_VALUE)
              .build();
      return new Database(channel, new Rpc(channel, null, "Bearer owner", database));
    }
    GoogleCredentials credentials;
    try {
      credentials = GoogleCredentials.getApplicationDefault().createScoped(SCOPES);
    } catch (IOException e) {
      throw new UncheckedIOException("no application default credentials for Firestore", e);
    }
    ManagedChannel channel =
        OkHttpChannelBuilder.forAddress(HOST, 443)
            .useTransportSecurity()
            .maxInboundMessageSize(Integer.MAX_VALUE)
            .build();
    return new Database(
        channel, new Rpc(channel, MoreCallCredentials.from(credentials), null, database));
  }

  Rpc rpc() {
    return connection().rpc();
  }

  private Connection connection() {
    try {
      return connection.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ID_ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  /**
   * A new document id as Firestore's clients make them: 20 random characters of [A-Za-z0-9] (so new
   * documents spread over the key space).
   */
  public static String autoId() {
    char[] id = new char[20];
    for (int i = 0; i < id.length; i++) {
      id[i] = ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length()));
    }
    return new String(id);
  }

  /** {@code projects/<project>/databases/(default)}. */
  public String name() {
    return rpc().database;
  }

  public Snapshot get(String path) {
    return getAll(List.of(path)).get(0);
  }

  /** The documents in the order asked for (missing ones as non-existent snapshots). */
  public List<Snapshot> getAll(List<String> paths) {
    return read(paths, null);
  }

  public List<Snapshot> getAll(String... paths) {
    return read(List.of(paths), null);
  }

  public Query collection(String path) {
    return Query.collection(this, path);
  }

  /** Every collection named {@code collectionId}, wherever it is. */
  public Query collectionGroup(String collectionId) {
    return Query.collectionGroup(this, collectionId);
  }

  public WriteBatch batch() {
    return new WriteBatch(this);
  }

  /** One write, committed now: see {@link WriteBatch} for each kind. */
  public void create(String path, Map<String, ?> fields) {
    batch().create(path, fields).commit();
  }

  public void set(String path, Map<String, ?> fields) {
    batch().set(path, fields).commit();
  }

  public void merge(String path, Map<String, ?> fields) {
    batch().merge(path, fields).commit();
  }

  public void update(String path, Map<String, ?> fields) {
    batch().update(path, fields).commit();
  }

  public void delete(String path) {
    batch().delete(path).commit();
  }

  /**
   * Runs {@code body} in a read-write transaction and commits its writes, up to {@code attempts}
   * times: again, after a backoff, when Firestore aborts it (contention) or a call fails
   * transiently; a later attempt names the earlier one, so it keeps its place in line. An exception
   * thrown by the body itself rolls back and comes out unchanged, as does a failure that no retry
   * mends (a create that finds its document: ALREADY_EXISTS). The body's first read begins the
   * transaction (see {@link Transaction}).
   */
  public <T> T runTransaction(Transaction.Body<T> body, int attempts) {
    byte[] previous = null;
    for (int attempt = 1; ; attempt++) {
      if (attempt > 1) {
        Backoff.sleep(attempt - 1);
      }
      boolean last = attempt >= attempts;
      Transaction tx = new Transaction(this, previous);
      T result;
      try {
        result = body.run(tx);
      } catch (FirestoreError e) {
        rollbackQuietly(tx.id());
        if (last || !retries(e)) {
          throw e;
        }
        previous = tx.id() != null ? tx.id() : previous;
        continue;
      } catch (RuntimeException | Error e) {
        rollbackQuietly(tx.id());
        throw e;
      }
      try {
        // A body that read nothing began no transaction: its writes commit as one batch.
        commit(tx.writes(), tx.id());
        return result;
      } catch (FirestoreError e) {
        if (e.code() != Status.Code.ABORTED) {
          rollbackQuietly(tx.id());
        }
        if (last || !retries(e)) {
          throw e;
        }
        previous = tx.id() != null ? tx.id() : previous;
      }
    }
  }

  private static boolean retries(FirestoreError e) {
    return RETRY_TRANSACTION.contains(e.code())
        || (e.code() == Status.Code.INVALID_ARGUMENT
            && e.getMessage().contains("transaction has expired"));
  }

  /**
   * Every field of every response of a streaming read, handed to {@code field} in order, the read
   * run in {@code transaction} when that is not null: the request names it or, as its first read,
   * begins it, and the id of one begun is taken from the response here. A read that begins a
   * transaction is not repeated on a transient failure (the runner repeats the attempt).
   */
  void stream(
      Rpc.Read read,
      ProtoWriter request,
      String routing,
      String what,
      Transaction transaction,
      Consumer<ProtoReader> field) {
    if (transaction != null) {
      transaction.select(request, read.transaction, read.newTransaction);
    }
    boolean repeatable = transaction == null || transaction.id() != null;
    for (ProtoReader response : rpc().stream(read.method, request, routing, what, repeatable)) {
      while (response.next()) {
        if (transaction != null && response.field() == read.begun) {
          transaction.begun(response.bytes());
        } else {
          field.accept(response);
        }
      }
    }
    if (transaction != null) {
      transaction.requireBegun(what);
    }
  }

  private void rollbackQuietly(byte[] id) {
    if (id == null) {
      return;
    }
    try {
      rpc()
          .callRepeatable(
              Rpc.ROLLBACK,
              new ProtoWriter()
                  .string(Proto.RollbackRequest.DATABASE, rpc().database)
                  .bytes(Proto.RollbackRequest.TRANSACTION, id),
              rpc().routeToDatabase(),
              "roll back");
    } catch (FirestoreError ignored) {
      // The transaction ends on its own when its lease runs out; the caller's error matters more.
    }
  }

  void commit(Writes writes, byte[] transaction) {
    if (writes.isEmpty() && transaction == null) {
      return;
    }
    rpc().call(Rpc.COMMIT, commitRequest(writes, transaction), rpc().routeToDatabase(), "commit");
  }

  CompletableFuture<Void> commitAsync(Writes writes) {
    if (writes.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return rpc()
        .callAsync(Rpc.COMMIT, commitRequest(writes, null), rpc().routeToDatabase(), "commit");
  }

  private ProtoWriter commitRequest(Writes writes, byte[] transaction) {
    ProtoWriter request = new ProtoWriter().string(Proto.CommitRequest.DATABASE, rpc().database);
    writes.list().forEach(w -> request.message(Proto.CommitRequest.WRITES, w));
    if (transaction != null) {
      request.bytes(Proto.CommitRequest.TRANSACTION, transaction);
    }
    return request;
  }

  /** The documents, read in {@code transaction} (or outside any when it is null). */
  List<Snapshot> read(List<String> paths, Transaction transaction) {
    if (paths.isEmpty()) {
      return List.of();
    }
    List<String> names = new ArrayList<>(paths.size());
    for (String p : paths) {
      names.add(Paths.name(rpc().documents, p));
    }
    ProtoWriter request =
        new ProtoWriter().string(Proto.BatchGetDocumentsRequest.DATABASE, rpc().database);
    names.stream()
        .distinct()
        .forEach(name -> request.string(Proto.BatchGetDocumentsRequest.DOCUMENTS, name));
    Map<String, Snapshot> byName = new HashMap<>();
    stream(
        Rpc.Read.BATCH_GET,
        request,
        rpc().routeToDatabase(),
        "read " + paths,
        transaction,
        response -> {
          if (response.field() == Proto.BatchGetDocumentsResponse.FOUND) {
            Snapshot found = snapshot(response.message());
            byName.put(rpc().documents + "/" + found.path(), found);
          } else {
            response.skip();
          }
        });
    List<Snapshot> out = new ArrayList<>(paths.size());
    for (int i = 0; i < paths.size(); i++) {
      Snapshot s = byName.get(names.get(i));
      out.add(s != null ? s : Snapshot.missing(paths.get(i)));
    }
    return out;
  }

  /** A {@code Document} message as read. */
  Snapshot snapshot(ProtoReader document) {
    String name = null;
    Map<String, Object> fields = new LinkedHashMap<>();
    Instant created = null;
    Instant updated = null;
    while (document.next()) {
      switch (document.field()) {
        case Proto.Document.NAME -> name = document.string();
        case Proto.Document.FIELDS -> Values.putEntry(fields, document.message());
        case Proto.Document.CREATE_TIME -> created = Values.timestamp(document.message());
        case Proto.Document.UPDATE_TIME -> updated = Values.timestamp(document.message());
        default -> document.skip();
      }
    }
    if (name == null || created == null || updated == null) {
      throw new IllegalStateException("Firestore sent a document without its name or times");
    }
    return new Snapshot(
        Paths.relative(rpc().documents, name),
        true,
        fields,
        Optional.of(created),
        Optional.of(updated));
  }

  @Override
  public void close() {
    ManagedChannel channel = connection().channel();
    channel.shutdown();
    try {
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
