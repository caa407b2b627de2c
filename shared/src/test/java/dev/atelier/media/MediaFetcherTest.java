package dev.atelier.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.atelier.media.MediaRejected.Reason;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * MediaFetcher over real HTTP against a loopback server that misbehaves in every way a provider's
 * CDN could.
 */
class MediaFetcherTest {
  private static final Set<MediaFormat> IMAGES =
      Set.of(MediaFormat.PNG, MediaFormat.JPEG, MediaFormat.WEBP);
  private static final byte[] PNG = png(2_000);

  /** Loopback allowed, http allowed, a short timeout so a hang fails the test quickly. */
  private static final FetchLimits LOOPBACK =
      new FetchLimits(1024 * 1024, Duration.ofSeconds(5), false, true);

  /**
   * A name the test resolver maps to a public address; the client reaches it through the server as
   * a proxy.
   */
  private static final String PUBLIC_HOST = "cdn.media.test";

  private static HttpServer server;
  private static ExecutorService executor;
  private static final AtomicInteger requests = new AtomicInteger();
  private static final AtomicLong endlessBytesWritten = new AtomicLong();

  @BeforeAll
  static void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    executor =
        Executors.newCachedThreadPool(
            runnable -> {
              Thread thread = new Thread(runnable, "fetch-test-server");
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    context("/ok.png", exchange -> send(exchange, 200, "image/png", PNG));
    context(
        "/ok-with-params.png", exchange -> send(exchange, 200, "IMAGE/PNG; charset=binary", PNG));
    context("/page.html", exchange -> send(exchange, 200, "text/html", html()));
    context("/html-as.png", exchange -> send(exchange, 200, "image/png", html()));
    context(
        "/jpeg-as.png",
        exchange ->
            send(
                exchange,
                200,
                "image/png",
                new byte[] {
                  (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 0x10, 'J', 'F', 'I', 'F'
                }));
    context("/no-type", exchange -> send(exchange, 200, null, PNG));
    context("/exact.png", exchange -> send(exchange, 200, "image/png", png(4096)));
    context(
        "/declares-too-much.png",
        exchange -> {
          // Declares one byte over a 4 KiB limit, sends a little, then stalls: only the header can
          // end this fast.
          exchange.getResponseHeaders().set("Content-Type", "image/png");
          exchange.sendResponseHeaders(200, 4097);
          OutputStream out = exchange.getResponseBody();
          out.write(PNG, 0, 100);
          out.flush();
          sleep(10_000);
        });
    context(
        "/endless.png",
        exchange -> {
          exchange.getResponseHeaders().set("Content-Type", "image/png");
          exchange.sendResponseHeaders(200, 0); // chunked
          OutputStream out = exchange.getResponseBody();
          out.write(PNG, 0, 8);
          byte[] chunk = new byte[8192];
          try {
            for (long sent = 0; sent < 512L * 1024 * 1024; sent += chunk.length) {
              out.write(chunk);
              out.flush();
              endlessBytesWritten.addAndGet(chunk.length);
            }
          } catch (IOException clientWentAway) {
            // expected: the fetcher stopped reading and dropped the connection
          }
        });
    context(
        "/trickle.png",
        exchange -> {
          exchange.getResponseHeaders().set("Content-Type", "image/png");
          exchange.sendResponseHeaders(200, PNG.length);
          OutputStream out = exchange.getResponseBody();
          try {
            for (byte b : PNG) {
              out.write(b);
              out.flush();
              sleep(100);
            }
          } catch (IOException clientWentAway) {
            // expected
          }
        });
    context(
        "/late-headers.png",
        exchange -> {
          sleep(10_000);
          send(exchange, 200, "image/png", PNG);
        });
    context(
        "/status/",
        exchange -> {
          int status =
              Integer.parseInt(exchange.getRequestURI().getPath().substring("/status/".length()));
          send(exchange, status, "image/png", PNG);
        });
    context(
        "/hops/",
        exchange -> {
          // /hops/N redirects N more times (relative Locations), then lands on the PNG.
          int left =
              Integer.parseInt(exchange.getRequestURI().getPath().substring("/hops/".length()));
          redirect(exchange, left == 1 ? "/ok.png" : "/hops/" + (left - 1));
        });
    context("/to-file", exchange -> redirect(exchange, "file:///etc/passwd"));
    context("/to-ftp", exchange -> redirect(exchange, "ftp://127.0.0.1/ok.png"));
    context(
        "/to-loopback", exchange -> redirect(exchange, "http://127.0.0.1:" + port() + "/ok.png"));
    context(
        "/to-metadata",
        exchange -> redirect(exchange, "http://169.254.169.254/computeMetadata/v1/"));
    context("/to-public", exchange -> redirect(exchange, "http://" + PUBLIC_HOST + "/ok.png"));
    context("/no-location", exchange -> send(exchange, 302, null, new byte[0]));
    server.start();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
    executor.shutdownNow();
  }

  @BeforeEach
  void resetCounters() {
    requests.set(0);
    endlessBytesWritten.set(0);
  }

  @Test
  void pngIsDownloadedWithItsFormat() throws Exception {
    MediaFetcher.Fetched fetched = fetcher(FetchLimits.local()).fetch(url("/ok.png"), IMAGES);

    assertEquals(MediaFormat.PNG, fetched.format());
    assertArrayEquals(PNG, fetched.bytes());
  }

  @Test
  void contentTypeParametersAndCaseDoNotMatter() throws Exception {
    assertEquals(
        MediaFormat.PNG, fetcher(LOOPBACK).fetch(url("/ok-with-params.png"), IMAGES).format());
  }

  @Test
  void aDeclaredTypeTheCallerDoesNotAcceptIsWrongType() {
    assertRejected(Reason.WRONG_TYPE, () -> fetcher(LOOPBACK).fetch(url("/page.html"), IMAGES));
    assertRejected(
        Reason.WRONG_TYPE, () -> fetcher(LOOPBACK).fetch(url("/ok.png"), Set.of(MediaFormat.MP4)));
    assertRejected(Reason.WRONG_TYPE, () -> fetcher(LOOPBACK).fetch(url("/no-type"), IMAGES));
  }

  @Test
  void htmlServedAsPngIsWrongType() {
    MediaRejected rejected =
        assertRejected(
            Reason.WRONG_TYPE, () -> fetcher(LOOPBACK).fetch(url("/html-as.png"), IMAGES));

    assertTrue(rejected.getMessage().contains("no known media format"), rejected.getMessage());
  }

  @Test
  void anotherAcceptedFormatsBytesUnderThePngLabelIsStillWrongType() {
    assertRejected(Reason.WRONG_TYPE, () -> fetcher(LOOPBACK).fetch(url("/jpeg-as.png"), IMAGES));
  }

  @Test
  void aBodyOfExactlyTheLimitIsAccepted() throws Exception {
    FetchLimits limits = new FetchLimits(4096, Duration.ofSeconds(5), false, true);

    assertEquals(4096, fetcher(limits).fetch(url("/exact.png"), IMAGES).bytes().length);
  }

  @Test
  void aContentLengthOverTheLimitIsTooLargeWithoutWaitingForTheBody() {
    FetchLimits limits = new FetchLimits(4096, Duration.ofSeconds(5), false, true);
    long started = System.nanoTime();

    assertRejected(
        Reason.TOO_LARGE, () -> fetcher(limits).fetch(url("/declares-too-much.png"), IMAGES));

    assertFasterThan(Duration.ofSeconds(3), started);
  }

  @Test
  void aChunkedBodyStreamingPastTheLimitIsTooLargeAndReadingStops() {
    FetchLimits limits = new FetchLimits(64 * 1024, Duration.ofSeconds(10), false, true);
    long started = System.nanoTime();

    MediaRejected rejected =
        assertRejected(Reason.TOO_LARGE, () -> fetcher(limits).fetch(url("/endless.png"), IMAGES));

    assertTrue(rejected.getMessage().contains("65536"), rejected.getMessage());
    assertFasterThan(Duration.ofSeconds(5), started);
    // What the server got out is the limit plus socket buffers (a few MiB), not the 512 MiB it had
    // to send.
    assertTrue(
        endlessBytesWritten.get() < 32L * 1024 * 1024,
        endlessBytesWritten.get() + " bytes written");
  }

  @Test
  void aBodyThatTricklesPastTheTimeoutIsUnreachable() {
    // Headers arrive at once: a timeout on the response headers alone would wait ~200 s for this
    // body.
    FetchLimits limits = new FetchLimits(1024 * 1024, Duration.ofSeconds(1), false, true);
    long started = System.nanoTime();

    assertRejected(Reason.UNREACHABLE, () -> fetcher(limits).fetch(url("/trickle.png"), IMAGES));

    assertFasterThan(Duration.ofSeconds(4), started);
  }

  @Test
  void headersLaterThanTheTimeoutAreUnreachable() {
    FetchLimits limits = new FetchLimits(1024 * 1024, Duration.ofSeconds(1), false, true);
    long started = System.nanoTime();

    assertRejected(
        Reason.UNREACHABLE, () -> fetcher(limits).fetch(url("/late-headers.png"), IMAGES));

    assertFasterThan(Duration.ofSeconds(4), started);
  }

  @Test
  void errorStatusesAreUnreachable() {
    assertRejected(Reason.UNREACHABLE, () -> fetcher(LOOPBACK).fetch(url("/status/404"), IMAGES));
    assertRejected(Reason.UNREACHABLE, () -> fetcher(LOOPBACK).fetch(url("/status/500"), IMAGES));
    assertRejected(Reason.UNREACHABLE, () -> fetcher(LOOPBACK).fetch(url("/status/304"), IMAGES));
  }

  @Test
  void aRefusedConnectionIsUnreachable() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }

    assertRejected(
        Reason.UNREACHABLE,
        () ->
            fetcher(LOOPBACK)
                .fetch(URI.create("http://127.0.0.1:" + closedPort + "/ok.png"), IMAGES));
  }

