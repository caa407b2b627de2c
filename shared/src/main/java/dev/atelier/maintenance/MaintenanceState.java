package dev.atelier.maintenance;

import java.time.Instant;
import java.util.Map;

/**
 * {@code maintenance/{job}}: where a scheduled job's sweeps stopped ({@code cursors}: phase → the
 * last document path it finished, absent when the phase completed), when the job last ran, and the
 * run that holds the job's {@link Lease} ({@code leaseHolder} until {@code leaseUntil}; both null
 * when no run holds it).
 */
public record MaintenanceState(
    String job,
    Map<String, String> cursors,
    Instant updatedAt,
    String leaseHolder,
    Instant leaseUntil) {

  public MaintenanceState {
    cursors = cursors == null ? Map.of() : Map.copyOf(cursors);
  }

  /** A state without a lease. */
  public MaintenanceState(String job, Map<String, String> cursors, Instant updatedAt) {
    this(job, cursors, updatedAt, null, null);
  }

  public static final class Field {
    public static final String JOB = "job";
    public static final String CURSORS = "cursors";
    public static final String UPDATED_AT = "updatedAt";
    public static final String LEASE_HOLDER = "leaseHolder";
    public static final String LEASE_UNTIL = "leaseUntil";

    private Field() {}
  }
}
