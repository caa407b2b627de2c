package dev.atelier.emulator;

import dev.atelier.emulator.rules.AuthToken;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.time.Clock;
import java.util.Locale;

/**
 * With rules: reads each call's {@code authorization} header into its {@link Caller}. {@code Bearer
 * owner} bypasses the rules; {@code Bearer <ID token>} is a user (see {@link AuthToken}); no header
 * is anonymous; anything else fails the call with UNAUTHENTICATED.
 */
final class AuthInterceptor implements ServerInterceptor {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final ServerCall.Listener<?> NOOP = new ServerCall.Listener<>() {};

  private final Clock clock;

  AuthInterceptor(Clock clock) {
    this.clock = clock;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    Caller caller;
    try {
      caller = caller(headers.get(AUTHORIZATION));
    } catch (AuthToken.InvalidTokenException e) {
      call.close(
          Status.UNAUTHENTICATED.withDescription("Invalid authorization: " + e.getMessage() + "."),
          new Metadata());
      @SuppressWarnings("unchecked")
      ServerCall.Listener<ReqT> noop = (ServerCall.Listener<ReqT>) NOOP;
      return noop;
    }
    return Contexts.interceptCall(
        Context.current().withValue(Caller.KEY, caller), call, headers, next);
  }

  Caller caller(String authorization) throws AuthToken.InvalidTokenException {
    if (authorization == null || authorization.isBlank()) {
      return new Caller.Anonymous();
    }
    String value = authorization.strip();
    if (!value.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
      throw new AuthToken.InvalidTokenException("expected 'Bearer <token>'");
    }
    String token = value.substring("bearer ".length()).strip();
    if (token.equals("owner")) {
      return new Caller.Owner();
    }
    return new Caller.User(AuthToken.decode(token, clock.instant()));
  }
}
