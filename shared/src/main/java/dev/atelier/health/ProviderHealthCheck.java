package dev.atelier.health;

import dev.atelier.catalog.ModelConfig;
import dev.atelier.catalog.ModelStatus;
import dev.atelier.catalog.Reachability;
import dev.atelier.catalog.SystemHealth;
import dev.atelier.firestore.Database;
import dev.atelier.firestore.FieldPath;
import dev.atelier.firestore.FieldValue;
import dev.atelier.firestore.Query;
import dev.atelier.firestore.Snapshot;
import dev.atelier.generations.GenerationError;
import dev.atelier.generations.GenerationItem;
import dev.atelier.generations.GenerationStatus;
import dev.atelier.maintenance.Lease;
import dev.atelier.platform.JsonLog;
import dev.atelier.providers.GenerationProvider;
import dev.atelier.providers.HealthProbe;
import dev.atelier.providers.Providers;
import dev.atelier.router.AlertSeverity;
import dev.atelier.router.AlertType;
import dev.atelier.router.Alerts;
import dev.atelier.router.HealthStatus;
import dev.atelier.router.ProviderHealth;
import dev.atelier.router.RouterAlert;
import dev.atelier.store.Documents;
import dev.atelier.store.FirestorePaths;
import dev.atelier.store.MappingException;
import dev.atelier.store.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * check-provider-health, one run:
 *
 * <ol>
 *   <li>takes the job's {@link Lease} ({@code maintenance/check-provider-health}): a run that finds
 *       another one running does nothing (two runs at once never count the same minute twice);
 *   <li>reads the catalog ({@code models_config}, paged by id; tens of documents, read whole every
 *       run because every model's status depends on it — no cursor to keep);
 *   <li>probes every provider named in a route and configured here, all at once, each bounded by
 *       the policy's probe timeout (5 s); a route naming a provider this deployment has no adapter
 *       for is reported (and routing skips it anyway);
 *   <li>per provider, in ONE transaction: reads {@code model_provider_health/{provider}}, applies
 *       {@link HealthRules} to the probe and the recent webhook outcomes, writes the new state and,
 *       on a status change, creates its alert (deterministic id: provider, change and time), so the
 *       alert exists exactly when the change commits; a probe older than the stored one is
 *       discarded (superseded);
 *   <li>each model's {@code status} follows its routes ({@link ModelAvailability}); a model is
 *       written only when isAvailable or healthStatus changes, or when its measurements are older
 *       than an hour;
 *   <li>the Cloud Scheduler jobs ({@link SchedulerJobs}): a job whose last attempt failed raises
 *       SCHEDULER_JOB_FAILED once per job and attempt time; skipped with one log line where no
 *       Scheduler API is reachable;
 *   <li>{@code system/health} summarises the run.
 * </ol>
 *
 * Times are the injected clock's (a cooldown is compared with it). A second run with nothing
 * changed raises nothing and writes no model; each run writes each probed provider's document (its
 * window moves) and {@code system/health}.
 */
public final class ProviderHealthCheck {

  /** The job's name: its lease and its log lines. */
  public static final String JOB = "check-provider-health";

  /** Models are read in pages of this many. */
  static final int MODEL_PAGE = 200;

  /** A catalog beyond this is not a catalog: the rest is left for a log line. */
  static final int MAX_MODELS = 5_000;

  /** A model's measurements (response time, error rate) are rewritten at most this often. */
  public static final Duration MODEL_REFRESH = Duration.ofHours(1);

  /** Reading the catalog slower than this marks the database degraded in {@code system/health}. */
  static final Duration SLOW_DATABASE = Duration.ofSeconds(1);

  /** How long past the run's deadline a lease of a run that died still blocks the next one. */
  static final Duration LEASE_MARGIN = Duration.ofSeconds(30);

  /**
   * What a run did (the JSON answer and the log line).
   *
   * @param skipped why nothing ran (another run holds the lease), null when it ran
   * @param providers each probed provider's status after the run
   * @param transitions status changes, e.g. {@code replicate: healthy -> down}
   * @param schedulerSkipped why the Scheduler part was skipped, null when it ran
   * @param unfinished the phase the deadline stopped, null when the run finished
   */
  public record Summary(
      boolean ran,
      String skipped,
      int providersProbed,
      Map<String, String> providers,
      List<String> unconfiguredProviders,
      List<String> transitions,
      int alertsRaised,
      int modelsChecked,
      int modelsUpdated,
      int modelsAvailable,
      int schedulerJobsChecked,
      int schedulerJobsFailed,
      String schedulerSkipped,
      String unfinished) {}

