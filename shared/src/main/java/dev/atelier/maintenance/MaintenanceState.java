package dev.atelier.maintenance;

import java.time.Instant;
import java.util.Map;

/**
 * {@code maintenance/{job}}: where a scheduled job's sweeps stopped ({@code cursors}: phase → the
 * last document path it finished, absent when the phase completed) and when the job last ran.
 */
public record MaintenanceState(String job, Map<String, String> cursors, Instant updatedAt) {

  public MaintenanceState {
    cursors = cursors == null ? Map.of() : Map.copyOf(cursors);
  }

  public static final class Field {
    public static final String JOB = "job";
    public static final String CURSORS = "cursors";
    public static final String UPDATED_AT = "updatedAt";

    private Field() {}
  }
}
