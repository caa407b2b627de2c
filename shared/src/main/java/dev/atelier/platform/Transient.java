package dev.atelier.platform;

import dev.atelier.firestore.FirestoreError;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Set;

/**
 * Which failures are worth a retry (HTTP 503 to the client; a throw, hence a redelivery, in a
 * trigger).
 */
public final class Transient {

  private static final Set<Status.Code> RETRYABLE =
      Set.of(
          Status.Code.ABORTED,
          Status.Code.UNAVAILABLE,
          Status.Code.DEADLINE_EXCEEDED,
          Status.Code.RESOURCE_EXHAUSTED,
          Status.Code.INTERNAL,
          Status.Code.CANCELLED);

  private Transient() {}

  public static boolean is(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof FirestoreError f) {
        return RETRYABLE.contains(f.code());
      }
      if (c instanceof StatusRuntimeException s) {
        return RETRYABLE.contains(s.getStatus().getCode());
      }
      if (c instanceof java.util.concurrent.TimeoutException) {
        return true;
      }
    }
    return false;
  }
}