  /**
   * One provider's probe applied to its stored state.
   *
   * @param superseded the stored state already counted a probe at least as recent: nothing written
   */
  public record Applied(
      ProviderHealth state,
      Optional<HealthRules.Transition> transition,
      boolean alertRaised,
      boolean superseded) {}

  private final Database db;
  private final Providers providers;
  private final SchedulerJobs scheduler;
  private final HealthPolicy policy;
  private final Clock clock;
  private final Transactions transactions;
  private final Lease lease;

  public ProviderHealthCheck(
      Database db, Providers providers, SchedulerJobs scheduler, HealthPolicy policy, Clock clock) {
    this.db = db;
    this.providers = providers;
    this.scheduler = scheduler;
    this.policy = policy;
    this.clock = clock;
    this.transactions = new Transactions(db);
    this.lease = new Lease(db, clock);
  }

  public HealthPolicy policy() {
    return policy;
  }

  public Summary run(Instant deadline, JsonLog log) {
    String holder = UUID.randomUUID().toString();
    Optional<Instant> busy =
        lease.acquire(JOB, holder, deadline.plus(policy.probeTimeout()).plus(LEASE_MARGIN));
    if (busy.isPresent()) {
      String why = "another run holds the lease until " + busy.get();
      log.info("nothing done: " + why);
      return new Summary(
          false, why, 0, Map.of(), List.of(), List.of(), 0, 0, 0, 0, 0, 0, null, null);
    }
    try {
      return runHolding(deadline, log);
    } finally {
      lease.release(JOB, holder);
    }
  }

  private Summary runHolding(Instant deadline, JsonLog log) {
    Alerts alerts = new Alerts(db, clock, log);
    long readStarted = System.nanoTime();
    List<ModelConfig> models = readModels(log);
    Duration catalogRead = Duration.ofNanos(System.nanoTime() - readStarted);

    Set<String> named = new TreeSet<>();
    models.forEach(m -> m.routes().forEach(r -> named.add(r.provider())));
    Set<String> configured = new LinkedHashSet<>(providers.ids());
    List<String> toProbe = named.stream().filter(configured::contains).toList();
    List<String> unconfigured = named.stream().filter(p -> !configured.contains(p)).toList();
    if (!unconfigured.isEmpty()) {
      log.warn(
          "routes name providers this deployment has no settings for (not probed; routing skips"
              + " them): "
              + unconfigured);
    }

    Instant at = clock.instant();
    Map<String, HealthProbe> probes = probeAll(toProbe);

    Map<String, ProviderHealth> states = new LinkedHashMap<>();
    Map<String, String> statuses = new LinkedHashMap<>();
    List<String> transitions = new ArrayList<>();
    int alertsRaised = 0;
    String unfinished = null;
    for (String provider : toProbe) {
      if (!clock.instant().isBefore(deadline)) {
        unfinished = "providers";
        break;
      }
      JobOutcomes jobs = jobOutcomes(provider, at, log);
      Applied applied = record(provider, at, probes.get(provider), jobs, alerts, log);
      states.put(provider, applied.state());
      statuses.put(provider, applied.state().status().wire());
      applied
          .transition()
          .ifPresent(
              t -> transitions.add(provider + ": " + t.from().wire() + " -> " + t.to().wire()));
      alertsRaised += applied.alertRaised() ? 1 : 0;
    }

    int modelsUpdated = 0;
    int modelsAvailable = 0;
    int modelsChecked = 0;
    if (unfinished == null) {
      Instant now = clock.instant();
      for (ModelConfig model : models) {
        if (!now.isBefore(deadline)) {
          unfinished = "models";
          break;
        }
        ModelStatus status = ModelAvailability.derive(model, states, configured, now);
        modelsChecked++;
        modelsAvailable += status.isAvailable() ? 1 : 0;
        if (needsWrite(model.status(), status, now) && writeStatus(model, status, log)) {
          modelsUpdated++;
          if (model.status() == null
              || model.status().isAvailable() != status.isAvailable()
              || model.status().healthStatus() != status.healthStatus()) {
            log.info(
                "model "
                    + model.id()
                    + ": "
                    + (status.isAvailable() ? "available" : "unavailable")
                    + ", "
                    + status.healthStatus().wire());
          }
        }
      }
    }

    int jobsChecked = 0;
    int jobsFailed = 0;
    String schedulerSkipped = null;
    Map<String, SystemHealth.SchedulerJob> schedulerJobs = null;
    if (unfinished == null) {
      SchedulerJobs.Listing listing = scheduler.list(deadline);
      if (listing instanceof SchedulerJobs.Skipped s) {
        schedulerSkipped = s.reason();
        log.log(
            s.expected() ? JsonLog.Severity.INFO : JsonLog.Severity.WARNING,
            "Cloud Scheduler jobs not checked: " + s.reason(),
            Map.of());
      } else if (listing instanceof SchedulerJobs.Checked c) {
        schedulerJobs = new LinkedHashMap<>();
        for (SchedulerJobs.Job job : c.jobs()) {
          jobsChecked++;
          schedulerJobs.put(
              job.shortName(),
              new SystemHealth.SchedulerJob(
                  job.state(),
                  job.lastAttemptAt(),
                  job.lastAttemptFailed()
                      ? "code " + job.statusCode() + ": " + job.statusMessage()
                      : null));
          if (job.lastAttemptFailed()) {
            jobsFailed++;
            alertsRaised += raiseJobFailed(alerts, job) ? 1 : 0;
          }
        }
        if (c.truncated()) {
          log.warn("Cloud Scheduler listing stopped early: " + jobsChecked + " jobs checked");
        }
      }
    }

    writeSystemHealth(at, catalogRead, probes, states, schedulerJobs);
    return new Summary(
        true,
        null,
        probes.size(),
        statuses,
        unconfigured,
        transitions,
        alertsRaised,
        modelsChecked,
        modelsUpdated,
        modelsAvailable,
        jobsChecked,
        jobsFailed,
        schedulerSkipped,
        unfinished);
  }