  @Test
  void plainHttpIsRefusedWhenHttpsOnlyBeforeAnyRequest() {
    assertRejected(
        Reason.INSECURE_URL, () -> fetcher(FetchLimits.production()).fetch(url("/ok.png"), IMAGES));

    assertEquals(0, requests.get());
  }

  @Test
  void schemesOtherThanHttpAreAlwaysRefused() {
    assertRejected(
        Reason.INSECURE_URL,
        () -> fetcher(LOOPBACK).fetch(URI.create("file:///etc/passwd"), IMAGES));
    assertRejected(
        Reason.INSECURE_URL,
        () -> fetcher(LOOPBACK).fetch(URI.create("ftp://127.0.0.1/x.png"), IMAGES));
    assertRejected(
        Reason.INSECURE_URL, () -> fetcher(LOOPBACK).fetch(URI.create("/relative.png"), IMAGES));
  }

  @Test
  void loopbackIsRefusedUnlessPrivateHostsAreAllowed() {
    FetchLimits noPrivate = new FetchLimits(1024 * 1024, Duration.ofSeconds(5), false, false);

    assertRejected(Reason.PRIVATE_HOST, () -> fetcher(noPrivate).fetch(url("/ok.png"), IMAGES));
    assertRejected(
        Reason.PRIVATE_HOST,
        () ->
            fetcher(noPrivate).fetch(URI.create("http://localhost:" + port() + "/ok.png"), IMAGES));
    assertRejected(
        Reason.PRIVATE_HOST,
        () -> fetcher(noPrivate).fetch(URI.create("http://[::1]:" + port() + "/ok.png"), IMAGES));
    assertEquals(0, requests.get());
  }

