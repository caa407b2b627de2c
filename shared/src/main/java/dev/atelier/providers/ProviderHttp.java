package dev.atelier.providers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One HTTP exchange with a provider over the JDK's {@link HttpURLConnection}, bounded as a whole
 * (connect, request, headers and body) by a deadline, with the answer's body capped.
 *
 * <p>Why not {@code java.net.http.HttpClient}: its first request in an instance loads ~265 classes
 * and starts a selector thread, ~55 ms of submit-generation's first answer, while the connection
 * classes here are already loaded and warm (firebase-admin fetches Google's signing keys, and in
 * the emulator looks tokens up, with them). A body is sent in fixed-length streaming mode, which
 * also turns off HttpURLConnection's silent second attempt of a failed POST: a create must never be
 * sent twice (at a price: a 401 to a POST comes without its body). Redirects are not followed (the
 * bearer token must not go elsewhere), no proxy is used, as before.
 */
final class ProviderHttp {

  /** A status and the body (the error body for 4xx/5xx; empty when there is none). */
  record Answer(int status, byte[] body) {}

  /** The deadline passed: whatever was waiting (connect, write, read) was cut off. */
  static final class TimedOut extends IOException {
    TimedOut() {
      super("no answer in time", null);
    }
  }

  /** The answer's body is longer than the cap. */
  static final class TooLarge extends IOException {
    TooLarge(int cap) {
      super("answer over " + cap + " bytes", null);
    }
  }

  private ProviderHttp() {}

  /** Drops connections whose deadline passed; one daemon thread, made at the first exchange. */
  private static final class Watchdog {
    static final ScheduledExecutorService TIMER = timer();

    private static ScheduledExecutorService timer() {
      ScheduledThreadPoolExecutor timer =
          new ScheduledThreadPoolExecutor(
              1,
              r -> {
                Thread t = new Thread(r, "provider-http-deadlines");
                t.setDaemon(true);
                return t;
              });
      timer.setRemoveOnCancelPolicy(true);
      return timer;
    }
  }

  /**
   * Sends {@code method} to {@code uri} with {@code headers} and {@code body} (null: none; an empty
   * array: an empty body, {@code Content-Length: 0}), and reads the answer within {@code limit}.
   *
   * @throws TimedOut the deadline passed first
   * @throws TooLarge the body is over {@code maxBodyBytes}
   * @throws IOException the provider could not be reached or broke the exchange off
   */
  static Answer exchange(
      String method,
      URI uri,
      Map<String, String> headers,
      byte[] body,
      Duration limit,
      int maxBodyBytes)
      throws IOException {
    HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
    AtomicBoolean cutOff = new AtomicBoolean();
    ScheduledFuture<?> deadline =
        Watchdog.TIMER.schedule(
            () -> {
              cutOff.set(true);
              connection.disconnect();
            },
            limit.toNanos(),
            TimeUnit.NANOSECONDS);
    try {
      int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, limit.toMillis()));
      connection.setConnectTimeout(millis);
      connection.setReadTimeout(millis);
      connection.setInstanceFollowRedirects(false);
      connection.setUseCaches(false);
      connection.setRequestMethod(method);
      headers.forEach(connection::setRequestProperty);
      if (body != null) {
        connection.setDoOutput(true);
        connection.setFixedLengthStreamingMode(body.length);
        try (OutputStream out = connection.getOutputStream()) {
          out.write(body);
        }
      }
      int status;
      try {
        status = connection.getResponseCode();
      } catch (java.net.HttpRetryException e) {
        // A 401 (or 407) to a streamed body: HttpURLConnection drops the connection rather than
        // read an answer it would want to retry with credentials. The status is all there is.
        return new Answer(e.responseCode(), new byte[0]);
      }
      byte[] answer;
      try (InputStream in =
          status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
        answer = in == null ? new byte[0] : readCapped(in, maxBodyBytes);
      }
      if (cutOff.get()) {
        throw new TimedOut();
      }
      return new Answer(status, answer);
    } catch (IOException e) {
      connection.disconnect();
      if (cutOff.get() || e instanceof java.net.SocketTimeoutException) {
        throw new TimedOut();
      }
      throw e;
    } finally {
      deadline.cancel(false);
    }
  }

  private static byte[] readCapped(InputStream in, int cap) throws IOException {
    byte[] buf = new byte[8192];
    int size = 0;
    for (int n; (n = in.read(buf, size, buf.length - size)) >= 0; ) {
      size += n;
      if (size > cap) {
        throw new TooLarge(cap);
      }
      if (size == buf.length) {
        buf = Arrays.copyOf(buf, Math.min(buf.length * 2, cap + 1));
      }
    }
    return Arrays.copyOf(buf, size);
  }
}
