package dev.atelier.generations;

/** Generated audio; {@code storagePath} and {@code originalUrl} may be null. */
public record AudioMedia(String id, String url, String storagePath, String originalUrl)
    implements Media {}
