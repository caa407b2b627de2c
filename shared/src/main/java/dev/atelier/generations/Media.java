package dev.atelier.generations;

/**
 * A generated media file: its id, public URL and Cloud Storage path ({@code
 * generations/{uid}/{itemId}/{id}.{ext}}).
 */
public sealed interface Media permits ImageMedia, VideoMedia, AudioMedia {
  String id();

  String url();

  /** May be null for audio kept only at the provider. */
  String storagePath();

  /** Stored field names of all media objects. */
  final class Field {
    public static final String ID = "id";
    public static final String URL = "url";
    public static final String STORAGE_PATH = "storagePath";
    public static final String ORIGINAL_URL = "originalUrl";
    public static final String THUMB_URL = "thumbUrl";

    private Field() {}
  }
}
