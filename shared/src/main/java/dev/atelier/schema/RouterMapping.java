package dev.atelier.schema;

import dev.atelier.generations.GenerationType;
import dev.atelier.router.AlertSeverity;
import dev.atelier.router.AlertType;
import dev.atelier.router.HealthStatus;
import dev.atelier.router.ModelQuota;
import dev.atelier.router.ProbeOutcome;
import dev.atelier.router.ProviderHealth;
import dev.atelier.router.QuotaPeriod;
import dev.atelier.router.RouterAlert;
import dev.atelier.router.RoutingDecision;
import dev.atelier.store.DocumentKey;

/** Codecs of the model-router collections (snake_case fields). */
final class RouterMapping {
  private RouterMapping() {}

  static void writeHealth(ProviderHealth h, DocWriter w) {
    w.put(ProviderHealth.Field.PROVIDER, h.provider())
        .put(ProviderHealth.Field.STATUS, h.status())
        .put(ProviderHealth.Field.LAST_CHECK, h.lastCheck())
        .put(ProviderHealth.Field.LATENCY_MS, h.latencyMs())
        .put(ProviderHealth.Field.ERROR_RATE, h.errorRate())
        .put(ProviderHealth.Field.CONSECUTIVE_FAILURES, h.consecutiveFailures())
        .put(ProviderHealth.Field.LAST_ERROR, h.lastError())
        .put(ProviderHealth.Field.COOLDOWN_UNTIL, h.cooldownUntil())
        .put(ProviderHealth.Field.STATUS_SINCE, h.statusSince())
        .objects(ProviderHealth.Field.PROBE_HISTORY, h.probeHistory(), RouterMapping::writeProbe)
        .put(ProviderHealth.Field.RECENT_JOBS_COMPLETED, h.recentJobsCompleted())
        .put(ProviderHealth.Field.RECENT_JOBS_FAILED, h.recentJobsFailed());
  }

  private static void writeProbe(ProviderHealth.Probe p, DocWriter w) {
    w.put(ProviderHealth.Probe.Field.AT, p.at())
        .put(ProviderHealth.Probe.Field.OUTCOME, p.outcome())
        .put(ProviderHealth.Probe.Field.LATENCY_MS, p.latencyMs());
  }

  private static ProviderHealth.Probe readProbe(DocReader r) {
    return new ProviderHealth.Probe(
        r.instant(ProviderHealth.Probe.Field.AT),
        r.enm(ProviderHealth.Probe.Field.OUTCOME, ProbeOutcome.class),
        r.optLng(ProviderHealth.Probe.Field.LATENCY_MS));
  }

  static ProviderHealth readHealth(DocumentKey key, DocReader r) {
    return new ProviderHealth(
        key.id("provider"),
        r.enm(ProviderHealth.Field.STATUS, HealthStatus.class),
        r.optInstant(ProviderHealth.Field.LAST_CHECK),
        r.optLng(ProviderHealth.Field.LATENCY_MS),
        r.dbl(ProviderHealth.Field.ERROR_RATE),
        r.lngOr(ProviderHealth.Field.CONSECUTIVE_FAILURES, 0),
        r.optStr(ProviderHealth.Field.LAST_ERROR),
        r.optInstant(ProviderHealth.Field.COOLDOWN_UNTIL),
        r.optInstant(ProviderHealth.Field.STATUS_SINCE),
        r.objects(ProviderHealth.Field.PROBE_HISTORY, RouterMapping::readProbe),
        r.lngOr(ProviderHealth.Field.RECENT_JOBS_COMPLETED, 0),
        r.lngOr(ProviderHealth.Field.RECENT_JOBS_FAILED, 0));
  }

  static void writeQuota(ModelQuota q, DocWriter w) {
    w.put(ModelQuota.Field.PROVIDER, q.provider())
        .put(ModelQuota.Field.MODEL_ID, q.modelId())
        .put(ModelQuota.Field.TOKENS_USED, q.tokensUsed())
        .put(ModelQuota.Field.TOKENS_LIMIT, q.tokensLimit())
        .put(ModelQuota.Field.RESET_AT, q.resetAt())
        .put(ModelQuota.Field.PERIOD, q.period())
        .put(ModelQuota.Field.UPDATED_AT, q.updatedAt());
  }

  static ModelQuota readQuota(DocumentKey key, DocReader r) {
    return new ModelQuota(
        r.str(ModelQuota.Field.PROVIDER),
        r.str(ModelQuota.Field.MODEL_ID),
        r.lngOr(ModelQuota.Field.TOKENS_USED, 0),
        r.lng(ModelQuota.Field.TOKENS_LIMIT),
        r.instant(ModelQuota.Field.RESET_AT),
        r.enm(ModelQuota.Field.PERIOD, QuotaPeriod.class),
        r.optInstant(ModelQuota.Field.UPDATED_AT));
  }

