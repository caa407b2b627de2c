package dev.atelier.generations;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code generations/{id}}: the world-readable projection of a public, undeleted history item.
 * It leaves out what only the owner and the server may see: the creator's email, the cost and its
 * HOLD entry, the provider's task id. Field names are those of {@link GenerationItem.Field}.
 */
public record PublicGeneration(
    String id,
    String uid,
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
    String provider) {

  public PublicGeneration {
    tags = tags == null ? List.of() : List.copyOf(tags);
    images = images == null ? List.of() : List.copyOf(images);
    videos = videos == null ? List.of() : List.copyOf(videos);
    audios = audios == null ? List.of() : List.copyOf(audios);
  }

  /**
   * The mirror document {@code item} should have: present iff {@link GenerationItem#belongsInPublicFeed()}.
   * Timestamps are the item's, so the public feed sorts as the owner's history does.
   */
  public static Optional<PublicGeneration> project(GenerationItem item) {
    if (!item.belongsInPublicFeed()) {
      return Optional.empty();
    }
    CreatedBy by = item.createdBy() == null
        ? new CreatedBy(item.uid(), null, null, null, null)
        : new CreatedBy(item.createdBy().uid(), item.createdBy().username(), null,
            item.createdBy().displayName(), item.createdBy().photoURL());
    return Optional.of(copyOf(item, by));
  }

  /**
   * A field-for-field copy of {@code item}'s public fields with {@code createdBy}; no rule applied
   * (use {@link #project} for the mirror).
   */
  public static PublicGeneration copyOf(GenerationItem item, CreatedBy createdBy) {
    return new PublicGeneration(item.id(), item.uid(), item.prompt(), item.model(),
        item.generationType(), item.status(), item.visibility(), item.tags(), item.nsfw(),
        item.images(), item.videos(), item.audios(), item.frameSize(), item.aspectRatio(),
        item.style(), item.isPublic(), item.isDeleted(), item.error(), createdBy,
        item.createdAt(), item.updatedAt(), item.provider());
  }

  /** This mirror document as a history item whose owner-only fields are null. */
  public GenerationItem asItem() {
    return new GenerationItem(uid, id, prompt, model, generationType, status, visibility, tags, nsfw,
        images, videos, audios, frameSize, aspectRatio, style, isPublic, isDeleted, error, createdBy,
        createdAt, updatedAt, provider, null, null, null, null, null);
  }
}
