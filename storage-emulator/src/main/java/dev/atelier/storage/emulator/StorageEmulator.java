package dev.atelier.storage.emulator;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * A Cloud Storage JSON API server on 127.0.0.1, in memory. Embedded: {@code try (var gcs =
 * StorageEmulator.start(0)) {...}} and point the client at {@link #baseUrl()}. Standalone: {@code
 * java -jar atelier-storage-emulator.jar --port 9199 [--bucket NAME]... [--verbose]}.
 */
public final class StorageEmulator implements AutoCloseable {
  /** Firebase's Storage emulator port, so existing habits and tools find it. */
  public static final int DEFAULT_PORT = 9199;

  private final HttpServer server;
  private final ExecutorService executor;
  private final ObjectStore store;
  private final JsonApiHandler handler;

  private StorageEmulator(
      HttpServer server, ExecutorService executor, ObjectStore store, JsonApiHandler handler) {
    this.server = server;
    this.executor = executor;
    this.store = store;
    this.handler = handler;
  }

  /** Starts on the given port (0 picks a free one), loopback only. */
  public static StorageEmulator start(int port) throws IOException {
    return start(port, line -> {});
  }

  /** As {@link #start(int)}, reporting every request line to {@code requestLog}. */
  public static StorageEmulator start(int port, Consumer<String> requestLog) throws IOException {
    ObjectStore store = new ObjectStore(Clock.systemUTC());
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    ExecutorService executor =
        Executors.newCachedThreadPool(
            runnable -> {
              Thread thread = new Thread(runnable, "storage-emulator");
              thread.setDaemon(true);
              return thread;
            });
    JsonApiHandler handler = new JsonApiHandler(store, requestLog);
    server.createContext("/", handler);
    server.setExecutor(executor);
    server.start();
    return new StorageEmulator(server, executor, store, handler);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * The value for {@code STORAGE_EMULATOR_HOST} and the client's {@code setHost}: {@code
   * http://127.0.0.1:PORT}.
   */
  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  /**
   * Creates a bucket if it does not exist yet. Uploads create their bucket anyway; this is for code
   * that lists or reads a bucket before anything was uploaded (in production Terraform creates it).
   */
  public void ensureBucket(String name) {
    store.ensureBucket(name);
  }

  /** Deletes every bucket, object and upload session (also {@code POST /emulator/v1/reset}). */
  public void reset() {
    handler.reset();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  public static void main(String[] args) throws Exception {
    int port = DEFAULT_PORT;
    boolean verbose = false;
    List<String> buckets = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[++i]);
        case "--bucket" -> buckets.add(args[++i]);
        case "--verbose" -> verbose = true;
        default -> {
          System.err.println("usage: StorageEmulator [--port N] [--bucket NAME]... [--verbose]");
          System.exit(2);
        }
      }
    }
    Consumer<String> log = verbose ? System.out::println : line -> {};
    StorageEmulator emulator = start(port, log);
    buckets.forEach(emulator::ensureBucket);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  emulator.close();
                  stopped.countDown();
                }));
    System.out.println(
        "Storage emulator listening on "
            + emulator.baseUrl()
            + " (set STORAGE_EMULATOR_HOST="
            + emulator.baseUrl()
            + ")");
    stopped.await();
  }
}
