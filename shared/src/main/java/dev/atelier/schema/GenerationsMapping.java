package dev.atelier.schema;

import dev.atelier.generations.AudioMedia;
import dev.atelier.generations.CreatedBy;
import dev.atelier.generations.GenerationError;
import dev.atelier.generations.GenerationItem;
import dev.atelier.generations.GenerationItem.Field;
import dev.atelier.generations.GenerationParams;
import dev.atelier.generations.GenerationStatus;
import dev.atelier.generations.GenerationType;
import dev.atelier.generations.ImageMedia;
import dev.atelier.generations.Media;
import dev.atelier.generations.PublicGeneration;
import dev.atelier.generations.VideoMedia;
import dev.atelier.generations.Visibility;
import dev.atelier.store.DocumentKey;

/**
 * Codecs of history items and their public mirror (the mirror is written and read as an item's
 * public fields).
 */
final class GenerationsMapping {
  private GenerationsMapping() {}

  static void writeItem(GenerationItem g, DocWriter w) {
    w.put(Field.ID, g.id())
        .put(Field.UID, g.uid())
        .put(Field.PROMPT, g.prompt())
        .put(Field.MODEL, g.model())
        .put(Field.GENERATION_TYPE, g.generationType())
        .put(Field.STATUS, g.status())
        .put(Field.VISIBILITY, g.visibility())
        .put(Field.TAGS, g.tags())
        .put(Field.NSFW, g.nsfw())
        .objects(Field.IMAGES, g.images(), GenerationsMapping::writeImage)
        .objects(Field.VIDEOS, g.videos(), GenerationsMapping::writeVideo)
        .objects(Field.AUDIOS, g.audios(), GenerationsMapping::writeAudio)
        .put(Field.FRAME_SIZE, g.frameSize())
        .put(Field.ASPECT_RATIO, g.aspectRatio())
        .put(Field.STYLE, g.style())
        .put(Field.IS_PUBLIC, g.isPublic())
        .put(Field.IS_DELETED, g.isDeleted())
        .object(Field.ERROR, g.error(), GenerationsMapping::writeError)
        .object(Field.CREATED_BY, g.createdBy(), GenerationsMapping::writeCreatedBy)
        .put(Field.CREATED_AT, g.createdAt())
        .put(Field.UPDATED_AT, g.updatedAt())
        .put(Field.PROVIDER, g.provider())
        .put(Field.PROVIDER_TASK_ID, g.providerTaskId())
        .put(Field.COST, g.cost())
        .put(Field.HOLD_ENTRY_ID, g.holdEntryId())
        .put(Field.PROCESSING_TIME_MS, g.processingTimeMs())
        .put(Field.COMPLETED_AT, g.completedAt())
        .object(Field.PARAMS, g.params(), GenerationsMapping::writeParams)
        .put(Field.DELETED_AT, g.deletedAt())
        .put(Field.POLLED_AT, g.polledAt());
  }

  static GenerationItem readItem(DocumentKey key, DocReader r) {
    return readFields(key.id("uid"), key.id("itemId"), r);
  }

  private static GenerationItem readFields(String uid, String id, DocReader r) {
    return new GenerationItem(
        uid,
        id,
        r.optStr(Field.PROMPT),
        r.optStr(Field.MODEL),
        r.enm(Field.GENERATION_TYPE, GenerationType.class),
        r.enm(Field.STATUS, GenerationStatus.class),
        visibility(r),
        r.strings(Field.TAGS),
        r.boolOr(Field.NSFW, false),
        r.objects(Field.IMAGES, GenerationsMapping::readImage),
        r.objects(Field.VIDEOS, GenerationsMapping::readVideo),
        r.objects(Field.AUDIOS, GenerationsMapping::readAudio),
        r.optStr(Field.FRAME_SIZE),
        aspectRatio(r),
        r.optStr(Field.STYLE),
        r.boolOr(Field.IS_PUBLIC, false),
        r.boolOr(Field.IS_DELETED, false),
        error(r),
        r.object(Field.CREATED_BY, GenerationsMapping::readCreatedBy),
        r.optInstant(Field.CREATED_AT),
        r.optInstant(Field.UPDATED_AT),
        r.optStr(Field.PROVIDER),
        r.optStr(Field.PROVIDER_TASK_ID),
        r.optLng(Field.COST),
        r.optStr(Field.HOLD_ENTRY_ID),
        r.optLng(Field.PROCESSING_TIME_MS),
        r.optInstant(Field.COMPLETED_AT),
        r.object(Field.PARAMS, GenerationsMapping::readParams),
        r.optInstant(Field.DELETED_AT),
        r.optInstant(Field.POLLED_AT));
  }

