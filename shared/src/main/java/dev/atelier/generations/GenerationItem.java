package dev.atelier.generations;

import java.time.Instant;
import java.util.List;

/**
 * {@code generationHistory/{uid}/items/{id}}: one generation request and its result, private to its
 * owner. Lists are never null (empty when none). Nullable: style, frameSize, aspectRatio, error,
 * createdBy, provider, providerTaskId, cost, holdEntryId (the HOLD ledger entry reserving
 * {@code cost}), processingTimeMs, completedAt and any timestamp not yet set by the server.
 */
public record GenerationItem(
    String uid,
    String id,
    String prompt,
    String model,
    GenerationType generationType,
    GenerationStatus status,
    Visibility visibility,
    List<String> tags,
    boolean nsfw,
    List<ImageMedia> images,
    List<VideoMedia> videos,
    List<AudioMedia> audios,
    String frameSize,
    String aspectRatio,
    String style,
    boolean isPublic,
    boolean isDeleted,
    String error,
    CreatedBy createdBy,
    Instant createdAt,
    Instant updatedAt,
    String provider,
    String providerTaskId,
    Long cost,
    String holdEntryId,
    Long processingTimeMs,
    Instant completedAt) {

  public GenerationItem {
    tags = tags == null ? List.of() : List.copyOf(tags);
    images = images == null ? List.of() : List.copyOf(images);
    videos = videos == null ? List.of() : List.copyOf(videos);
    audios = audios == null ? List.of() : List.copyOf(audios);
  }

  /** Whether the public mirror {@code generations/{id}} should hold this item. */
  public boolean belongsInPublicFeed() {
    return isPublic && !isDeleted;
  }

  /** Stored field names, for queries and partial updates. */
  public static final class Field {
    public static final String ID = "id";
    public static final String UID = "uid";
    public static final String PROMPT = "prompt";
    public static final String MODEL = "model";
    public static final String GENERATION_TYPE = "generationType";
    public static final String STATUS = "status";
    public static final String VISIBILITY = "visibility";
    public static final String TAGS = "tags";
    public static final String NSFW = "nsfw";
    public static final String IMAGES = "images";
    public static final String VIDEOS = "videos";
    public static final String AUDIOS = "audios";
    public static final String FRAME_SIZE = "frameSize";
    public static final String ASPECT_RATIO = "aspectRatio";
    /** Older documents spell the aspect ratio this way; read as a fallback, never written. */
    public static final String ASPECT_RATIO_LEGACY = "aspect_ratio";
    public static final String STYLE = "style";
    public static final String IS_PUBLIC = "isPublic";
    public static final String IS_DELETED = "isDeleted";
    public static final String ERROR = "error";
    public static final String CREATED_BY = "createdBy";
    public static final String CREATED_BY_UID = "createdBy.uid";
    public static final String CREATED_AT = "createdAt";
    public static final String UPDATED_AT = "updatedAt";
    public static final String PROVIDER = "provider";
    public static final String PROVIDER_TASK_ID = "providerTaskId";
    public static final String COST = "cost";
    public static final String HOLD_ENTRY_ID = "holdEntryId";
    public static final String PROCESSING_TIME_MS = "processingTimeMs";
    public static final String COMPLETED_AT = "completedAt";

    private Field() {}
  }
}
