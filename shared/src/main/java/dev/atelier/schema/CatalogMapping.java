package dev.atelier.schema;

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
import dev.atelier.generations.GenerationType;
import dev.atelier.generations.Visibility;
import dev.atelier.router.HealthStatus;
import dev.atelier.store.DocumentKey;

/** Codecs of {@code plans/{code}}, {@code models_config/{id}} and the {@code system} documents. */
final class CatalogMapping {
  private CatalogMapping() {}

  static void writePlan(Plan p, DocWriter w) {
    w.put(Plan.Field.CODE, p.code())
        .put(Plan.Field.NAME, p.name())
        .put(Plan.Field.CREDITS, p.credits())
        .put(Plan.Field.PRICE_IN_PAISE, p.priceInPaise())
        .put(Plan.Field.ACTIVE, p.active())
        .put(Plan.Field.SORT, p.sort())
        .put(Plan.Field.CREATED_AT, p.createdAt())
        .put(Plan.Field.UPDATED_AT, p.updatedAt());
  }

  static Plan readPlan(DocumentKey key, DocReader r) {
    return new Plan(
        PlanCode.fromWire(key.id("planCode")),
        r.str(Plan.Field.NAME),
        r.lng(Plan.Field.CREDITS),
        r.lngOr(Plan.Field.PRICE_IN_PAISE, 0),
        r.boolOr(Plan.Field.ACTIVE, true),
        r.optLng(Plan.Field.SORT),
        r.optInstant(Plan.Field.CREATED_AT),
        r.optInstant(Plan.Field.UPDATED_AT));
  }

  static void writeModel(ModelConfig m, DocWriter w) {
    w.put(ModelConfig.Field.ID, m.id())
        .put(ModelConfig.Field.NAME, m.name())
        .put(ModelConfig.Field.PROVIDER, m.provider())
        .put(ModelConfig.Field.GENERATION_TYPE, m.generationType())
        .objects(ModelConfig.Field.ROUTES, m.routes(), CatalogMapping::writeRoute)
        .object(ModelConfig.Field.PRICING, m.pricing(), CatalogMapping::writePricing)
        .object(ModelConfig.Field.CAPABILITIES, m.capabilities(), CatalogMapping::writeCapabilities)
        .object(ModelConfig.Field.STATUS, m.status(), CatalogMapping::writeModelStatus)
        .object(ModelConfig.Field.FEATURES, m.features(), CatalogMapping::writeFeatures)
        .put(ModelConfig.Field.DISPLAY_ORDER, m.displayOrder())
        .put(ModelConfig.Field.MODEL_VERSION, m.modelVersion())
        .put(ModelConfig.Field.DEPRECATED_AT, m.deprecatedAt())
        .put(ModelConfig.Field.CREATED_AT, m.createdAt())
        .put(ModelConfig.Field.UPDATED_AT, m.updatedAt());
  }

  static ModelConfig readModel(DocumentKey key, DocReader r) {
    return new ModelConfig(
        key.id("modelId"),
        r.str(ModelConfig.Field.NAME),
        r.str(ModelConfig.Field.PROVIDER),
        r.enm(ModelConfig.Field.GENERATION_TYPE, GenerationType.class),
        r.objects(ModelConfig.Field.ROUTES, CatalogMapping::readRoute),
        r.requiredObject(ModelConfig.Field.PRICING, CatalogMapping::readPricing),
        r.requiredObject(ModelConfig.Field.CAPABILITIES, CatalogMapping::readCapabilities),
        r.requiredObject(ModelConfig.Field.STATUS, CatalogMapping::readModelStatus),
        r.requiredObject(ModelConfig.Field.FEATURES, CatalogMapping::readFeatures),
        r.lngOr(ModelConfig.Field.DISPLAY_ORDER, 0),
        r.optStr(ModelConfig.Field.MODEL_VERSION),
        r.optInstant(ModelConfig.Field.DEPRECATED_AT),
        r.optInstant(ModelConfig.Field.CREATED_AT),
        r.optInstant(ModelConfig.Field.UPDATED_AT));
  }

