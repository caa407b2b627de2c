/**
 * The provider health check (check-provider-health): the probe policy ({@link
 * dev.atelier.health.HealthPolicy}), the state machine healthy / degraded / down with its cooldown
 * ({@link dev.atelier.health.HealthRules}), model availability from routes ({@link
 * dev.atelier.health.ModelAvailability}), the Cloud Scheduler port ({@link
 * dev.atelier.health.SchedulerJobs}) and the run itself ({@link
 * dev.atelier.health.ProviderHealthCheck}), which writes {@code model_provider_health}, {@code
 * model_router_alerts}, {@code models_config/*.status} and {@code system/health}.
 */
package dev.atelier.health;