  @Test
  void internalAddressesAreClassifiedPrivate() throws Exception {
    for (String internal :
        new String[] {
          "127.0.0.1",
          "10.1.2.3",
          "172.16.0.1",
          "192.168.1.1",
          "169.254.169.254",
          "0.0.0.0",
          "0.1.2.3",
          "100.64.0.1",
          "224.0.0.1",
          "255.255.255.255",
          "::1",
          "::",
          "fe80::1",
          "fd00::1",
          "fc00::1",
          "ff02::1",
          "::ffff:10.0.0.1",
          "::10.0.0.1",
          "64:ff9b::a9fe:a9fe"
        }) {
      assertTrue(MediaFetcher.isPrivate(InetAddress.getByName(internal)), internal);
    }
    for (String external :
        new String[] {
          "8.8.8.8",
          "203.0.113.7",
          "100.128.0.1",
          "172.32.0.1",
          "2001:4860::8888",
          "64:ff9b::808:808"
        }) {
      assertFalse(MediaFetcher.isPrivate(InetAddress.getByName(external)), external);
    }
  }

  @Test
  void aChainOfThreeRedirectsIsFollowed() throws Exception {
    MediaFetcher.Fetched fetched = fetcher(LOOPBACK).fetch(url("/hops/3"), IMAGES);

    assertArrayEquals(PNG, fetched.bytes());
    assertEquals(4, requests.get());
  }