  private static void writeRoute(ProviderRoute p, DocWriter w) {
    w.put(ProviderRoute.Field.PROVIDER, p.provider())
        .put(ProviderRoute.Field.PROVIDER_MODEL, p.providerModel())
        .put(ProviderRoute.Field.PRIORITY, p.priority());
  }

  private static ProviderRoute readRoute(DocReader r) {
    return new ProviderRoute(
        r.str(ProviderRoute.Field.PROVIDER),
        r.str(ProviderRoute.Field.PROVIDER_MODEL),
        r.lngOr(ProviderRoute.Field.PRIORITY, 0));
  }

  private static void writePricing(ModelPricing p, DocWriter w) {
    w.put(ModelPricing.Field.BASE_CREDITS, p.baseCredits())
        .put(ModelPricing.Field.CREDITS_PER_OUTPUT, p.creditsPerOutput())
        .put(ModelPricing.Field.CREDITS_PER_SECOND, p.creditsPerSecond());
  }

  private static ModelPricing readPricing(DocReader r) {
    return new ModelPricing(
        r.lngOr(ModelPricing.Field.BASE_CREDITS, 0),
        r.lngOr(ModelPricing.Field.CREDITS_PER_OUTPUT, 0),
        r.lngOr(ModelPricing.Field.CREDITS_PER_SECOND, 0));
  }

  private static void writeCapabilities(ModelCapabilities c, DocWriter w) {
    w.put(ModelCapabilities.Field.ASPECT_RATIOS, c.aspectRatios())
        .put(ModelCapabilities.Field.MAX_OUTPUTS, c.maxOutputs())
        .put(ModelCapabilities.Field.MAX_DURATION_SECONDS, c.maxDurationSeconds())
        .put(ModelCapabilities.Field.MAX_PROMPT_LENGTH, c.maxPromptLength())
        .put(ModelCapabilities.Field.NEGATIVE_PROMPT, c.negativePrompt())
        .put(ModelCapabilities.Field.IMAGE_INPUT, c.imageInput())
        .put(ModelCapabilities.Field.DURATIONS_SECONDS, c.durationsSeconds());
  }

  private static ModelCapabilities readCapabilities(DocReader r) {
    return new ModelCapabilities(
        r.strings(ModelCapabilities.Field.ASPECT_RATIOS),
        r.lngOr(ModelCapabilities.Field.MAX_OUTPUTS, 1),
        r.optLng(ModelCapabilities.Field.MAX_DURATION_SECONDS),
        r.lng(ModelCapabilities.Field.MAX_PROMPT_LENGTH),
        r.boolOr(ModelCapabilities.Field.NEGATIVE_PROMPT, false),
        r.boolOr(ModelCapabilities.Field.IMAGE_INPUT, false),
        r.longs(ModelCapabilities.Field.DURATIONS_SECONDS));
  }

  private static void writeModelStatus(ModelStatus s, DocWriter w) {
    w.put(ModelStatus.Field.IS_AVAILABLE, s.isAvailable())
        .put(ModelStatus.Field.HEALTH_STATUS, s.healthStatus())
        .put(ModelStatus.Field.LAST_HEALTH_CHECK, s.lastHealthCheck())
        .put(ModelStatus.Field.RESPONSE_TIME_MS, s.responseTimeMs())
        .put(ModelStatus.Field.ERROR_RATE, s.errorRate());
  }

  private static ModelStatus readModelStatus(DocReader r) {
    HealthStatus health = r.optEnm(ModelStatus.Field.HEALTH_STATUS, HealthStatus.class);
    return new ModelStatus(
        r.bool(ModelStatus.Field.IS_AVAILABLE),
        health == null ? HealthStatus.UNKNOWN : health,
        r.optInstant(ModelStatus.Field.LAST_HEALTH_CHECK),
        r.optLng(ModelStatus.Field.RESPONSE_TIME_MS),
        r.optDbl(ModelStatus.Field.ERROR_RATE));
  }