  static void writeMirror(PublicGeneration g, DocWriter w) {
    writeItem(g.asItem(), w);
  }

  static PublicGeneration readMirror(DocumentKey key, DocReader r) {
    return PublicGeneration.fromItem(readFields(r.str(Field.UID), key.id("itemId"), r));
  }

  private static Visibility visibility(DocReader r) {
    Visibility v = r.optEnm(Field.VISIBILITY, Visibility.class);
    return v == null ? Visibility.PRIVATE : v;
  }

  private static String aspectRatio(DocReader r) {
    String v = r.optStr(Field.ASPECT_RATIO);
    return v != null ? v : r.optStr(Field.ASPECT_RATIO_LEGACY);
  }

  /** Older documents store the error as a plain string: read it with an unknown code. */
  private static GenerationError error(DocReader r) {
    if (r.isString(Field.ERROR)) {
      return new GenerationError(GenerationError.UNKNOWN, r.optStr(Field.ERROR));
    }
    return r.object(
        Field.ERROR,
        e ->
            new GenerationError(
                e.str(GenerationError.Field.CODE), e.optStr(GenerationError.Field.MESSAGE)));
  }

  private static void writeError(GenerationError e, DocWriter w) {
    w.put(GenerationError.Field.CODE, e.code()).put(GenerationError.Field.MESSAGE, e.message());
  }

  private static void writeParams(GenerationParams p, DocWriter w) {
    w.put(GenerationParams.Field.NUM_OUTPUTS, p.numOutputs())
        .put(GenerationParams.Field.ASPECT_RATIO, p.aspectRatio())
        .put(GenerationParams.Field.DURATION_SECONDS, p.durationSeconds())
        .put(GenerationParams.Field.NEGATIVE_PROMPT, p.negativePrompt());
  }

  private static GenerationParams readParams(DocReader r) {
    return new GenerationParams(
        r.lngOr(GenerationParams.Field.NUM_OUTPUTS, 1),
        r.optStr(GenerationParams.Field.ASPECT_RATIO),
        r.optLng(GenerationParams.Field.DURATION_SECONDS),
        r.optStr(GenerationParams.Field.NEGATIVE_PROMPT));
  }

  private static void writeCreatedBy(CreatedBy c, DocWriter w) {
    w.put(CreatedBy.Field.UID, c.uid())
        .put(CreatedBy.Field.USERNAME, c.username())
        .put(CreatedBy.Field.EMAIL, c.email())
        .put(CreatedBy.Field.DISPLAY_NAME, c.displayName())
        .put(CreatedBy.Field.PHOTO_URL, c.photoURL());
  }

  private static CreatedBy readCreatedBy(DocReader r) {
    return new CreatedBy(
        r.str(CreatedBy.Field.UID),
        r.optStr(CreatedBy.Field.USERNAME),
        r.optStr(CreatedBy.Field.EMAIL),
        r.optStr(CreatedBy.Field.DISPLAY_NAME),
        r.optStr(CreatedBy.Field.PHOTO_URL));
  }

  private static void writeMedia(Media m, DocWriter w) {
    w.put(Media.Field.ID, m.id())
        .put(Media.Field.URL, m.url())
        .put(Media.Field.STORAGE_PATH, m.storagePath());
  }

  private static void writeImage(ImageMedia m, DocWriter w) {
    writeMedia(m, w);
    w.put(Media.Field.ORIGINAL_URL, m.originalUrl());
  }

  private static ImageMedia readImage(DocReader r) {
    return new ImageMedia(
        r.str(Media.Field.ID),
        r.str(Media.Field.URL),
        r.optStr(Media.Field.STORAGE_PATH),
        r.optStr(Media.Field.ORIGINAL_URL));
  }

  private static void writeVideo(VideoMedia m, DocWriter w) {
    writeMedia(m, w);
    w.put(Media.Field.THUMB_URL, m.thumbUrl());
  }

  private static VideoMedia readVideo(DocReader r) {
    return new VideoMedia(
        r.str(Media.Field.ID),
        r.str(Media.Field.URL),
        r.optStr(Media.Field.STORAGE_PATH),
        r.optStr(Media.Field.THUMB_URL));
  }

  private static void writeAudio(AudioMedia m, DocWriter w) {
    writeMedia(m, w);
    w.put(Media.Field.ORIGINAL_URL, m.originalUrl());
  }

  private static AudioMedia readAudio(DocReader r) {
    return new AudioMedia(
        r.str(Media.Field.ID),
        r.str(Media.Field.URL),
        r.optStr(Media.Field.STORAGE_PATH),
        r.optStr(Media.Field.ORIGINAL_URL));
  }
}
