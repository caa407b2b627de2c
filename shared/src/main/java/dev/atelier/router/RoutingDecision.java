package dev.atelier.router;

import dev.atelier.generations.GenerationType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@code routing_decisions/{id}}: which provider and model served one generation ({@code job_id} is
 * the history item id) and why, with every candidate route and what became of it. {@code
 * selected_provider}/{@code selected_model} (the provider's model reference) are null when no route
 * could take the job. {@code expires_at} (30 days on) is the TTL policy's field.
 */
public record RoutingDecision(
    String id,
    String jobId,
    String uid,
    GenerationType taskType,
    String selectedProvider,
    String selectedModel,
    double score,
    String reason,
    Instant timestamp,
    Instant expiresAt,
    List<Candidate> candidates) {

  public RoutingDecision {
    candidates = candidates == null ? List.of() : List.copyOf(candidates);
  }

  /** One route considered: {@code outcome} is selected, skipped or failed, with why. */
  public record Candidate(
      String provider, String providerModel, long priority, Outcome outcome, String reason) {
    public static final class Field {
      public static final String PROVIDER = "provider";
      public static final String PROVIDER_MODEL = "provider_model";
      public static final String PRIORITY = "priority";
      public static final String OUTCOME = "outcome";
      public static final String REASON = "reason";

      private Field() {}
    }
  }

  /** What became of a candidate route. */
  public enum Outcome implements dev.atelier.store.WireEnum {
    SELECTED("selected"),
    SKIPPED("skipped"),
    FAILED("failed");

    private final String wire;

    Outcome(String wire) {
      this.wire = wire;
    }

    @Override
    public String wire() {
      return wire;
    }
  }

  /** How long a decision is kept: {@code expires_at} = {@code timestamp} + this. */
  public static final Duration RETENTION = Duration.ofDays(30);

  public static final class Field {
    public static final String JOB_ID = "job_id";
    public static final String UID = "uid";
    public static final String TASK_TYPE = "task_type";
    public static final String SELECTED_PROVIDER = "selected_provider";
    public static final String SELECTED_MODEL = "selected_model";
    public static final String SCORE = "score";
    public static final String REASON = "reason";
    public static final String TIMESTAMP = "timestamp";
    public static final String EXPIRES_AT = "expires_at";
    public static final String CANDIDATES = "candidates";

    private Field() {}
  }
}