  /**
   * Applies one probe of {@code provider}, taken at {@code at}, to its stored state in a
   * transaction; on a status change the alert is created in the same transaction and logged after
   * the commit.
   */
  public Applied record(
      String provider, Instant at, HealthProbe probe, JobOutcomes jobs, JsonLog log) {
    return record(provider, at, probe, jobs, new Alerts(db, clock, log), log);
  }

  private record Attempt(Applied applied, RouterAlert alert) {}

  private Applied record(
      String provider,
      Instant at,
      HealthProbe probe,
      JobOutcomes jobs,
      Alerts alerts,
      JsonLog log) {
    String ref = FirestorePaths.providerHealth(provider);
    Attempt attempt =
        transactions.run(
            tx -> {
              Optional<ProviderHealth> previous;
              try {
                previous = Transactions.read(tx, ref, ProviderHealth.class);
              } catch (MappingException e) {
                // Hand-edited into something unreadable: start it afresh rather than never again.
                log.warn("model_provider_health/" + provider + " is unreadable, reset: " + e);
                previous = Optional.empty();
              }
              if (previous.isPresent()
                  && previous.get().lastCheck() != null
                  && !at.isAfter(previous.get().lastCheck())) {
                return new Attempt(
                    new Applied(previous.get(), Optional.empty(), false, true), null);
              }
              HealthRules.Assessment assessment =
                  HealthRules.assess(provider, previous, at, probe, jobs, policy);
              RouterAlert alert = null;
              Optional<HealthRules.Transition> transition = assessment.transition();
              if (transition.isPresent() && transition.get().alertType().isPresent()) {
                HealthRules.Transition t = transition.get();
                RouterAlert draft =
                    alerts.draft(
                        t.alertType().get(),
                        t.severity(),
                        provider,
                        t.message(),
                        alertDetails(t, assessment.next()),
                        t.dedupeKey());
                alert = alerts.stage(tx, draft) ? draft : null;
              }
              tx.set(ref, Documents.encode(assessment.next()));
              return new Attempt(
                  new Applied(assessment.next(), transition, alert != null, false), alert);
            });
    Applied applied = attempt.applied();
    if (applied.superseded()) {
      log.info("provider " + provider + ": a newer probe is already recorded; this one is dropped");
    }
    applied.transition().ifPresent(t -> log.info(t.message()));
    if (attempt.alert() != null) {
      alerts.announce(attempt.alert());
    }
    return applied;
  }

