package dev.atelier.generations;

import java.time.Instant;
import java.util.List;

/**
 * {@code generationHistory/{uid}/items/{id}}: one generation request and its result, private to its
 * owner. Lists are never null (empty when none). Nullable: style, frameSize, aspectRatio, error,
 * createdBy, provider, providerTaskId (until dispatched), cost, holdEntryId (the HOLD ledger entry
 * reserving {@code cost}), processingTimeMs, completedAt, params, deletedAt, polledAt and any
 * timestamp not yet set by the server. {@code polledAt} is when reap-stale-jobs last asked the
 * provider about a quiet {@code generating} item and heard it was still running (server-only
 * bookkeeping: it does not count as an update, so {@code updatedAt} keeps the item's last real
 * change). Build changed copies with {@link #toBuilder()}.
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
    GenerationError error,
    CreatedBy createdBy,
    Instant createdAt,
    Instant updatedAt,
    String provider,
    String providerTaskId,
    Long cost,
    String holdEntryId,
    Long processingTimeMs,
    Instant completedAt,
    GenerationParams params,
    Instant deletedAt,
    Instant polledAt) {

  public GenerationItem {
    tags = tags == null ? List.of() : List.copyOf(tags);
    images = images == null ? List.of() : List.copyOf(images);
    videos = videos == null ? List.of() : List.copyOf(videos);
    audios = audios == null ? List.of() : List.copyOf(audios);
  }

  /**
   * Whether the public mirror {@code generations/{id}} should hold this item: completed, public by
   * both its visibility and its flag (either saying otherwise keeps it out), and not deleted.
   */
  public boolean belongsInPublicFeed() {
    return status == GenerationStatus.COMPLETED
        && visibility == Visibility.PUBLIC
        && isPublic
        && !isDeleted;
  }

  /** How many media files the item holds. */
  public int mediaCount() {
    return images.size() + videos.size() + audios.size();
  }

  public static Builder builder(String uid, String id) {
    return new Builder().uid(uid).id(id);
  }

  public Builder toBuilder() {
    return new Builder()
        .uid(uid)
        .id(id)
        .prompt(prompt)
        .model(model)
        .generationType(generationType)
        .status(status)
        .visibility(visibility)
        .tags(tags)
        .nsfw(nsfw)
        .images(images)
        .videos(videos)
        .audios(audios)
        .frameSize(frameSize)
        .aspectRatio(aspectRatio)
        .style(style)
        .isPublic(isPublic)
        .isDeleted(isDeleted)
        .error(error)
        .createdBy(createdBy)
        .createdAt(createdAt)
        .updatedAt(updatedAt)
        .provider(provider)
        .providerTaskId(providerTaskId)
        .cost(cost)
        .holdEntryId(holdEntryId)
        .processingTimeMs(processingTimeMs)
        .completedAt(completedAt)
        .params(params)
        .deletedAt(deletedAt)
        .polledAt(polledAt);
  }

  /** A mutable copy for building changed items; {@link #build()} gives the immutable record. */
  public static final class Builder {
    private String uid;
    private String id;
    private String prompt;
    private String model;
    private GenerationType generationType;
    private GenerationStatus status;
    private Visibility visibility = Visibility.PRIVATE;
    private List<String> tags;
    private boolean nsfw;
    private List<ImageMedia> images;
    private List<VideoMedia> videos;
    private List<AudioMedia> audios;
    private String frameSize;
    private String aspectRatio;
    private String style;
    private boolean isPublic;
    private boolean isDeleted;
    private GenerationError error;
    private CreatedBy createdBy;
    private Instant createdAt;
    private Instant updatedAt;
    private String provider;
    private String providerTaskId;
    private Long cost;
    private String holdEntryId;
    private Long processingTimeMs;
    private Instant completedAt;
    private GenerationParams params;
    private Instant deletedAt;
    private Instant polledAt;

    private Builder() {}

    public Builder uid(String v) {
      uid = v;
      return this;
    }

    public Builder id(String v) {
      id = v;
      return this;
    }

    public Builder prompt(String v) {
      prompt = v;
      return this;
    }

    public Builder model(String v) {
      model = v;
      return this;
    }

    public Builder generationType(GenerationType v) {
      generationType = v;
      return this;
    }

    public Builder status(GenerationStatus v) {
      status = v;
      return this;
    }

    public Builder visibility(Visibility v) {
      visibility = v;
      return this;
    }

    public Builder tags(List<String> v) {
      tags = v;
      return this;
    }

    public Builder nsfw(boolean v) {
      nsfw = v;
      return this;
    }

    public Builder images(List<ImageMedia> v) {
      images = v;
      return this;
    }

    public Builder videos(List<VideoMedia> v) {
      videos = v;
      return this;
    }

    public Builder audios(List<AudioMedia> v) {
      audios = v;
      return this;
    }

    public Builder frameSize(String v) {
      frameSize = v;
      return this;
    }

    public Builder aspectRatio(String v) {
      aspectRatio = v;
      return this;
    }

    public Builder style(String v) {
      style = v;
      return this;
    }

    public Builder isPublic(boolean v) {
      isPublic = v;
      return this;
    }

    public Builder isDeleted(boolean v) {
      isDeleted = v;
      return this;
    }

    public Builder error(GenerationError v) {
      error = v;
      return this;
    }

    public Builder createdBy(CreatedBy v) {
      createdBy = v;
      return this;
    }

    public Builder createdAt(Instant v) {
      createdAt = v;
      return this;
    }

    public Builder updatedAt(Instant v) {
      updatedAt = v;
      return this;
    }

    public Builder provider(String v) {
      provider = v;
      return this;
    }

    public Builder providerTaskId(String v) {
      providerTaskId = v;
      return this;
    }

    public Builder cost(Long v) {
      cost = v;
      return this;
    }

    public Builder holdEntryId(String v) {
      holdEntryId = v;
      return this;
    }

    public Builder processingTimeMs(Long v) {
      processingTimeMs = v;
      return this;
    }

    public Builder completedAt(Instant v) {
      completedAt = v;
      return this;
    }

    public Builder params(GenerationParams v) {
      params = v;
      return this;
    }

    public Builder deletedAt(Instant v) {
      deletedAt = v;
      return this;
    }

    public Builder polledAt(Instant v) {
      polledAt = v;
      return this;
    }

    public GenerationItem build() {
      return new GenerationItem(
          uid,
          id,
          prompt,
          model,
          generationType,
          status,
          visibility,
          tags,
          nsfw,
          images,
          videos,
          audios,
          frameSize,
          aspectRatio,
          style,
          isPublic,
          isDeleted,
          error,
          createdBy,
          createdAt,
          updatedAt,
          provider,
          providerTaskId,
          cost,
          holdEntryId,
          processingTimeMs,
          completedAt,
          params,
          deletedAt,
          polledAt);
    }
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
    public static final String PARAMS = "params";
    public static final String DELETED_AT = "deletedAt";
    public static final String POLLED_AT = "polledAt";

    /**
     * When {@code reconcile} deleted the media of this soft-deleted item from Cloud Storage (a
     * server timestamp). Not part of the record: only reconcile reads and writes it, by field.
     */
    public static final String MEDIA_PURGED_AT = "mediaPurgedAt";

    private Field() {}
  }
}
