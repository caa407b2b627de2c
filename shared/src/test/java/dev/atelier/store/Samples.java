package dev.atelier.store;

import dev.atelier.admin.AdminAudit;
import dev.atelier.catalog.DeploymentEnvironment;
import dev.atelier.catalog.ModelCapabilities;
import dev.atelier.catalog.ModelConfig;
import dev.atelier.catalog.ModelFeatures;
import dev.atelier.catalog.ModelPricing;
import dev.atelier.catalog.ModelStatus;
import dev.atelier.catalog.Plan;
import dev.atelier.catalog.PlanCode;
import dev.atelier.catalog.ProviderRoute;
import dev.atelier.catalog.Reachability;
import dev.atelier.catalog.SchedulerJobState;
import dev.atelier.catalog.SystemConfig;
import dev.atelier.catalog.SystemHealth;
import dev.atelier.catalog.SystemVersion;
import dev.atelier.credits.AppliedEntry;
import dev.atelier.credits.Balance;
import dev.atelier.credits.LedgerEntry;
import dev.atelier.credits.LedgerStatus;
import dev.atelier.credits.LedgerType;
import dev.atelier.generations.AudioMedia;
import dev.atelier.generations.CreatedBy;
import dev.atelier.generations.GenerationError;
import dev.atelier.generations.GenerationItem;
import dev.atelier.generations.GenerationParams;
import dev.atelier.generations.GenerationStatus;
import dev.atelier.generations.GenerationType;
import dev.atelier.generations.ImageMedia;
import dev.atelier.generations.PublicGeneration;
import dev.atelier.generations.VideoMedia;
import dev.atelier.generations.Visibility;
import dev.atelier.idempotency.IdempotencyRecord;
import dev.atelier.maintenance.MaintenanceState;
import dev.atelier.redeem.RedeemCode;
import dev.atelier.redeem.RedeemCodeStatus;
import dev.atelier.redeem.RedeemCodeType;
import dev.atelier.redeem.RedeemCodeUsage;
import dev.atelier.router.AlertSeverity;
import dev.atelier.router.AlertType;
import dev.atelier.router.HealthStatus;
import dev.atelier.router.ModelQuota;
import dev.atelier.router.ProbeOutcome;
import dev.atelier.router.ProviderHealth;
import dev.atelier.router.QuotaPeriod;
import dev.atelier.router.RouterAlert;
import dev.atelier.router.RoutingDecision;
import dev.atelier.usage.ActionType;
import dev.atelier.usage.RateLimitLog;
import dev.atelier.usage.UsageLog;
import dev.atelier.users.AccountStatus;
import dev.atelier.users.DeviceInfo;
import dev.atelier.users.Preferences;
import dev.atelier.users.ProviderId;
import dev.atelier.users.Theme;
import dev.atelier.users.UserMetadata;
import dev.atelier.users.UserProfile;
import dev.atelier.users.UsernameReservation;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One record of every {@link DocumentKind} with every field set ({@link #full}) and one with every
 * optional field left out ({@link #minimal}), each with the path it is stored at. Times have
 * microsecond precision, as Firestore keeps them.
 */
final class Samples {
  private Samples() {}

  /** A record and the document path it belongs at. */
  record Sample(String path, Object record) {}

  static final Instant T1 = Instant.parse("2026-11-21T10:15:30.123456Z");
  static final Instant T2 = Instant.parse("2026-11-21T11:00:00.000001Z");
  static final Instant T3 = Instant.parse("2026-12-31T23:59:59Z");

  static Sample full(DocumentKind kind) {
    return switch (kind) {
      case USER ->
          new Sample(
              FirestorePaths.user("u1"),
              new UserProfile(
                  "u1",
                  "ada@example.com",
                  "Ada",
                  "Ada Lovelace",
                  "https://img.example/ada.png",
                  ProviderId.GOOGLE,
                  true,
                  true,
                  T1,
                  T2,
                  7,
                  "203.0.113.9",
                  "Mozilla/5.0",
                  new DeviceInfo("Chrome", "macOS", "desktop"),
                  new Preferences(Theme.DARK, "en", "Europe/London"),
                  new UserMetadata(T1, AccountStatus.ACTIVE, List.of("beta")),
                  false,
                  T2,
                  Boolean.TRUE));
      case USERNAME_RESERVATION ->
          new Sample(
              FirestorePaths.usernameReservation("Ada"),
              new UsernameReservation("ada", "u1", "Ada", T1));
      case BALANCE ->
          new Sample(FirestorePaths.balance("u1"), new Balance("u1", 120, PlanCode.PLAN_A, T1, T2));
      case LEDGER_ENTRY ->
          new Sample(
              FirestorePaths.ledgerEntry("u1", "e1"),
              new LedgerEntry(
                  "u1",
                  "e1",
                  LedgerType.HOLD,
                  -30,
                  "generation g1",
                  LedgerStatus.PENDING,
                  meta(),
                  T1,
                  -30L,
                  90L,
                  "key-1"));
      case APPLIED_ENTRY ->
          new Sample(
              FirestorePaths.appliedEntry("u1", "e1"),
              new AppliedEntry(
                  "u1",
                  "e1",
                  -30,
                  LedgerType.HOLD,
                  -30L,
                  LedgerStatus.PENDING,
                  "generation g1",
                  T1,
                  null,
                  T2));
      case HISTORY_ITEM -> new Sample(FirestorePaths.historyItem("u1", "g1"), item());
      case PUBLIC_GENERATION ->
          new Sample(FirestorePaths.mirror("g1"), PublicGeneration.project(item()).orElseThrow());
      case REDEEM_CODE ->
          new Sample(
              FirestorePaths.redeemCode("STUDENT-7KQ4M2XP"),
              new RedeemCode(
                  "STUDENT-7KQ4M2XP",
                  RedeemCodeType.STUDENT,
                  PlanCode.PLAN_A,
                  RedeemCodeStatus.ACTIVE,
                  50,
                  2,
                  T3,
                  T1,
                  T2,
                  "admin1",
                  List.of("u1", "u2")));
      case REDEEM_CODE_USAGE ->
          new Sample(
              FirestorePaths.redeemCodeUsage("STUDENT-7KQ4M2XP", "u1"),
              new RedeemCodeUsage(
                  FirestorePaths.redeemCodeUsageId("STUDENT-7KQ4M2XP", "u1"),
                  "STUDENT-7KQ4M2XP",
                  "u1",
                  "Ada",
                  "ada@example.com",
                  PlanCode.PLAN_A,
                  500,
                  T1));
      case PLAN ->
          new Sample(
              FirestorePaths.plan("PLAN_B"),
              new Plan(PlanCode.PLAN_B, "Creator", 2000, 49900, true, 2L, T1, T2));
      case MODEL_CONFIG ->
          new Sample(
              FirestorePaths.modelConfig("flux-schnell"),
              new ModelConfig(
                  "flux-schnell",
                  "FLUX.1 schnell",
                  "replicate",
                  GenerationType.TEXT_TO_IMAGE,
                  List.of(
                      new ProviderRoute("replicate", "black-forest-labs/flux-schnell", 1),
                      new ProviderRoute("fal", "fal-ai/flux/schnell", 2)),
                  new ModelPricing(2, 3, 0),
                  new ModelCapabilities(
                      List.of("1:1", "16:9"), 4, 10L, 2000, true, false, List.of(5L, 10L)),
                  new ModelStatus(true, HealthStatus.HEALTHY, T1, 850L, 0.02),
                  new ModelFeatures(10L, 500L, true),
                  1,
                  "2024-08",
                  T3,
                  T1,
                  T2));
      case SYSTEM_CONFIG ->
          new Sample(
              FirestorePaths.systemConfig(),
              new SystemConfig(
                  new SystemConfig.Features(true, true, true, false),
                  new SystemConfig.Limits(
                      3,
                      2000,
                      30,
                      new SystemConfig.RateLimit(20, 300),
                      Map.of("redeem-code", new SystemConfig.RateLimit(10, 60))),
                  new SystemConfig.Defaults("flux-schnell", Visibility.PRIVATE, "1:1"),
                  T1,
                  T2));
      case SYSTEM_VERSION ->
          new Sample(
              FirestorePaths.systemVersion(),
              new SystemVersion(
                  "0.1.0", 1, T1, "3286609", DeploymentEnvironment.PRODUCTION, T1, T2));
      case SYSTEM_HEALTH ->
          new Sample(
              FirestorePaths.systemHealth(),
              new SystemHealth(
                  T2,
                  new SystemHealth.Database(HealthStatus.HEALTHY, 12, "none"),
                  Map.of(
                      "replicate",
                      new SystemHealth.ExternalApi(Reachability.REACHABLE, 240L, T2, 0),
                      "fal",
                      new SystemHealth.ExternalApi(Reachability.UNREACHABLE, null, T2, 3)),
                  Map.of(
                      "reap-stale-jobs",
                      new SystemHealth.SchedulerJob(SchedulerJobState.ENABLED, T1, "timeout")),
                  T1,
                  T2));
      case PROVIDER_HEALTH ->
          new Sample(
              FirestorePaths.providerHealth("replicate"),
              new ProviderHealth(
                  "replicate",
                  HealthStatus.DEGRADED,
                  T2,
                  1900L,
                  0.25,
                  2,
                  "HTTP 502",
                  T3,
                  T1,
                  List.of(
                      new ProviderHealth.Probe(T1, ProbeOutcome.SLOW, 2400L),
                      new ProviderHealth.Probe(T2, ProbeOutcome.FAILED, null)),
                  6,
                  1));
      case MODEL_QUOTA ->
          new Sample(
              FirestorePaths.modelQuota("replicate", "flux-schnell"),
              new ModelQuota("replicate", "flux-schnell", 40, 1000, T3, QuotaPeriod.DAY, T2));
      case ROUTER_ALERT ->
          new Sample(
              FirestorePaths.routerAlert("a1"),
              new RouterAlert(
                  "a1",
                  AlertType.PROVIDER_DOWN,
                  AlertSeverity.CRITICAL,
                  "fal",
                  "fal is down",
                  meta(),
                  true,
                  T1,
                  T2,
                  "admin1",
                  T3));
      case ROUTING_DECISION ->
          new Sample(
              FirestorePaths.routingDecision("d1"),
              new RoutingDecision(
                  "d1",
                  "g1",
                  "u1",
                  GenerationType.TEXT_TO_VIDEO,
                  "runway",
                  "gen3",
                  0.87,
                  "healthy, quota left",
                  T1,
                  T3,
                  List.of(
                      new RoutingDecision.Candidate(
                          "fal", "fal-ai/gen3", 1, RoutingDecision.Outcome.SKIPPED, "down"),
                      new RoutingDecision.Candidate(
                          "runway", "gen3", 2, RoutingDecision.Outcome.SELECTED, "accepted"))));
      case RATE_LIMIT_LOG ->
          new Sample(
              FirestorePaths.rateLimitLog("u1_submit_1"),
              new RateLimitLog(
                  "u1_submit_1", "u1", "/submit-generation", 12, T1, T2, T2, true, T3));
      case USAGE_LOG ->
          new Sample(
              FirestorePaths.usageLog("l1"),
              new UsageLog(
                  "l1",
                  "u1",
                  ActionType.IMAGE_GENERATION,
                  "g1",
                  "203.0.113.9",
                  "Mozilla/5.0",
                  meta(),
                  5L,
                  5000L,
                  200L,
                  T1,
                  T3));
      case ADMIN_AUDIT ->
          new Sample(
              FirestorePaths.adminAudit("au1"),
              new AdminAudit(
                  "au1",
                  "boss",
                  AdminAudit.Action.CREDITS_ADJUSTED,
                  "credits/u1/balance/current",
                  Map.of("creditBalance", 100L),
                  Map.of("creditBalance", 107L, "reason", "sorry"),
                  T1,
                  "req-1"));
      case MAINTENANCE_STATE ->
          new Sample(
              FirestorePaths.maintenanceState("reconcile"),
              new MaintenanceState(
                  "reconcile", Map.of("balances", "credits/u7/balance/current"), T2, "run-7", T3));
      case IDEMPOTENCY_RECORD ->
          new Sample(
              FirestorePaths.idempotencyRecord("u1", "abc123"),
              new IdempotencyRecord(
                  "u1__abc123",
                  "u1",
                  "key-1",
                  "f00d",
                  "{\"ok\":true}",
                  "{\"problem\":\"NO_PROVIDER_AVAILABLE\",\"message\":\"later\",\"details\":{}}",
                  T1,
                  T3));
    };
  }

  static Sample minimal(DocumentKind kind) {
    return switch (kind) {
      case USER ->
          new Sample(
              FirestorePaths.user("u2"),
              new UserProfile(
                  "u2",
                  null,
                  null,
                  null,
                  null,
                  ProviderId.UNKNOWN,
                  false,
                  true,
                  null,
                  null,
                  0,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null));
      case USERNAME_RESERVATION ->
          new Sample(
              FirestorePaths.usernameReservation("bob"),
              new UsernameReservation("bob", "u2", "bob", null));
      case BALANCE ->
          new Sample(FirestorePaths.balance("u2"), new Balance("u2", 0, PlanCode.FREE, null, null));
      case LEDGER_ENTRY ->
          new Sample(
              FirestorePaths.ledgerEntry("u2", "e2"),
              new LedgerEntry(
                  "u2",
                  "e2",
                  LedgerType.GRANT,
                  100,
                  null,
                  LedgerStatus.CONFIRMED,
                  null,
                  null,
                  null,
                  null,
                  null));
      case APPLIED_ENTRY ->
          new Sample(
              FirestorePaths.appliedEntry("u2", "e2"),
              new AppliedEntry(
                  "u2",
                  "e2",
                  0,
                  null,
                  null,
                  null,
                  null,
                  null,
                  "amount sign does not match type",
                  null));
      case HISTORY_ITEM -> new Sample(FirestorePaths.historyItem("u2", "g2"), minimalItem());
      case PUBLIC_GENERATION ->
          new Sample(
              FirestorePaths.mirror("g2"),
              new PublicGeneration(
                  "g2",
                  "u2",
                  null,
                  null,
                  GenerationType.LOGO,
                  GenerationStatus.COMPLETED,
                  Visibility.PUBLIC,
                  null,
                  false,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  true,
                  false,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null));
      case REDEEM_CODE ->
          new Sample(
              FirestorePaths.redeemCode("BUSINESS-AAAA2222"),
              new RedeemCode(
                  "BUSINESS-AAAA2222",
                  RedeemCodeType.BUSINESS,
                  PlanCode.PLAN_C,
                  RedeemCodeStatus.DISABLED,
                  1,
                  0,
                  null,
                  null,
                  null,
                  null,
                  null));
      case REDEEM_CODE_USAGE ->
          new Sample(
              FirestorePaths.redeemCodeUsage("BUSINESS-AAAA2222", "u2"),
              new RedeemCodeUsage(
                  FirestorePaths.redeemCodeUsageId("BUSINESS-AAAA2222", "u2"),
                  "BUSINESS-AAAA2222",
                  "u2",
                  null,
                  null,
                  PlanCode.PLAN_C,
                  0,
                  null));
      case PLAN ->
          new Sample(
              FirestorePaths.plan("FREE"),
              new Plan(PlanCode.FREE, "Free", 50, 0, true, null, null, null));
      case MODEL_CONFIG ->
          new Sample(
              FirestorePaths.modelConfig("musicgen"),
              new ModelConfig(
                  "musicgen",
                  "MusicGen",
                  "replicate",
                  GenerationType.TEXT_TO_MUSIC,
                  null,
                  new ModelPricing(0, 0, 1),
                  new ModelCapabilities(null, 1, null, 500, false, false, null),
                  new ModelStatus(false, HealthStatus.UNKNOWN, null, null, null),
                  new ModelFeatures(null, null, false),
                  0,
                  null,
                  null,
                  null,
                  null));
      case SYSTEM_CONFIG ->
          new Sample(
              FirestorePaths.systemConfig(),
              new SystemConfig(
                  new SystemConfig.Features(false, false, false, false),
                  new SystemConfig.Limits(1, 100, 30, new SystemConfig.RateLimit(1, 1), null),
                  new SystemConfig.Defaults("musicgen", Visibility.UNLISTED, null),
                  null,
                  null));
      case SYSTEM_VERSION ->
          new Sample(
              FirestorePaths.systemVersion(),
              new SystemVersion(
                  "0.1.0", 1, null, null, DeploymentEnvironment.DEVELOPMENT, null, null));
      case SYSTEM_HEALTH ->
          new Sample(
              FirestorePaths.systemHealth(), new SystemHealth(null, null, null, null, null, null));
      case PROVIDER_HEALTH ->
          new Sample(
              FirestorePaths.providerHealth("fal"),
              new ProviderHealth("fal", HealthStatus.UNKNOWN, null, null, 0, 0, null, null));
      case MODEL_QUOTA ->
          new Sample(
              FirestorePaths.modelQuota("fal", "musicgen"),
              new ModelQuota("fal", "musicgen", 0, 10, T3, QuotaPeriod.HOUR, null));
      case ROUTER_ALERT ->
          new Sample(
              FirestorePaths.routerAlert("a2"),
              new RouterAlert(
                  "a2",
                  AlertType.LEDGER_DRIFT,
                  AlertSeverity.INFO,
                  null,
                  "repaired",
                  null,
                  false,
                  null,
                  null,
                  null,
                  null));
      case ROUTING_DECISION ->
          new Sample(
              FirestorePaths.routingDecision("d2"),
              new RoutingDecision(
                  "d2",
                  "g2",
                  null,
                  GenerationType.TEXT_TO_IMAGE,
                  null,
                  null,
                  0,
                  null,
                  null,
                  null,
                  null));
      case RATE_LIMIT_LOG ->
          new Sample(
              FirestorePaths.rateLimitLog("l2"),
              new RateLimitLog("l2", "u2", "/redeem-code", 0, T1, T2, null, false, null));
      case USAGE_LOG ->
          new Sample(
              FirestorePaths.usageLog("l2"),
              new UsageLog(
                  "l2",
                  "u2",
                  ActionType.LOGIN,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null));
      case ADMIN_AUDIT ->
          new Sample(
              FirestorePaths.adminAudit("au2"),
              new AdminAudit(
                  "au2",
                  "boss",
                  AdminAudit.Action.USER_RESTORED,
                  "users/u2",
                  null,
                  null,
                  null,
                  null));
      case MAINTENANCE_STATE ->
          new Sample(
              FirestorePaths.maintenanceState("reap-stale-jobs"),
              new MaintenanceState("reap-stale-jobs", null, null));
      case IDEMPOTENCY_RECORD ->
          new Sample(
              FirestorePaths.idempotencyRecord("u2", "beef"),
              new IdempotencyRecord("u2__beef", "u2", "k", "h", "{}", null, null, null));
    };
  }

  static GenerationItem item() {
    return GenerationItem.builder("u1", "g1")
        .prompt("a fox in the snow")
        .model("flux-schnell")
        .generationType(GenerationType.TEXT_TO_IMAGE)
        .status(GenerationStatus.COMPLETED)
        .visibility(Visibility.PUBLIC)
        .tags(List.of("animals", "winter"))
        .images(
            List.of(
                new ImageMedia(
                    "m1",
                    "https://cdn.example/generations/u1/g1/m1.png",
                    "generations/u1/g1/m1.png",
                    "https://replicate.delivery/x.png")))
        .videos(
            List.of(
                new VideoMedia(
                    "m2",
                    "https://cdn.example/generations/u1/g1/m2.mp4",
                    "generations/u1/g1/m2.mp4",
                    "https://cdn.example/thumb.jpg")))
        .audios(
            List.of(
                new AudioMedia("m3", "https://cdn.example/generations/u1/g1/m3.mp3", null, null)))
        .frameSize("1:1")
        .aspectRatio("1:1")
        .style("photographic")
        .isPublic(true)
        .error(new GenerationError("PROVIDER_FAILED", "first attempt failed"))
        .createdBy(
            new CreatedBy(
                "u1", "Ada", "ada@example.com", "Ada Lovelace", "https://img.example/ada.png"))
        .createdAt(T1)
        .updatedAt(T2)
        .provider("replicate")
        .providerTaskId("task-77")
        .cost(30L)
        .holdEntryId("e1")
        .processingTimeMs(4200L)
        .completedAt(T2)
        .params(new GenerationParams(3, "1:1", 5L, "blurry"))
        .deletedAt(T3)
        .polledAt(T3)
        .build();
  }

  static GenerationItem minimalItem() {
    return GenerationItem.builder("u2", "g2")
        .generationType(GenerationType.TEXT_TO_MUSIC)
        .status(GenerationStatus.FAILED)
        .build();
  }

  /** Firestore-native values of several types, nested. */
  static Map<String, Object> meta() {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("attempt", 2L);
    nested.put("ok", true);
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("historyId", "g1");
    meta.put("ratio", 0.5);
    meta.put("nothing", null);
    meta.put("tags", List.of("a", "b"));
    meta.put("nested", nested);
    return meta;
  }
}
