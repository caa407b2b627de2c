package dev.atelier.generations;

/**
 * A generated image in Cloud Storage; {@code originalUrl} is the provider's URL (null if unknown).
 */
public record ImageMedia(String id, String url, String storagePath, String originalUrl)
    implements Media {}