  private static Map<String, Object> alertDetails(HealthRules.Transition t, ProviderHealth state) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("from", t.from().wire());
    details.put("to", t.to().wire());
    details.put("reason", t.reason());
    details.put("at", t.at().toString());
    details.put(ProviderHealth.Field.CONSECUTIVE_FAILURES, state.consecutiveFailures());
    details.put(ProviderHealth.Field.ERROR_RATE, state.errorRate());
    if (state.latencyMs() != null) {
      details.put(ProviderHealth.Field.LATENCY_MS, state.latencyMs());
    }
    if (state.lastError() != null) {
      details.put(ProviderHealth.Field.LAST_ERROR, state.lastError());
    }
    if (state.cooldownUntil() != null) {
      details.put(ProviderHealth.Field.COOLDOWN_UNTIL, state.cooldownUntil().toString());
    }
    return details;
  }

  /**
   * The webhook outcomes of {@code provider}'s recent jobs: its history items updated within the
   * policy's job window (newest first, at most {@code jobSampleLimit}), counted as completed or
   * failed by the provider ({@code PROVIDER_FAILED}). One collection-group query per provider and
   * run (index: items provider ASC, updatedAt DESC); on a read failure the run goes on with none.
   */
  public JobOutcomes jobOutcomes(String provider, Instant now, JsonLog log) {
    if (policy.jobSampleLimit() == 0) {
      return JobOutcomes.NONE;
    }
    Query query =
        db.collectionGroup(FirestorePaths.HISTORY_ITEMS_GROUP)
            .whereEqualTo(GenerationItem.Field.PROVIDER, provider)
            .whereGreaterThanOrEqualTo(
                GenerationItem.Field.UPDATED_AT, now.minus(policy.jobWindow()))
            .orderBy(GenerationItem.Field.UPDATED_AT, Query.Direction.DESCENDING)
            .limit(policy.jobSampleLimit())
            .select(
                FieldPath.of(GenerationItem.Field.STATUS),
                FieldPath.of(GenerationItem.Field.ERROR, GenerationError.Field.CODE));
    List<Snapshot> docs;
    try {
      docs = query.get();
    } catch (RuntimeException e) {
      log.warn("recent jobs of " + provider + " not read; probes only this run", e);
      return JobOutcomes.NONE;
    }
    long completed = 0;
    long failed = 0;
    for (Snapshot doc : docs) {
      String status = doc.getString(GenerationItem.Field.STATUS);
      Object code = doc.get(FieldPath.of(GenerationItem.Field.ERROR, GenerationError.Field.CODE));
      if (GenerationStatus.COMPLETED.wire().equals(status)) {
        completed++;
      } else if (GenerationStatus.FAILED.wire().equals(status)
          && GenerationError.PROVIDER_FAILED.equals(code)) {
        failed++;
      }
    }
    return new JobOutcomes(completed, failed, docs.size() == policy.jobSampleLimit());
  }

  private Map<String, HealthProbe> probeAll(List<String> ids) {
    Map<String, HealthProbe> out = new LinkedHashMap<>();
    if (ids.isEmpty()) {
      return out;
    }
    AtomicInteger n = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(ids.size(), 16),
            r -> {
              Thread t = new Thread(r, "health-probe-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    try {
      Map<String, Future<HealthProbe>> running = new LinkedHashMap<>();
      for (String id : ids) {
        GenerationProvider adapter = providers.adapter(id).orElseThrow();
        running.put(id, pool.submit(() -> adapter.probe(policy.probeTimeout())));
      }
      // Each probe bounds itself; this only guards against an adapter that does not.
      long waitUntil = System.nanoTime() + policy.probeTimeout().plusSeconds(2).toNanos();
      for (Map.Entry<String, Future<HealthProbe>> e : running.entrySet()) {
        HealthProbe probe;
        try {
          probe =
              e.getValue().get(Math.max(0, waitUntil - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException ex) {
          e.getValue().cancel(true);
          probe = failed("no answer within " + policy.probeTimeout().toMillis() + " ms");
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
          probe = failed("interrupted");
        } catch (ExecutionException ex) {
          probe = failed("probe failed: " + ex.getCause());
        }
        out.put(e.getKey(), probe);
      }
    } finally {
      pool.shutdownNow();
    }
    return out;
  }

  private static HealthProbe failed(String detail) {
    return new HealthProbe(HealthProbe.Outcome.FAILED, null, 0, detail);
  }

  private List<ModelConfig> readModels(JsonLog log) {
    List<ModelConfig> models = new ArrayList<>();
    Query base = db.collection(FirestorePaths.modelsConfig()).orderBy(FieldPath.documentId());
    Snapshot last = null;
    while (models.size() < MAX_MODELS) {
      Query page = (last == null ? base : base.startAfter(last)).limit(MODEL_PAGE);
      List<Snapshot> docs = page.get();
      for (Snapshot doc : docs) {
        try {
          models.add(Documents.read(doc, ModelConfig.class).orElseThrow());
        } catch (MappingException e) {
          log.warn("models_config/" + doc.id() + " does not decode; left alone: " + e);
        }
      }
      if (docs.size() < MODEL_PAGE) {
        return models;
      }
      last = docs.get(docs.size() - 1);
    }
    log.warn("models_config has more than " + MAX_MODELS + " models; the rest is not checked");
    return models;
  }

  private static boolean needsWrite(ModelStatus stored, ModelStatus next, Instant now) {
    return stored == null
        || stored.isAvailable() != next.isAvailable()
        || stored.healthStatus() != next.healthStatus()
        || stored.lastHealthCheck() == null
        || !now.isBefore(stored.lastHealthCheck().plus(MODEL_REFRESH));
  }

  /** Only the status fields the health check owns; false when the model went away meanwhile. */
  private boolean writeStatus(ModelConfig model, ModelStatus status, JsonLog log) {
    String prefix = ModelConfig.Field.STATUS + ".";
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put(prefix + ModelStatus.Field.IS_AVAILABLE, status.isAvailable());
    fields.put(prefix + ModelStatus.Field.HEALTH_STATUS, status.healthStatus().wire());
    fields.put(prefix + ModelStatus.Field.LAST_HEALTH_CHECK, status.lastHealthCheck());
    fields.put(
        prefix + ModelStatus.Field.RESPONSE_TIME_MS,
        status.responseTimeMs() == null ? FieldValue.delete() : status.responseTimeMs());
    fields.put(
        prefix + ModelStatus.Field.ERROR_RATE,
        status.errorRate() == null ? FieldValue.delete() : status.errorRate());
    try {
      db.update(FirestorePaths.modelConfig(model.id()), fields);
      return true;
    } catch (RuntimeException e) {
      log.warn("models_config/" + model.id() + " status not written", e);
      return false;
    }
  }

  private boolean raiseJobFailed(Alerts alerts, SchedulerJobs.Job job) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("job", job.name());
    details.put("state", job.state().wire());
    details.put("lastAttemptAt", job.lastAttemptAt().toString());
    details.put("statusCode", (long) job.statusCode());
    if (job.statusMessage() != null) {
      details.put("statusMessage", job.statusMessage());
    }
    return alerts.raise(
        AlertType.SCHEDULER_JOB_FAILED,
        AlertSeverity.WARNING,
        null,
        "Cloud Scheduler job "
            + job.shortName()
            + ": its last attempt at "
            + job.lastAttemptAt()
            + " failed (code "
            + job.statusCode()
            + (job.statusMessage() == null || job.statusMessage().isBlank()
                ? ""
                : ": " + job.statusMessage())
            + ")",
        details,
        "scheduler|" + job.name() + "|" + job.lastAttemptAt().toEpochMilli());
  }

  private void writeSystemHealth(
      Instant at,
      Duration catalogRead,
      Map<String, HealthProbe> probes,
      Map<String, ProviderHealth> states,
      Map<String, SystemHealth.SchedulerJob> schedulerJobs) {
    String ref = FirestorePaths.systemHealth();
    Optional<SystemHealth> previous;
    try {
      previous = Documents.read(db.get(ref), SystemHealth.class);
    } catch (MappingException e) {
      previous = Optional.empty();
    }
    Map<String, SystemHealth.ExternalApi> apis = new LinkedHashMap<>();
    probes.forEach(
        (id, probe) ->
            apis.put(
                id,
                new SystemHealth.ExternalApi(
                    probe.outcome() == HealthProbe.Outcome.FAILED
                        ? Reachability.UNREACHABLE
                        : Reachability.REACHABLE,
                    probe.latency() == null ? null : probe.latency().toMillis(),
                    at,
                    Optional.ofNullable(states.get(id))
                        .map(ProviderHealth::consecutiveFailures)
                        .orElse(0L))));
    Instant now = clock.instant();
    SystemHealth health =
        new SystemHealth(
            now,
            new SystemHealth.Database(
                catalogRead.compareTo(SLOW_DATABASE) >= 0
                    ? HealthStatus.DEGRADED
                    : HealthStatus.HEALTHY,
                catalogRead.toMillis(),
                null),
            apis,
            schedulerJobs != null
                ? schedulerJobs
                : previous.map(SystemHealth::schedulerJobs).orElse(Map.of()),
            previous.map(SystemHealth::createdAt).filter(c -> c != null).orElse(now),
            now);
    db.set(ref, Documents.encode(health));
  }
}