  @Test
  void aFourthRedirectIsRefused() {
    MediaRejected rejected =
        assertRejected(Reason.UNREACHABLE, () -> fetcher(LOOPBACK).fetch(url("/hops/4"), IMAGES));

    assertTrue(rejected.getMessage().contains("redirects"), rejected.getMessage());
    assertEquals(4, requests.get());
  }

  @Test
  void aRedirectWithoutLocationIsUnreachable() {
    assertRejected(Reason.UNREACHABLE, () -> fetcher(LOOPBACK).fetch(url("/no-location"), IMAGES));
  }

  @Test
  void aRedirectToAnotherSchemeIsRefused() {
    assertRejected(Reason.INSECURE_URL, () -> fetcher(LOOPBACK).fetch(url("/to-file"), IMAGES));
    assertRejected(Reason.INSECURE_URL, () -> fetcher(LOOPBACK).fetch(url("/to-ftp"), IMAGES));
  }

  @Test
  void aPublicHostIsFetchedWhenPrivateHostsAreRefused() throws Exception {
    // The control for the next test: the first hop itself passes the host check.
    assertArrayEquals(
        PNG,
        proxiedFetcher().fetch(URI.create("http://" + PUBLIC_HOST + "/ok.png"), IMAGES).bytes());
    assertArrayEquals(
        PNG,
        proxiedFetcher().fetch(URI.create("http://" + PUBLIC_HOST + "/to-public"), IMAGES).bytes());
  }

  @Test
  void aPublicHostRedirectingToAnInternalAddressIsRefused() {
    assertRejected(
        Reason.PRIVATE_HOST,
        () -> proxiedFetcher().fetch(URI.create("http://" + PUBLIC_HOST + "/to-loopback"), IMAGES));
    assertRejected(
        Reason.PRIVATE_HOST,
        () -> proxiedFetcher().fetch(URI.create("http://" + PUBLIC_HOST + "/to-metadata"), IMAGES));
    assertEquals(2, requests.get()); // the two first hops; neither redirect target was requested
  }

  @Test
  void aClientThatFollowsRedirectsItselfIsRefused() {
    HttpClient following =
        HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

    assertThrows(
        IllegalArgumentException.class,
        () -> new MediaFetcher(following, FetchLimits.production()));
  }

