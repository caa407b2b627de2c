package dev.atelier.http;

import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.atelier.firestore.Database;
import dev.atelier.idempotency.Idempotency;
import dev.atelier.platform.AuthUser;
import dev.atelier.platform.ClientInfo;
import dev.atelier.platform.Json;
import dev.atelier.platform.JsonLog;
import dev.atelier.platform.Refusal;
import dev.atelier.platform.Transient;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The request pipeline every HTTP function shares: POST only (405 + Allow), bearer ID token (401),
 * admin claim where required (403), {@code application/json} (415), body size limit (413), then the
 * handler. Every failure is the SPEC's JSON error; an unexpected exception is logged and answered
 * with a bare INTERNAL error (transient Firestore failures with 503 + Retry-After), never a stack
 * trace.
 */
public final class HttpEndpoint {

  /**
   * What a handler gets: the authenticated caller (null with {@link Access#SIGNED}: the handler
   * checks the request's signature itself), the raw request, its headers and query parameters.
   */
  public record Call(
      AuthUser user,
      String path,
      String rawBody,
      Optional<String> idempotencyKey,
      ClientInfo client,
      String requestId,
      JsonLog log,
      HttpRequest request) {
    /** The body parsed strictly as a JSON object (400 otherwise). */
    public RequestBody body() {
      return RequestBody.parse(rawBody);
    }

    public Optional<String> header(String name) {
      return request.getFirstHeader(name);
    }

    public Optional<String> query(String name) {
      return request.getFirstQueryParameter(name);
    }

    /**
     * The Idempotency-Key guard of this call: the key is scoped to the caller, the request is path
     * + body.
     */
    public Idempotency.Guard idempotency(Database db, Clock clock) {
      return Idempotency.guard(db, clock, user.uid(), idempotencyKey, path + "\n" + rawBody);
    }
  }

  /** A successful answer: status and a JSON-serialisable body (records, maps). */
  public record Reply(int status, Object body) {
    public static Reply ok(Object body) {
      return new Reply(200, body);
    }

    /** 202: accepted, the work goes on (a generation). */
    public static Reply accepted(Object body) {
      return new Reply(202, body);
    }

    /** 204: done, nothing to say (webhooks). */
    public static Reply noContent() {
      return new Reply(204, null);
    }
  }

  @FunctionalInterface
  public interface Handler {
    Reply handle(Call call);
  }

  /**
   * Who may call: a signed-in user, an admin (custom claim), or anyone whose request carries a
   * valid signature the handler verifies (provider webhooks: no bearer token).
   */
  public enum Access {
    USER,
    ADMIN,
    SIGNED
  }

  static final int MAX_IDEMPOTENCY_KEY = 256;
  private final Authenticator authenticator;
  private final JsonLog log;
  private final int maxBodyBytes;
  private final Access access;
  private final Cors cors;

  public HttpEndpoint(
      Authenticator authenticator, JsonLog log, int maxBodyBytes, Access access, Cors cors) {
    this.authenticator = authenticator;
    this.log = log;
    this.maxBodyBytes = maxBodyBytes;
    this.access = access;
    this.cors = cors;
  }

  public void serve(HttpRequest request, HttpResponse response, Handler handler)
      throws IOException {
    String requestId =
        request
            .getFirstHeader("Function-Execution-Id")
            .or(() -> request.getFirstHeader("X-Cloud-Trace-Context").map(t -> t.split("/")[0]))
            .orElseGet(() -> UUID.randomUUID().toString());
    JsonLog requestLog = log.with("requestId", requestId);
    if (Cors.isPreflight(request)) {
      cors.decorate(request, response, true);
      response.setStatusCode(204);
      return;
    }
    cors.decorate(request, response, false);
    try {
      Reply reply = handle(request, handler, requestId, requestLog);
      if (reply.status() == 204) {
        response.setStatusCode(204);
        return;
      }
      write(response, reply.status(), Json.GSON.toJson(reply.body()), Map.of());
    } catch (ApiException e) {
      write(response, e.error().httpStatus(), e.error().toJson(), e.headers());
    } catch (Refusal r) {
      ApiError error = new ApiError(ErrorCode.of(r.problem()), r.reason(), r.details());
      Map<String, String> headers =
          r.retryAfter()
              .map(
                  d ->
                      Map.of(
                          "Retry-After", String.valueOf(Math.max(1, (d.toMillis() + 999) / 1000))))
              .orElse(Map.of());
      write(response, error.httpStatus(), error.toJson(), headers);
    } catch (RuntimeException e) {
      if (Transient.is(e)) {
        requestLog.error("transient failure, client may retry", e);
        write(
            response,
            503,
            new ApiError(ErrorCode.UNAVAILABLE, "temporarily unavailable, retry shortly", Map.of())
                .toJson(),
            Map.of("Retry-After", "1"));
      } else {
        requestLog.error("unexpected failure", e);
        write(
            response,
            500,
            new ApiError(ErrorCode.INTERNAL, "internal error", Map.of()).toJson(),
            Map.of());
      }
    }
  }

  private Reply handle(HttpRequest request, Handler handler, String requestId, JsonLog requestLog)
      throws IOException {
    if (!"POST".equals(request.getMethod())) {
      throw new ApiException(
          new ApiError(ErrorCode.METHOD_NOT_ALLOWED, "only POST is allowed", Map.of()),
          Map.of("Allow", "POST"));
    }
    AuthUser user =
        access == Access.SIGNED
            ? null
            : authenticator.authenticate(
                request.getFirstHeader("Authorization"), access == Access.ADMIN);
    if (access == Access.ADMIN && !user.admin()) {
      throw new ApiException(ErrorCode.PERMISSION_DENIED, "admin claim required");
    }
    String contentType = request.getContentType().orElse("").toLowerCase(Locale.ROOT);
    if (!contentType.split(";")[0].trim().equals("application/json")) {
      throw new ApiException(
          ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json");
    }
    if (request.getContentLength() > maxBodyBytes) {
      throw tooLarge();
    }
    String body = readBody(request);
    Optional<String> key = request.getFirstHeader("Idempotency-Key").map(String::trim);
    if (key.isPresent() && (key.get().isEmpty() || key.get().length() > MAX_IDEMPOTENCY_KEY)) {
      throw new ApiException(
          ErrorCode.INVALID_ARGUMENT,
          "Idempotency-Key must be 1.." + MAX_IDEMPOTENCY_KEY + " characters",
          Map.of("fields", Map.of("Idempotency-Key", "invalid length")));
    }
    Call call =
        new Call(
            user,
            request.getPath(),
            body,
            key,
            ClientInfo.from(request),
            requestId,
            user == null ? requestLog : requestLog.with("uid", user.uid()),
            request);
    return handler.handle(call);
  }

  private String readBody(HttpRequest request) throws IOException {
    byte[] bytes;
    try (InputStream in = request.getInputStream()) {
      bytes = in.readNBytes(maxBodyBytes + 1);
    }
    if (bytes.length > maxBodyBytes) {
      throw tooLarge();
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ApiException(ErrorCode.INVALID_ARGUMENT, "request body is not UTF-8");
    }
  }

  private ApiException tooLarge() {
    return new ApiException(
        ErrorCode.PAYLOAD_TOO_LARGE, "request body exceeds " + maxBodyBytes + " bytes");
  }

  private static void write(
      HttpResponse response, int status, String json, Map<String, String> headers)
      throws IOException {
    response.setStatusCode(status);
    response.setContentType("application/json; charset=utf-8");
    headers.forEach(response::appendHeader);
    Writer writer = response.getWriter();
    writer.write(json);
    writer.flush();
  }
}
