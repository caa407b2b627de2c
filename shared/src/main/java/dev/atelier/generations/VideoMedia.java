package dev.atelier.generations;

/** A generated video in Cloud Storage; {@code thumbUrl} may be null. */
public record VideoMedia(String id, String url, String storagePath, String thumbUrl)
    implements Media {}