  private static void writeFeatures(ModelFeatures f, DocWriter w) {
    w.put(ModelFeatures.Field.REQUESTS_PER_MINUTE, f.requestsPerMinute())
        .put(ModelFeatures.Field.REQUESTS_PER_DAY, f.requestsPerDay())
        .put(ModelFeatures.Field.WEBHOOK_SUPPORTED, f.webhookSupported());
  }

  private static ModelFeatures readFeatures(DocReader r) {
    return new ModelFeatures(
        r.optLng(ModelFeatures.Field.REQUESTS_PER_MINUTE),
        r.optLng(ModelFeatures.Field.REQUESTS_PER_DAY),
        r.boolOr(ModelFeatures.Field.WEBHOOK_SUPPORTED, false));
  }

  // system/config

  static void writeConfig(SystemConfig c, DocWriter w) {
    w.put(SystemConfig.Field.TYPE, SystemConfig.Field.CONFIG)
        .object(
            SystemConfig.Field.CONFIG,
            c,
            (cfg, cw) ->
                cw.object(
                        SystemConfig.Field.FEATURES, cfg.features(), CatalogMapping::writeSwitches)
                    .object(SystemConfig.Field.LIMITS, cfg.limits(), CatalogMapping::writeLimits)
                    .object(
                        SystemConfig.Field.DEFAULTS, cfg.defaults(), CatalogMapping::writeDefaults))
        .put(SystemConfig.Field.CREATED_AT, c.createdAt())
        .put(SystemConfig.Field.UPDATED_AT, c.updatedAt());
  }

  static SystemConfig readConfig(DocumentKey key, DocReader r) {
    DocReader cfg = r.nested(SystemConfig.Field.CONFIG);
    return new SystemConfig(
        cfg.requiredObject(SystemConfig.Field.FEATURES, CatalogMapping::readSwitches),
        cfg.requiredObject(SystemConfig.Field.LIMITS, CatalogMapping::readLimits),
        cfg.requiredObject(SystemConfig.Field.DEFAULTS, CatalogMapping::readDefaults),
        r.optInstant(SystemConfig.Field.CREATED_AT),
        r.optInstant(SystemConfig.Field.UPDATED_AT));
  }

  private static void writeSwitches(SystemConfig.Features f, DocWriter w) {
    w.put(SystemConfig.Features.Field.USER_REGISTRATION, f.userRegistration())
        .put(SystemConfig.Features.Field.GENERATION, f.generation())
        .put(SystemConfig.Features.Field.PUBLIC_FEED, f.publicFeed())
        .put(SystemConfig.Features.Field.REDEEM_CODES, f.redeemCodes());
  }

  private static SystemConfig.Features readSwitches(DocReader r) {
    return new SystemConfig.Features(
        r.bool(SystemConfig.Features.Field.USER_REGISTRATION),
        r.bool(SystemConfig.Features.Field.GENERATION),
        r.bool(SystemConfig.Features.Field.PUBLIC_FEED),
        r.bool(SystemConfig.Features.Field.REDEEM_CODES));
  }

  private static void writeLimits(SystemConfig.Limits l, DocWriter w) {
    w.put(
            SystemConfig.Limits.Field.MAX_CONCURRENT_GENERATIONS_PER_USER,
            l.maxConcurrentGenerationsPerUser())
        .put(SystemConfig.Limits.Field.MAX_PROMPT_LENGTH, l.maxPromptLength())
        .put(SystemConfig.Limits.Field.STALE_GENERATION_MINUTES, l.staleGenerationMinutes())
        .object(SystemConfig.Limits.Field.RATE_LIMIT, l.rateLimit(), CatalogMapping::writeRateLimit)
        .objectMap(
            SystemConfig.Limits.Field.RATE_LIMIT_BY_FUNCTION,
            l.rateLimitByFunction(),
            CatalogMapping::writeRateLimit);
  }

