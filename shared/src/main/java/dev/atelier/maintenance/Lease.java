package dev.atelier.maintenance;

import dev.atelier.firestore.Database;
import dev.atelier.firestore.FieldValue;
import dev.atelier.firestore.Snapshot;
import dev.atelier.store.Documents;
import dev.atelier.store.FirestorePaths;
import dev.atelier.store.Transactions;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One run of a scheduled job at a time: a run takes the job's lease in {@code maintenance/{job}}
 * ({@code leaseHolder}, {@code leaseUntil}) in a transaction, and a second run that starts while
 * the lease is held finds it taken and does nothing. A run releases its lease when it ends; a run
 * that died keeps it only until {@code leaseUntil} (set it past the run's deadline, under the
 * schedule's period), so a crash never blocks the job for long. For jobs whose work is not
 * idempotent per run (a health check counts its probes), this is what makes two runs at once safe.
 */
public final class Lease {

  private final Database db;
  private final Clock clock;
  private final Transactions transactions;

  public Lease(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
    this.transactions = new Transactions(db);
  }

  /**
   * Takes {@code job}'s lease for {@code holder} until {@code until}, unless another holder's lease
   * is still running.
   *
   * @return empty when taken; otherwise the other holder's {@code leaseUntil}
   */
  public Optional<Instant> acquire(String job, String holder, Instant until) {
    String ref = FirestorePaths.maintenanceState(job);
    return transactions.run(
        tx -> {
          Instant now = clock.instant();
          Snapshot state = tx.get(ref);
          String current = state.getString(MaintenanceState.Field.LEASE_HOLDER);
          Instant currentUntil = instant(state.get(MaintenanceState.Field.LEASE_UNTIL));
          if (current != null
              && !current.equals(holder)
              && currentUntil != null
              && now.isBefore(currentUntil)) {
            return Optional.of(currentUntil);
          }
          Map<String, Object> fields = new LinkedHashMap<>();
          fields.put(MaintenanceState.Field.JOB, job);
          fields.put(MaintenanceState.Field.LEASE_HOLDER, holder);
          fields.put(MaintenanceState.Field.LEASE_UNTIL, until);
          fields.put(MaintenanceState.Field.UPDATED_AT, FieldValue.serverTimestamp());
          fields.put(Documents.SCHEMA_VERSION_FIELD, Documents.SCHEMA_VERSION);
          tx.merge(ref, fields);
          return Optional.empty();
        });
  }

  /** Gives {@code job}'s lease back if {@code holder} still holds it (nothing otherwise). */
  public void release(String job, String holder) {
    String ref = FirestorePaths.maintenanceState(job);
    transactions.run(
        tx -> {
          Snapshot state = tx.get(ref);
          if (holder.equals(state.getString(MaintenanceState.Field.LEASE_HOLDER))) {
            tx.update(
                ref,
                Map.of(
                    MaintenanceState.Field.LEASE_HOLDER,
                    FieldValue.delete(),
                    MaintenanceState.Field.LEASE_UNTIL,
                    FieldValue.delete(),
                    MaintenanceState.Field.UPDATED_AT,
                    FieldValue.serverTimestamp()));
          }
          return null;
        });
  }

  private static Instant instant(Object value) {
    return value instanceof Instant t ? t : null;
  }
}
