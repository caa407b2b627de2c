package dev.atelier.platform;

import com.google.api.core.ApiFuture;
import java.util.concurrent.ExecutionException;

/**
 * Waiting on a client call outside a transaction body, with its failure as an unchecked exception.
 */
public final class Futures {
  private Futures() {}

  /**
   * The future's value. A failure comes out as its cause when unchecked (keeping gRPC status codes
   * visible to {@code Transient}), otherwise wrapped; an interrupt keeps the thread's flag.
   */
  public static <T> T await(ApiFuture<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    }
  }
}
