package dev.atelier.media;

import dev.atelier.media.MediaRejected.Reason;
import dev.atelier.platform.InstanceStart;
import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpClient.Redirect;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.ResponseInfo;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Downloads a provider's output URL under {@link FetchLimits}: scheme and host are checked on every
 * hop (redirects are followed here, at most {@value #MAX_REDIRECTS}, never by the client), the size
 * limit is enforced while streaming, the timeout covers the whole download, and the declared
 * content type must be accepted and agree with the bytes' magic number.
 *
 * <p>Residual risk: the host is resolved for the check and again by the HTTP client, so a DNS
 * answer that changes in between (rebinding) is not caught here; production egress should not route
 * to internal ranges either.
 */
public final class MediaFetcher {
  static final int MAX_REDIRECTS = 3;
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

  /** Buffer start size when no Content-Length is given; grows up to the limit. */
  private static final int INITIAL_BUFFER = 64 * 1024;

  /**
   * Resolves a host name; the seam lets a test give a public-looking address to a name the proxy
   * serves.
   */
  @FunctionalInterface
  interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  /** What one request led to. */
  private sealed interface Hop permits Body, Next, Refused {}

  private record Body(MediaFormat declared, byte[] bytes) implements Hop {}

  private record Next(URI location) implements Hop {}

  private record Refused(Reason reason, String message) implements Hop {}

  /** A downloaded file whose declared type and magic number agree. */
  public record Fetched(MediaFormat format, byte[] bytes) {}

  private final Supplier<HttpClient> http;
  private final FetchLimits limits;
  private final Resolver resolver;

  /**
   * {@code http} must not follow redirects itself (every hop has to pass the checks): see {@link
   * #httpClient}.
   */
  public MediaFetcher(HttpClient http, FetchLimits limits) {
    this(http, limits, InetAddress::getAllByName);
  }

  MediaFetcher(HttpClient http, FetchLimits limits, Resolver resolver) {
    this(checked(http), limits, resolver);
  }

  private MediaFetcher(Supplier<HttpClient> http, FetchLimits limits, Resolver resolver) {
    this.http = http;
    this.limits = limits;
    this.resolver = resolver;
  }

  /**
   * A fetcher whose {@link #httpClient} another thread is building (an instance's start-up): a
   * download waits for it.
   */
  public static MediaFetcher deferred(CompletableFuture<HttpClient> building, FetchLimits limits) {
    return new MediaFetcher(
        () -> checked(InstanceStart.join(building)).get(), limits, InetAddress::getAllByName);
  }

  private static Supplier<HttpClient> checked(HttpClient http) {
    if (http.followRedirects() != Redirect.NEVER) {
      throw new IllegalArgumentException(
          "the HttpClient must use Redirect.NEVER: MediaFetcher checks every hop");
    }
    return () -> http;
  }

  /**
   * A client suitable for {@link MediaFetcher}: no redirects, connect timeout within the
   * download's.
   */
  public static HttpClient httpClient(FetchLimits limits) {
    return HttpClient.newBuilder()
        .followRedirects(Redirect.NEVER)
        .connectTimeout(limits.timeout())
        .build();
  }

  /**
   * Downloads {@code url}.
   *
   * @param accepted the formats the caller can use (e.g. the images for an image model); never
   *     empty
   * @throws MediaRejected with the {@link Reason} the download was refused for
   */
  public Fetched fetch(URI url, Set<MediaFormat> accepted) throws MediaRejected {
    if (accepted.isEmpty()) {
      throw new IllegalArgumentException("accepted formats must not be empty");
    }
    long deadline = System.nanoTime() + limits.timeout().toNanos();
    URI current = url;
    for (int redirects = 0; ; redirects++) {
      checkTarget(current);
      Hop hop = exchange(current, accepted, deadline);
      if (hop instanceof Refused refused) {
        throw new MediaRejected(refused.reason(), refused.message());
      }
      if (hop instanceof Next next) {
        if (redirects == MAX_REDIRECTS) {
          throw new MediaRejected(
              Reason.UNREACHABLE, "more than " + MAX_REDIRECTS + " redirects from " + url);
        }
        current = next.location();
        continue;
      }
      Body body = (Body) hop;
      Optional<MediaFormat> actual = MediaFormat.sniff(body.bytes());
      if (actual.isEmpty() || actual.get() != body.declared()) {
        throw new MediaRejected(
            Reason.WRONG_TYPE,
            current
                + " declared "
                + body.declared().contentType()
                + " but its bytes are "
                + actual.map(MediaFormat::contentType).orElse("no known media format"));
      }
      return new Fetched(body.declared(), body.bytes());
    }
  }

  /** Scheme, then every address the host resolves to (one private address is enough to refuse). */
  private void checkTarget(URI url) throws MediaRejected {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    boolean allowed = scheme.equals("https") || (scheme.equals("http") && !limits.httpsOnly());
    if (!allowed) {
      throw new MediaRejected(
          Reason.INSECURE_URL,
          "refused scheme " + (scheme.isEmpty() ? "(none)" : scheme) + " in " + url);
    }
    String host = url.getHost();
    if (host == null || host.isEmpty()) {
      throw new MediaRejected(Reason.INSECURE_URL, "no host in " + url);
    }
    if (limits.allowPrivateHosts()) {
      return;
    }
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException e) {
      throw new MediaRejected(Reason.UNREACHABLE, "unknown host " + host, e);
    }
    for (InetAddress address : addresses) {
      if (isPrivate(address)) {
        throw new MediaRejected(
            Reason.PRIVATE_HOST,
            host + " resolves to the internal address " + address.getHostAddress());
      }
    }
  }

  /**
   * Addresses a request from inside our network must never reach: Java's loopback, site-local
   * (10/8, 172.16/12, 192.168/16, fec0::/10), link-local (169.254/16 with the metadata server,
   * fe80::/10), any-local and multicast, plus 0/8, 100.64/10 (carrier NAT), 240/4 and broadcast,
   * IPv6 unique-local fc00::/7, and IPv4 addresses embedded in IPv4-compatible or NAT64
   * (64:ff9b::/96) IPv6 addresses.
   */
  static boolean isPrivate(InetAddress address) {
    if (address.isLoopbackAddress()
        || address.isSiteLocalAddress()
        || address.isLinkLocalAddress()
        || address.isAnyLocalAddress()
        || address.isMulticastAddress()) {
      return true;
    }
    byte[] bytes = address.getAddress();
    if (address instanceof Inet4Address) {
      int first = bytes[0] & 0xFF;
      int second = bytes[1] & 0xFF;
      return first == 0 || (first == 100 && (second & 0xC0) == 64) || first >= 240;
    }
    if ((bytes[0] & 0xFE) == 0xFC) {
      return true;
    }
    boolean compatible = ((Inet6Address) address).isIPv4CompatibleAddress();
    boolean nat64 =
        bytes[0] == 0x00
            && bytes[1] == 0x64
            && (bytes[2] & 0xFF) == 0xFF
            && (bytes[3] & 0xFF) == 0x9B
            && allZero(bytes, 4, 12);
    if (compatible || nat64) {
      try {
        return isPrivate(InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16)));
      } catch (UnknownHostException e) {
        throw new IllegalStateException("four bytes are always an IPv4 address", e);
      }
    }
    return false;
  }

  private static boolean allZero(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * One GET. The answer's status and headers decide before any body byte is read whether the body
   * is wanted.
   */
  private Hop exchange(URI url, Set<MediaFormat> accepted, long deadline) throws MediaRejected {
    long remaining = deadline - System.nanoTime();
    if (remaining <= 0) {
      throw timedOut(url);
    }
    HttpRequest request;
    try {
      request =
          HttpRequest.newBuilder(url)
              .timeout(Duration.ofNanos(remaining))
              .header(
                  "Accept",
                  accepted.stream()
                      .map(MediaFormat::contentType)
                      .sorted()
                      .collect(Collectors.joining(", ")))
              .header("Accept-Encoding", "identity") // the bytes are sniffed and stored as they are
              .GET()
              .build();
    } catch (IllegalArgumentException e) {
      throw new MediaRejected(Reason.INSECURE_URL, "not a usable URL: " + url, e);
    }
    AtomicReference<Flow.Subscription> body = new AtomicReference<>();
    CompletableFuture<HttpResponse<Hop>> response =
        http.get().sendAsync(request, info -> subscriberFor(url, info, accepted, body));
    try {
      return response.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS).body();
    } catch (TimeoutException e) {
      abort(response, body);
      throw timedOut(url);
    } catch (InterruptedException e) {
      abort(response, body);
      Thread.currentThread().interrupt();
      throw new MediaRejected(Reason.UNREACHABLE, "interrupted while downloading " + url, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      String what = cause instanceof HttpTimeoutException ? "timed out" : "failed";
      throw new MediaRejected(
          Reason.UNREACHABLE, "download of " + url + " " + what + ": " + cause, cause);
    }
  }

  private MediaRejected timedOut(URI url) {
    return new MediaRejected(
        Reason.UNREACHABLE, "download of " + url + " took longer than " + limits.timeout());
  }

  /** Stops reading at once and lets the client drop the connection. */
  private static void abort(
      CompletableFuture<?> response, AtomicReference<Flow.Subscription> body) {
    Flow.Subscription subscription = body.get();
    if (subscription != null) {
      subscription.cancel();
    }
    response.cancel(true);
  }

  private BodySubscriber<Hop> subscriberFor(
      URI url,
      ResponseInfo info,
      Set<MediaFormat> accepted,
      AtomicReference<Flow.Subscription> body) {
    int status = info.statusCode();
    if (REDIRECTS.contains(status)) {
      Hop next =
          info.headers()
              .firstValue("Location")
              .map(location -> resolve(url, location))
              .orElseGet(
                  () ->
                      new Refused(
                          Reason.UNREACHABLE, url + " answered " + status + " without a Location"));
      return new Skip(next);
    }
    if (status < 200 || status > 299) {
      return new Skip(new Refused(Reason.UNREACHABLE, url + " answered HTTP " + status));
    }
    Optional<String> contentType = info.headers().firstValue("Content-Type");
    Optional<MediaFormat> declared = contentType.flatMap(MediaFormat::ofContentType);
    if (declared.isEmpty() || !accepted.contains(declared.get())) {
      return new Skip(
          new Refused(
              Reason.WRONG_TYPE,
              url
                  + " is "
                  + contentType.orElse("of no declared type")
                  + ", expected one of "
                  + accepted));
    }
    long declaredLength = info.headers().firstValueAsLong("Content-Length").orElse(-1);
    if (declaredLength > limits.maxBytes()) {
      return new Skip(
          new Refused(
              Reason.TOO_LARGE,
              url
                  + " declares "
                  + declaredLength
                  + " bytes, over the limit of "
                  + limits.maxBytes()));
    }
    return new Bounded(url, declared.get(), limits.maxBytes(), declaredLength, body);
  }

  private static Hop resolve(URI base, String location) {
    try {
      return new Next(base.resolve(location.strip()));
    } catch (IllegalArgumentException e) {
      return new Refused(
          Reason.UNREACHABLE, base + " redirects to an invalid Location " + location);
    }
  }

  /** Decided from the headers alone: reads no body byte and closes the connection. */
  private static final class Skip implements BodySubscriber<Hop> {
    private final CompletableFuture<Hop> result;

    Skip(Hop hop) {
      this.result = CompletableFuture.completedFuture(hop);
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.cancel();
    }

    @Override
    public void onNext(List<ByteBuffer> item) {}

    @Override
    public void onError(Throwable throwable) {}

    @Override
    public void onComplete() {}

    @Override
    public CompletionStage<Hop> getBody() {
      return result;
    }
  }

  /**
   * Collects the body one buffer list at a time (so the client never reads far ahead) and keeps at
   * most {@code maxBytes + 1} bytes: the byte past the limit proves the body too large, and reading
   * stops there.
   */
  private static final class Bounded implements BodySubscriber<Hop> {
    private final URI url;
    private final MediaFormat declared;
    private final long maxBytes;
    private final ByteArrayOutputStream buffer;
    private final AtomicReference<Flow.Subscription> subscription;
    private final CompletableFuture<Hop> result = new CompletableFuture<>();

    Bounded(
        URI url,
        MediaFormat declared,
        long maxBytes,
        long declaredLength,
        AtomicReference<Flow.Subscription> subscription) {
      this.url = url;
      this.declared = declared;
      this.maxBytes = maxBytes;
      this.buffer =
          new ByteArrayOutputStream(
              (int)
                  (declaredLength >= 0
                      ? Math.min(declaredLength, maxBytes)
                      : Math.min(INITIAL_BUFFER, maxBytes)));
      this.subscription = subscription;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription.set(subscription);
      subscription.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer item : items) {
        int take = (int) Math.min(item.remaining(), maxBytes + 1 - buffer.size());
        byte[] chunk = new byte[take];
        item.get(chunk);
        buffer.writeBytes(chunk);
        if (buffer.size() > maxBytes) {
          result.complete(
              new Refused(
                  Reason.TOO_LARGE, url + " streamed past the limit of " + maxBytes + " bytes"));
          subscription.get().cancel();
          return;
        }
      }
      subscription.get().request(1);
    }

    @Override
    public void onError(Throwable throwable) {
      result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
      result.complete(new Body(declared, buffer.toByteArray()));
    }

    @Override
    public CompletionStage<Hop> getBody() {
      return result;
    }
  }
}