  @Test
  void aDeferredFetcherWaitsForItsClientThenFetches() throws Exception {
    CompletableFuture<HttpClient> building = new CompletableFuture<>();
    MediaFetcher fetcher = MediaFetcher.deferred(building, LOOPBACK);
    ExecutorService caller = Executors.newSingleThreadExecutor();
    Future<MediaFetcher.Fetched> fetched =
        caller.submit(() -> fetcher.fetch(url("/ok.png"), IMAGES));
    caller.shutdown();
    Thread.sleep(200);
    assertFalse(fetched.isDone(), "the download waits for the client");
    assertEquals(0, requests.get());

    building.complete(MediaFetcher.httpClient(LOOPBACK));

    assertEquals(MediaFormat.PNG, fetched.get(10, TimeUnit.SECONDS).format());
    assertEquals(1, requests.get());
  }

  @Test
  void aDeferredFetcherRefusesAClientThatFollowsRedirectsItselfWhenItFetches() {
    MediaFetcher fetcher =
        MediaFetcher.deferred(
            CompletableFuture.completedFuture(
                HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()),
            LOOPBACK);

    assertThrows(IllegalArgumentException.class, () -> fetcher.fetch(url("/ok.png"), IMAGES));
    assertEquals(0, requests.get());
  }

  private static MediaFetcher fetcher(FetchLimits limits) {
    return new MediaFetcher(MediaFetcher.httpClient(limits), limits);
  }

  /**
   * http allowed, private hosts refused; {@link #PUBLIC_HOST} resolves to a public address and is
   * proxied here.
   */
  private static MediaFetcher proxiedFetcher() {
    FetchLimits limits = new FetchLimits(1024 * 1024, Duration.ofSeconds(5), false, false);
    HttpClient client =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .proxy(
                ProxySelector.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port())))
            .build();
    return new MediaFetcher(
        client,
        limits,
        host ->
            host.equals(PUBLIC_HOST)
                ? new InetAddress[] {
                  InetAddress.getByAddress(PUBLIC_HOST, new byte[] {(byte) 203, 0, 113, 7})
                }
                : InetAddress.getAllByName(host));
  }

  private static MediaRejected assertRejected(Reason reason, Executable fetch) {
    MediaRejected rejected = assertThrows(MediaRejected.class, fetch);
    assertEquals(reason, rejected.reason(), rejected.getMessage());
    return rejected;
  }

  private static void assertFasterThan(Duration limit, long startedNanos) {
    Duration took = Duration.ofNanos(System.nanoTime() - startedNanos);
    assertTrue(took.compareTo(limit) < 0, "took " + took + ", expected under " + limit);
  }

  private static void context(String path, HttpHandler handler) {
    server.createContext(
        path,
        exchange -> {
          requests.incrementAndGet();
          try (exchange) {
            handler.handle(exchange);
          } catch (IOException e) {
            // the client hung up; nothing to answer
          }
        });
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    if (contentType != null) {
      exchange.getResponseHeaders().set("Content-Type", contentType);
    }
    boolean noBody = body.length == 0 || status == 304;
    exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
    if (!noBody) {
      exchange.getResponseBody().write(body);
    }
  }

  private static void redirect(HttpExchange exchange, String location) throws IOException {
    exchange.getResponseHeaders().set("Location", location);
    exchange.sendResponseHeaders(302, -1);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int port() {
    return server.getAddress().getPort();
  }

  private static URI url(String path) {
    return URI.create("http://127.0.0.1:" + port() + path);
  }

  private static byte[] html() {
    return "<!doctype html><html><body>Not Found</body></html>".getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A PNG signature followed by filler: enough for the magic check, which is all the fetcher reads.
   */
  private static byte[] png(int size) {
    byte[] bytes = new byte[size];
    Arrays.fill(bytes, (byte) 7);
    System.arraycopy(
        new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}, 0, bytes, 0, 8);
    return bytes;
  }
}
