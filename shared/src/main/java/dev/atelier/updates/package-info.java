/**
 * update-generation: the owner's changes to one of their items — visibility, tags, soft delete,
 * cancel — checked, rate-limited and applied through {@link
 * dev.atelier.lifecycle.GenerationService} ({@link dev.atelier.updates.UpdateService}); a cancel is
 * passed on to the provider after commit.
 */
package dev.atelier.updates;
