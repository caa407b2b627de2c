package dev.atelier.generations;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code generations/{id}}: the world-readable projection of a completed, public, undeleted history
 * item. It leaves out what only the owner and the server may see: the creator's email, the cost and
 * its HOLD entry, the provider's task id, the error and the negative prompt. {@code isPublic} is
 * always true and {@code isDeleted} always false, written explicitly so the feed query passes the
 * security rules (which are not filters). Field names are those of {@link GenerationItem.Field}.
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
    CreatedBy createdBy,
    Instant createdAt,
    Instant updatedAt,
    String provider,
    Long processingTimeMs,
    Instant completedAt,
    GenerationParams params) {

  public PublicGeneration {
    tags = tags == null ? List.of() : List.copyOf(tags);
    images = images == null ? List.of() : List.copyOf(images);
    videos = videos == null ? List.of() : List.copyOf(videos);
    audios = audios == null ? List.of() : List.copyOf(audios);
  }

  /**
   * The mirror document {@code item} should have, with {@code creator} (from {@code users/{uid}} at
   * sync time; the item's own copy when null): present iff {@link
   * GenerationItem#belongsInPublicFeed()}. Timestamps are the item's, so the public feed sorts as
   * the owner's history does.
   */
  public static Optional<PublicGeneration> project(GenerationItem item, CreatedBy creator) {
    if (!item.belongsInPublicFeed()) {
      return Optional.empty();
    }
    CreatedBy source = creator != null ? creator : item.createdBy();
    CreatedBy by =
        source == null
            ? new CreatedBy(item.uid(), null, null, null, null)
            : new CreatedBy(
                item.uid(), source.username(), null, source.displayName(), source.photoURL());
    return Optional.of(
        new PublicGeneration(
            item.id(),
            item.uid(),
            item.prompt(),
            item.model(),
            item.generationType(),
            item.status(),
            item.visibility(),
            item.tags(),
            item.nsfw(),
            item.images(),
            item.videos(),
            item.audios(),
            item.frameSize(),
            item.aspectRatio(),
            item.style(),
            true,
            false,
            by,
            item.createdAt(),
            item.updatedAt(),
            item.provider(),
            item.processingTimeMs(),
            item.completedAt(),
            item.params() == null ? null : item.params().publicView()));
  }

  /** As {@link #project(GenerationItem, CreatedBy)} with the item's own creator copy. */
  public static Optional<PublicGeneration> project(GenerationItem item) {
    return project(item, null);
  }

  /**
   * This mirror document as a history item whose owner-only fields are null (how the codec stores
   * it).
   */
  public GenerationItem asItem() {
    return GenerationItem.builder(uid, id)
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
        .createdBy(createdBy)
        .createdAt(createdAt)
        .updatedAt(updatedAt)
        .provider(provider)
        .processingTimeMs(processingTimeMs)
        .completedAt(completedAt)
        .params(params)
        .build();
  }

  /** The mirror fields of a stored document read as an item. */
  public static PublicGeneration fromItem(GenerationItem item) {
    return new PublicGeneration(
        item.id(),
        item.uid(),
        item.prompt(),
        item.model(),
        item.generationType(),
        item.status(),
        item.visibility(),
        item.tags(),
        item.nsfw(),
        item.images(),
        item.videos(),
        item.audios(),
        item.frameSize(),
        item.aspectRatio(),
        item.style(),
        item.isPublic(),
        item.isDeleted(),
        item.createdBy(),
        item.createdAt(),
        item.updatedAt(),
        item.provider(),
        item.processingTimeMs(),
        item.completedAt(),
        item.params());
  }
}
