package dev.atelier.emulator;

import dev.atelier.emulator.engine.IndexRules;
import dev.atelier.emulator.rules.FirestoreRules;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.InternalNettyServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * An in-memory Firestore speaking the real v1 gRPC API, with Google's emulator admin HTTP API and
 * the REST document reads on the same port (one Netty server; see {@link ConnectionSniffer}), plus
 * strict index mode, operation counters, fault injection and a change hook. With {@link
 * Builder#rules rules}, requests are authorized as Google's emulator does: {@code Bearer owner}
 * (server SDKs) bypasses them, a Firebase ID token or no token is decided by the rules (REST reads
 * included).
 */
public final class FirestoreEmulator implements AutoCloseable {
  private final String host;
  private final IndexGuard indexGuard;
  private final DocumentStore store = new DocumentStore();
  private final OperationCounters counters = new OperationCounters();
  private final Faults faults = new Faults();
  private final ChangeDispatcher dispatcher = new ChangeDispatcher();
  private final TransactionManager transactions;
  private final Server grpc;
  private final boolean rulesEnforced;

  /** Options for {@link #start}. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port;
    private Optional<IndexRules> indexRules = Optional.empty();
    private Optional<FirestoreRules> rules = Optional.empty();
    private Duration lockLease = Duration.ofSeconds(5);
    private int maxActiveTransactions = 3;

    private Builder() {}

    public Builder host(String host) {
      this.host = Objects.requireNonNull(host);
      return this;
    }

    /** 0 (the default) picks a free port. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Strict index mode: queries needing an index these rules lack fail FAILED_PRECONDITION. */
    public Builder indexRules(IndexRules rules) {
      this.indexRules = Optional.of(rules);
      return this;
    }

    /** Security rules: requests other than the owner's are allowed only as the rules say. */
    public Builder rules(FirestoreRules firestoreRules) {
      this.rules = Optional.of(firestoreRules);
      return this;
    }

    /**
     * Security rules from a file such as firestore.rules.
     *
     * @throws dev.atelier.emulator.rules.lang.RulesSyntaxException when the file does not parse,
     *     with the line and column
     */
    public Builder rules(Path file) throws IOException {
      return rules(FirestoreRules.load(file));
    }

    /** How long a transaction may stay idle before it loses its locks. */
    public Builder lockLease(Duration lease) {
      this.lockLease = lease;
      return this;
    }

    /**
     * How many read-write transactions may be open at once (others wait in BeginTransaction). Keep
     * it below the Java client's executor size (4 on small machines) so locked reads cannot starve
     * it.
     */
    public Builder maxActiveTransactions(int max) {
      this.maxActiveTransactions = max;
      return this;
    }

    public FirestoreEmulator start() throws IOException {
      return new FirestoreEmulator(this);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  private FirestoreEmulator(Builder options) throws IOException {
    this.host = options.host;
    this.indexGuard = new IndexGuard(options.indexRules);
    this.transactions =
        new TransactionManager(
            store,
            options.lockLease.toNanos(),
            options.maxActiveTransactions,
            dispatcher::committed,
            dispatcher::wiped);
    this.rulesEnforced = options.rules.isPresent();
    RulesGuard rulesGuard = new RulesGuard(options.rules, store);
    FirestoreService service =
        new FirestoreService(
            store, transactions, dispatcher, indexGuard, rulesGuard, counters, faults);
    io.grpc.ServerServiceDefinition definition =
        options.rules.isPresent()
            ? io.grpc.ServerInterceptors.intercept(
                service, new EagerHeaders(), new AuthInterceptor(Clock.systemUTC()))
            : io.grpc.ServerInterceptors.intercept(service, new EagerHeaders());
    this.grpc =
        NettyServerBuilder.forAddress(
                new InetSocketAddress(options.host, options.port),
                InternalNettyServerCredentials.create(
                    new SharedPortNegotiator(
                        new AdminHttp(this, new RestReads(store, counters, rulesGuard)))))
            .addService(definition)
            .directExecutor()
            .maxInboundMessageSize(64 * 1024 * 1024)
            .build()
            .start();
  }

  /** Whether requests other than the owner's are decided by security rules. */
  public boolean rulesEnforced() {
    return rulesEnforced;
  }

  public int port() {
    return grpc.getPort();
  }

  /** "host:port", the value for FIRESTORE_EMULATOR_HOST. */
  public String hostAndPort() {
    return host + ":" + port();
  }

  /** Deletes every document of the project's default database. */
  public void wipe(String projectId) {
    wipe(projectId, "(default)");
  }

  public void wipe(String projectId, String databaseId) {
    transactions.wipe("projects/" + projectId + "/databases/" + databaseId + "/documents/");
    counters.reset();
  }

  public Counters counters() {
    return counters.snapshot();
  }

  public void resetCounters() {
    counters.reset();
  }

  /** The next {@code count} Commit calls fail with ABORTED. */
  public void abortNextCommits(int count) {
    faults.failNextCommits(count, io.grpc.Status.Code.ABORTED, "");
  }

  /**
   * The next {@code count} Commit calls fail with {@code code} (a transaction's retries stop at a
   * code its client does not retry, such as PERMISSION_DENIED).
   */
  public void failNextCommits(int count, io.grpc.Status.Code code) {
    faults.failNextCommits(count, code, "");
  }

  /**
   * The next {@code count} Commit calls that write a document at or below {@code under} (a document
   * or collection path such as {@code users/u1/items}) fail with {@code code}; other commits pass
   * and do not count.
   */
  public void failNextCommitsUnder(String under, int count, io.grpc.Status.Code code) {
    faults.failNextCommits(count, code, under);
  }

  /** Every RPC answers only after {@code delay} (zero turns it off). */
  public void delayResponses(Duration delay) {
    faults.delayResponses(delay);
  }

  /**
   * The queries strict index mode refused since the last call (each message names the index to
   * declare): a test harness fails the test on any, even when the code under test swallowed the
   * error.
   */
  public List<String> takeMissingIndexes() {
    return indexGuard.takeRejected();
  }

  public void clearFaults() {
    faults.clear();
  }

  public void addChangeListener(ChangeListener listener) {
    dispatcher.addListener(listener);
  }

  public void clearChangeListeners() {
    dispatcher.clearListeners();
  }

  @Override
  public void close() {
    grpc.shutdownNow();
    try {
      grpc.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    dispatcher.close();
  }
}
