package dev.atelier.emulator;

import dev.atelier.emulator.rules.AuthToken;
import io.grpc.Context;
import java.util.Optional;

/**
 * Who sent a request, from its {@code authorization} header: the owner ({@code Bearer owner}, what
 * server SDKs send in emulator mode; rules do not apply), a signed-in user (a Firebase ID token),
 * or anonymous (no header). Without rules every request counts as the owner.
 */
sealed interface Caller {
  Context.Key<Caller> KEY = Context.key("atelier-caller");

  record Owner() implements Caller {}

  record Anonymous() implements Caller {}

  record User(AuthToken token) implements Caller {}

  /** The caller of the current gRPC call. */
  static Caller current() {
    Caller caller = KEY.get();
    return caller == null ? new Owner() : caller;
  }

  /** {@code request.auth}: empty for anonymous callers. */
  default Optional<AuthToken> auth() {
    return this instanceof User user ? Optional.of(user.token()) : Optional.empty();
  }
}
