package dev.atelier.health;

import dev.atelier.catalog.SchedulerJobState;
import java.time.Instant;
import java.util.List;

/**
 * The Cloud Scheduler jobs of this deployment, as the health check reads them. The function module
 * implements it with google-cloud-scheduler (kept out of the model module, so no other function
 * carries the client); where no Scheduler API is reachable (locally) the listing is {@link
 * Skipped}.
 */
@FunctionalInterface
public interface SchedulerJobs {

  /** Lists the jobs, giving up (as Skipped or a truncated listing) at {@code deadline}. */
  Listing list(Instant deadline);

  /** What listing the jobs gave. */
  sealed interface Listing permits Checked, Skipped {}

  /**
   * @param truncated the listing stopped at its page limit or the deadline
   */
  record Checked(List<Job> jobs, boolean truncated) implements Listing {
    public Checked {
      jobs = List.copyOf(jobs);
    }
  }

  /**
   * @param reason one line for the log and the run's summary
   * @param expected true where no Scheduler API is expected (locally): logged at INFO, otherwise at
   *     WARNING
   */
  record Skipped(String reason, boolean expected) implements Listing {}

  /**
   * One job: its resource name ({@code projects/p/locations/l/jobs/name}), state, and its last
   * attempt: when, and its status code ({@code google.rpc.Code}: 0 is OK) and message.
   */
  record Job(
      String name,
      SchedulerJobState state,
      Instant lastAttemptAt,
      int statusCode,
      String statusMessage) {

    /** Whether its last attempt (if any) failed. */
    public boolean lastAttemptFailed() {
      return lastAttemptAt != null && statusCode != 0;
    }

    /** The job id, the last segment of its name. */
    public String shortName() {
      return name.substring(name.lastIndexOf('/') + 1);
    }
  }

  /** A source that never lists: every run skips the Scheduler part for {@code reason}. */
  static SchedulerJobs skipped(String reason, boolean expected) {
    Skipped skipped = new Skipped(reason, expected);
    return deadline -> skipped;
  }
}
