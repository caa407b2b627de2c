/**
 * The public feed: {@link dev.atelier.mirror.MirrorService} makes {@code generations/{itemId}} the
 * projection of {@code generationHistory/{uid}/items/{itemId}} (present only for a completed,
 * public, undeleted item, with {@code createdBy} from {@code users/{uid}}), re-reading both inside
 * one transaction so duplicate and out-of-order trigger deliveries converge on the current state.
 */
package dev.atelier.mirror;
