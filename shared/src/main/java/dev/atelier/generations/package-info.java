/**
 * Generations: the private history item {@code generationHistory/{uid}/items/{itemId}} ({@link
 * dev.atelier.generations.GenerationItem}) and its public mirror {@code generations/{itemId}}
 * ({@link dev.atelier.generations.PublicGeneration}, the projection of a public, undeleted item),
 * their type/status/visibility sets, the creator and the image/video/audio media value objects.
 */
package dev.atelier.generations;