  static void writeAlert(RouterAlert a, DocWriter w) {
    w.put(RouterAlert.Field.TYPE, a.type())
        .put(RouterAlert.Field.SEVERITY, a.severity())
        .put(RouterAlert.Field.PROVIDER, a.provider())
        .put(RouterAlert.Field.MESSAGE, a.message())
        .put(RouterAlert.Field.DETAILS, a.details())
        .put(RouterAlert.Field.ACKNOWLEDGED, a.acknowledged())
        .put(RouterAlert.Field.CREATED_AT, a.createdAt())
        .put(RouterAlert.Field.ACKNOWLEDGED_AT, a.acknowledgedAt())
        .put(RouterAlert.Field.ACKNOWLEDGED_BY, a.acknowledgedBy())
        .put(RouterAlert.Field.EXPIRE_AT, a.expireAt());
  }

  static RouterAlert readAlert(DocumentKey key, DocReader r) {
    return new RouterAlert(
        key.id("alertId"),
        r.enm(RouterAlert.Field.TYPE, AlertType.class),
        r.enm(RouterAlert.Field.SEVERITY, AlertSeverity.class),
        r.optStr(RouterAlert.Field.PROVIDER),
        r.str(RouterAlert.Field.MESSAGE),
        r.rawMap(RouterAlert.Field.DETAILS),
        r.boolOr(RouterAlert.Field.ACKNOWLEDGED, false),
        r.optInstant(RouterAlert.Field.CREATED_AT),
        r.optInstant(RouterAlert.Field.ACKNOWLEDGED_AT),
        r.optStr(RouterAlert.Field.ACKNOWLEDGED_BY),
        r.optInstant(RouterAlert.Field.EXPIRE_AT));
  }

  static void writeDecision(RoutingDecision d, DocWriter w) {
    w.put(RoutingDecision.Field.JOB_ID, d.jobId())
        .put(RoutingDecision.Field.UID, d.uid())
        .put(RoutingDecision.Field.TASK_TYPE, d.taskType())
        .put(RoutingDecision.Field.SELECTED_PROVIDER, d.selectedProvider())
        .put(RoutingDecision.Field.SELECTED_MODEL, d.selectedModel())
        .put(RoutingDecision.Field.SCORE, d.score())
        .put(RoutingDecision.Field.REASON, d.reason())
        .put(RoutingDecision.Field.TIMESTAMP, d.timestamp())
        .put(RoutingDecision.Field.EXPIRES_AT, d.expiresAt())
        .objects(RoutingDecision.Field.CANDIDATES, d.candidates(), RouterMapping::writeCandidate);
  }

  private static void writeCandidate(RoutingDecision.Candidate c, DocWriter w) {
    w.put(RoutingDecision.Candidate.Field.PROVIDER, c.provider())
        .put(RoutingDecision.Candidate.Field.PROVIDER_MODEL, c.providerModel())
        .put(RoutingDecision.Candidate.Field.PRIORITY, c.priority())
        .put(RoutingDecision.Candidate.Field.OUTCOME, c.outcome())
        .put(RoutingDecision.Candidate.Field.REASON, c.reason());
  }

  private static RoutingDecision.Candidate readCandidate(DocReader r) {
    return new RoutingDecision.Candidate(
        r.str(RoutingDecision.Candidate.Field.PROVIDER),
        r.optStr(RoutingDecision.Candidate.Field.PROVIDER_MODEL),
        r.lngOr(RoutingDecision.Candidate.Field.PRIORITY, 0),
        r.enm(RoutingDecision.Candidate.Field.OUTCOME, RoutingDecision.Outcome.class),
        r.optStr(RoutingDecision.Candidate.Field.REASON));
  }

  static RoutingDecision readDecision(DocumentKey key, DocReader r) {
    return new RoutingDecision(
        key.id("decisionId"),
        r.str(RoutingDecision.Field.JOB_ID),
        r.optStr(RoutingDecision.Field.UID),
        r.enm(RoutingDecision.Field.TASK_TYPE, GenerationType.class),
        r.optStr(RoutingDecision.Field.SELECTED_PROVIDER),
        r.optStr(RoutingDecision.Field.SELECTED_MODEL),
        r.dbl(RoutingDecision.Field.SCORE),
        r.optStr(RoutingDecision.Field.REASON),
        r.optInstant(RoutingDecision.Field.TIMESTAMP),
        r.optInstant(RoutingDecision.Field.EXPIRES_AT),
        r.objects(RoutingDecision.Field.CANDIDATES, RouterMapping::readCandidate));
  }
}
