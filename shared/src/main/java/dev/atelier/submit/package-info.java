/**
 * submit-generation: a user's generation request checked against the catalog ({@link
 * dev.atelier.submit.SubmitRequest}), priced, routed to a provider (health, cooldown and quota
 * aware, every decision in {@code routing_decisions}), held (HOLD + history item + quota in one
 * transaction) and dispatched after commit with fallback to the next route ({@link
 * dev.atelier.submit.SubmitService}). Package-private: the validator, the router and the
 * dispatcher.
 */
package dev.atelier.submit;
