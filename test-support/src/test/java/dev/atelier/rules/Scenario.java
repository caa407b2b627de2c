package dev.atelier.rules;

import com.google.api.core.ApiFuture;
import com.google.cloud.firestore.Firestore;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One request of one identity and what the rules must answer: {@code rule} names the rule (a SPEC
 * "Security" line) it checks.
 */
record Scenario(
    String rule,
    Who who,
    String request,
    Function<Firestore, ApiFuture<?>> action,
    boolean allowed) {

  /** What happened: allowed, denied (PERMISSION_DENIED), or another failure. */
  enum Outcome {
    ALLOWED,
    DENIED
  }

  Outcome run(RulesWorld world) throws Exception {
    try {
      action.apply(world.client(who)).get(60, TimeUnit.SECONDS);
      return Outcome.ALLOWED;
    } catch (ExecutionException e) {
      // A transaction wraps the commit's error ("Transaction failed with non-retryable error").
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (String.valueOf(t.getMessage()).contains("PERMISSION_DENIED")) {
          return Outcome.DENIED;
        }
      }
      throw new AssertionError(this + " failed with something else than PERMISSION_DENIED", e);
    }
  }

  Outcome expected() {
    return allowed ? Outcome.ALLOWED : Outcome.DENIED;
  }

  @Override
  public String toString() {
    return (allowed ? "allowed: " : "denied: ")
        + who.name().toLowerCase(java.util.Locale.ROOT)
        + " "
        + request
        + "  ["
        + rule
        + "]";
  }
}
