/**
 * Generation providers: the one adapter interface every provider speaks through ({@link
 * dev.atelier.providers.GenerationProvider}: create, get, cancel a prediction), its request and
 * result records, the first adapter (Replicate's predictions API, {@link
 * dev.atelier.providers.ReplicateProvider}), the per-provider settings read from the environment
 * ({@link dev.atelier.providers.ProviderSettings}: base URL, API token, webhook secret — secrets
 * never come from Firestore) and Standard Webhooks signing/verification ({@link
 * dev.atelier.providers.StandardWebhooks}).
 */
package dev.atelier.providers;
