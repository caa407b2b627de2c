package dev.atelier.firestore;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** A Firestore call that failed, with its gRPC status code; the status exception is the cause. */
public final class FirestoreError extends RuntimeException {
  private final Status.Code code;

  FirestoreError(String message, StatusRuntimeException cause) {
    super(message + ": " + cause.getStatus().getCode() + " " + describe(cause), cause);
    this.code = cause.getStatus().getCode();
  }

  public Status.Code code() {
    return code;
  }

  private static String describe(StatusRuntimeException e) {
    String d = e.getStatus().getDescription();
    return d == null ? "" : d;
  }
}
