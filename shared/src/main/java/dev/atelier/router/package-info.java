/**
 * Model-router state (snake_case fields, as in its source schema): provider health {@code
 * model_provider_health/{provider}} ({@link dev.atelier.router.ProviderHealth}), quotas {@code
 * model_quotas/{provider}_{modelId}} ({@link dev.atelier.router.ModelQuota}), alerts {@code
 * model_router_alerts/{id}} ({@link dev.atelier.router.RouterAlert}) and the routing audit log
 * {@code routing_decisions/{id}} ({@link dev.atelier.router.RoutingDecision}), with their closed
 * sets; alerts are raised once per finding ({@link dev.atelier.router.Alerts}) and quotas are reset
 * by period ({@link dev.atelier.router.QuotaResets}, the {@code reset-model-quotas} job).
 */
package dev.atelier.router;
