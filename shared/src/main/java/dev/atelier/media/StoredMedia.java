package dev.atelier.media;

import java.util.Map;

/**
 * A media object as stored.
 *
 * @param storagePath object name within the media bucket (what history items record)
 * @param url         where a browser fetches it
 * @param generation  the GCS object generation
 * @param md5Hash     base64 MD5 of the bytes, as GCS reports it
 */
public record StoredMedia(
    String storagePath, String url, String contentType, long size, long generation, String md5Hash,
    Map<String, String> metadata) {}
