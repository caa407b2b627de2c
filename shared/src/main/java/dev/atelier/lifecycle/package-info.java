/**
 * The life of a submitted generation: {@link dev.atelier.lifecycle.GenerationService} moves a
 * history item out of {@code generating} exactly once — completed with its media (HOLD captured,
 * missing outputs refunded), failed or cancelled (HOLD reversed) — and applies the owner's
 * visibility, tags and soft delete, each in one transaction with its credits.
 */
package dev.atelier.lifecycle;
