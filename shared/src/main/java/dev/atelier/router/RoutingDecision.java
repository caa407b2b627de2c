package dev.atelier.router;

import dev.atelier.generations.GenerationType;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code routing_decisions/{id}}: which provider and model served one generation ({@code job_id} is
 * the history item id) and why. {@code expires_at} (30 days on) is the TTL policy's field.
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
    Instant expiresAt) {

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

    private Field() {}
  }
}
