/**
 * Idempotent writes: the {@code Idempotency-Key} guard that remembers a write's first answer inside
 * the write's own transaction ({@link dev.atelier.idempotency.Idempotency}) and its record {@code
 * idempotencyKeys/{uid}__{hash}} ({@link dev.atelier.idempotency.IdempotencyRecord}, TTL 48 h).
 */
package dev.atelier.idempotency;
