package dev.atelier.platform;

import com.google.firebase.auth.FirebaseAuth;
import dev.atelier.firestore.Database;
import dev.atelier.store.FirestorePaths;
import dev.atelier.store.Transactions;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Security;
import java.time.Clock;
import java.util.Base64;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * The expensive clients of a deployed instance, built on daemon threads started from the function's
 * no-arg constructor. The invoker builds the function before its server listens, so whatever the
 * constructor does delays the port; started here, the Firestore client (with its channel and first
 * RPC) and Firebase Auth (with the token verifier's first use) build in parallel with each other
 * and with the server's start, and the first request waits only for what is not ready yet. Tests
 * build their clients directly.
 */
public final class InstanceStart {

  private InstanceStart() {}

  /**
   * A Firestore client being built now in the background, then warmed by one transactional read of
   * {@code system/config} (opens the channel, loads the transaction path; one billed read per
   * instance). Calls on the returned client wait until it is built, not for the warm-up.
   */
  public static Database firestore(Config config) {
    // gRPC's OkHttp transport builds the JDK's TLS state when it builds its first channel, even for
    // the emulator's plaintext: every security provider, the default context, a TLS context and
    // its trust store, ~27 % of the client thread's CPU. Built on a thread of their own they
    // overlap the client's options and credentials (won 12 of 16 paired rounds, bench/README); in
    // production the token verifier's key fetch needs them too.
    background(config, "tls", InstanceStart::tlsContext, context -> {});
    CompletableFuture<Database> built =
        background(
            config,
            "firestore-client",
            () -> Clients.firestore(config),
            db -> {
              try {
                db.runTransaction(
                    tx -> tx.get(FirestorePaths.systemConfig()), Transactions.ATTEMPTS);
              } catch (RuntimeException e) {
                // Only a warm-up: the first request meets the same problem and reports it.
                JsonLog.forFunction(config.functionName())
                    .warn("Firestore warm-up read failed: " + e.getMessage());
              }
            });
    return Database.deferred(built);
  }

  /**
   * Firebase Auth for the project, being built now in the background and warmed by verifying a
   * token-shaped dummy (loads the verifier; in production it fetches Google's public keys, which
   * the first real token would otherwise wait for).
   */
  public static CompletableFuture<FirebaseAuth> auth(Config config) {
    return background(
        config,
        "firebase-auth",
        () -> FirebaseAuth.getInstance(Clients.firebaseApp(config)),
        auth -> {
          try {
            auth.verifyIdToken(dummyToken(config.projectId(), Clock.systemUTC()));
          } catch (Exception expected) {
            // The dummy is refused (bad signature, or no such user in the emulator): that is fine.
          }
        });
  }

  /**
   * Another expensive client (Cloud Storage, an HTTP client) being built now on a start-up thread
   * of its own, so that the constructor, and with it the port, does not wait for it: calls on the
   * client join the future ({@link #join}).
   */
  public static <T> CompletableFuture<T> client(Config config, String name, Callable<T> build) {
    return background(config, name, build, client -> {});
  }

  /** What OkHttp's {@code Platform} initialises first: see {@link #firestore}. */
  private static SSLContext tlsContext() throws GeneralSecurityException {
    Security.getProviders();
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, null, null);
    tls.createSSLEngine();
    return SSLContext.getDefault();
  }

  /** The future's value, or its failure's own exception (not a CompletionException). */
  public static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
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

  /**
   * Builds a client on a daemon thread, completes the future as soon as it is built, then warms it
   * up on the same thread. Complete before the warm-up: on a cold start the request that started
   * the instance is usually already waiting, and it goes on at once instead of after a warm-up
   * whose work (loading the call path) it would do anyway (bench/README: won 9 of 12 rounds).
   */
  private static <T> CompletableFuture<T> background(
      Config config, String name, Callable<T> build, Consumer<T> warmUp) {
    CompletableFuture<T> future = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              long started = System.nanoTime();
              T value;
              try {
                value = build.call();
              } catch (Throwable e) {
                future.completeExceptionally(e);
                return;
              }
              future.complete(value);
              long built = System.nanoTime();
              warmUp.accept(value);
              // How long after the process started each client was ready: the cold-start budget.
              JsonLog.forFunction(config.functionName())
                  .info(
                      "instance start: "
                          + name
                          + " built "
                          + (built - started) / 1_000_000
                          + " ms after it started, warmed up "
                          + (System.nanoTime() - built) / 1_000_000
                          + " ms later, "
                          + ManagementFactory.getRuntimeMXBean().getUptime()
                          + " ms after the JVM started, "
                          + ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime()
                              / 1_000_000
                          + " ms of CPU");
            },
            "instance-start-" + name);
    thread.setDaemon(true);
    thread.start();
    return future;
  }

  /**
   * Passes the verifier's content checks (issuer, audience, times, subject) so that it goes on to
   * the signature, which fails: an RS256 header with an unknown key id and no valid signature.
   */
  static String dummyToken(String projectId, Clock clock) {
    long now = clock.instant().getEpochSecond();
    String header = "{\"alg\":\"RS256\",\"kid\":\"atelier-warm-up\",\"typ\":\"JWT\"}";
    String payload =
        "{\"iss\":\"https://securetoken.google.com/"
            + projectId
            + "\",\"aud\":\""
            + projectId
            + "\",\"sub\":\"atelier-warm-up\",\"user_id\":\"atelier-warm-up\",\"iat\":"
            + (now - 1)
            + ",\"auth_time\":"
            + (now - 1)
            + ",\"exp\":"
            + (now + 300)
            + "}";
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString(header.getBytes(StandardCharsets.UTF_8))
        + "."
        + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8))
        + "."
        + b64.encodeToString(new byte[] {0});
  }
}