  private static void writeRateLimit(SystemConfig.RateLimit rl, DocWriter w) {
    w.put(SystemConfig.RateLimit.Field.REQUESTS_PER_MINUTE, rl.requestsPerMinute())
        .put(SystemConfig.RateLimit.Field.REQUESTS_PER_HOUR, rl.requestsPerHour());
  }

  private static SystemConfig.RateLimit readRateLimit(DocReader r) {
    return new SystemConfig.RateLimit(
        r.lng(SystemConfig.RateLimit.Field.REQUESTS_PER_MINUTE),
        r.lng(SystemConfig.RateLimit.Field.REQUESTS_PER_HOUR));
  }

  private static SystemConfig.Limits readLimits(DocReader r) {
    return new SystemConfig.Limits(
        r.lng(SystemConfig.Limits.Field.MAX_CONCURRENT_GENERATIONS_PER_USER),
        r.lng(SystemConfig.Limits.Field.MAX_PROMPT_LENGTH),
        r.lng(SystemConfig.Limits.Field.STALE_GENERATION_MINUTES),
        r.requiredObject(SystemConfig.Limits.Field.RATE_LIMIT, CatalogMapping::readRateLimit),
        r.objectMap(
            SystemConfig.Limits.Field.RATE_LIMIT_BY_FUNCTION, CatalogMapping::readRateLimit));
  }

  private static void writeDefaults(SystemConfig.Defaults d, DocWriter w) {
    w.put(SystemConfig.Defaults.Field.MODEL, d.model())
        .put(SystemConfig.Defaults.Field.VISIBILITY, d.visibility())
        .put(SystemConfig.Defaults.Field.ASPECT_RATIO, d.aspectRatio());
  }

  private static SystemConfig.Defaults readDefaults(DocReader r) {
    return new SystemConfig.Defaults(
        r.str(SystemConfig.Defaults.Field.MODEL),
        r.enm(SystemConfig.Defaults.Field.VISIBILITY, Visibility.class),
        r.optStr(SystemConfig.Defaults.Field.ASPECT_RATIO));
  }

  // system/version

  static void writeVersion(SystemVersion v, DocWriter w) {
    w.put(SystemVersion.Field.TYPE, SystemVersion.Field.VERSION)
        .object(
            SystemVersion.Field.VERSION,
            v,
            (ver, vw) ->
                vw.put(SystemVersion.Field.APPLICATION, ver.application())
                    .put(SystemVersion.Field.SCHEMA, ver.schema())
                    .put(SystemVersion.Field.BUILD_TIME, ver.buildTime())
                    .put(SystemVersion.Field.GIT_COMMIT, ver.gitCommit())
                    .put(SystemVersion.Field.ENVIRONMENT, ver.environment()))
        .put(SystemVersion.Field.CREATED_AT, v.createdAt())
        .put(SystemVersion.Field.UPDATED_AT, v.updatedAt());
  }

  static SystemVersion readVersion(DocumentKey key, DocReader r) {
    DocReader v = r.nested(SystemVersion.Field.VERSION);
    return new SystemVersion(
        v.str(SystemVersion.Field.APPLICATION),
        v.lng(SystemVersion.Field.SCHEMA),
        v.optInstant(SystemVersion.Field.BUILD_TIME),
        v.optStr(SystemVersion.Field.GIT_COMMIT),
        v.enm(SystemVersion.Field.ENVIRONMENT, DeploymentEnvironment.class),
        r.optInstant(SystemVersion.Field.CREATED_AT),
        r.optInstant(SystemVersion.Field.UPDATED_AT));
  }

  // system/health

