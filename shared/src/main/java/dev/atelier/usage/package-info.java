/**
 * Request accounting (snake_case fields, as in its source schema): rate-limit windows {@code
 * rate_limit_logs/{id}} ({@link dev.atelier.usage.RateLimitLog}, TTL 1 h on {@code expires_at}) and
 * activity logs {@code usage_logs/{id}} ({@link dev.atelier.usage.UsageLog}, TTL 90 d).
 */
package dev.atelier.usage;