  static void writeHealth(SystemHealth h, DocWriter w) {
    w.put(SystemHealth.Field.TYPE, SystemHealth.Field.HEALTH)
        .object(
            SystemHealth.Field.HEALTH,
            h,
            (health, hw) ->
                hw.put(SystemHealth.Field.LAST_UPDATE_AT, health.lastUpdateAt())
                    .object(
                        SystemHealth.Field.SERVICES,
                        health,
                        (s, sw) ->
                            sw.object(
                                    SystemHealth.Field.DATABASE,
                                    s.database(),
                                    CatalogMapping::writeDatabase)
                                .objectMap(
                                    SystemHealth.Field.EXTERNAL_APIS,
                                    s.externalApis(),
                                    CatalogMapping::writeApi)
                                .objectMap(
                                    SystemHealth.Field.SCHEDULER_JOBS,
                                    s.schedulerJobs(),
                                    CatalogMapping::writeJob)))
        .put(SystemHealth.Field.CREATED_AT, h.createdAt())
        .put(SystemHealth.Field.UPDATED_AT, h.updatedAt());
  }

  static SystemHealth readHealth(DocumentKey key, DocReader r) {
    DocReader health = r.nested(SystemHealth.Field.HEALTH);
    DocReader services = health.nested(SystemHealth.Field.SERVICES);
    return new SystemHealth(
        health.optInstant(SystemHealth.Field.LAST_UPDATE_AT),
        services.object(SystemHealth.Field.DATABASE, CatalogMapping::readDatabase),
        services.objectMap(SystemHealth.Field.EXTERNAL_APIS, CatalogMapping::readApi),
        services.objectMap(SystemHealth.Field.SCHEDULER_JOBS, CatalogMapping::readJob),
        r.optInstant(SystemHealth.Field.CREATED_AT),
        r.optInstant(SystemHealth.Field.UPDATED_AT));
  }

  private static void writeDatabase(SystemHealth.Database d, DocWriter w) {
    w.put(SystemHealth.Database.Field.STATUS, d.status())
        .put(SystemHealth.Database.Field.LATENCY, d.latency())
        .put(SystemHealth.Database.Field.LAST_ERROR, d.lastError());
  }

  private static SystemHealth.Database readDatabase(DocReader r) {
    return new SystemHealth.Database(
        r.enm(SystemHealth.Database.Field.STATUS, HealthStatus.class),
        r.lngOr(SystemHealth.Database.Field.LATENCY, 0),
        r.optStr(SystemHealth.Database.Field.LAST_ERROR));
  }

  private static void writeApi(SystemHealth.ExternalApi a, DocWriter w) {
    w.put(SystemHealth.ExternalApi.Field.STATUS, a.status())
        .put(SystemHealth.ExternalApi.Field.LATENCY, a.latency())
        .put(SystemHealth.ExternalApi.Field.LAST_CHECK, a.lastCheck())
        .put(SystemHealth.ExternalApi.Field.ERROR_COUNT, a.errorCount());
  }

  private static SystemHealth.ExternalApi readApi(DocReader r) {
    return new SystemHealth.ExternalApi(
        r.enm(SystemHealth.ExternalApi.Field.STATUS, Reachability.class),
        r.optLng(SystemHealth.ExternalApi.Field.LATENCY),
        r.optInstant(SystemHealth.ExternalApi.Field.LAST_CHECK),
        r.lngOr(SystemHealth.ExternalApi.Field.ERROR_COUNT, 0));
  }

  private static void writeJob(SystemHealth.SchedulerJob j, DocWriter w) {
    w.put(SystemHealth.SchedulerJob.Field.STATE, j.state())
        .put(SystemHealth.SchedulerJob.Field.LAST_ATTEMPT_AT, j.lastAttemptAt())
        .put(SystemHealth.SchedulerJob.Field.LAST_ERROR, j.lastError());
  }

  private static SystemHealth.SchedulerJob readJob(DocReader r) {
    return new SystemHealth.SchedulerJob(
        r.enm(SystemHealth.SchedulerJob.Field.STATE, SchedulerJobState.class),
        r.optInstant(SystemHealth.SchedulerJob.Field.LAST_ATTEMPT_AT),
        r.optStr(SystemHealth.SchedulerJob.Field.LAST_ERROR));
  }
}
