package dev.atelier.generations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PublicGenerationTest {
  private static final Instant CREATED = Instant.parse("2026-11-21T10:00:00Z");

  @Test
  void publicUndeletedItemIsMirroredWithoutOwnerOnlyFields() {
    PublicGeneration mirror = PublicGeneration.project(item(true, false)).orElseThrow();
    assertEquals("g1", mirror.id());
    assertEquals("u1", mirror.createdBy().uid());
    assertEquals("Ada Lovelace", mirror.createdBy().displayName());
    assertNull(mirror.createdBy().email());
    assertEquals(CREATED, mirror.createdAt());
    assertTrue(mirror.isPublic());
    assertNull(mirror.asItem().cost());
    assertNull(mirror.asItem().providerTaskId());
  }

  @Test
  void privateItemHasNoMirror() {
    assertTrue(PublicGeneration.project(item(false, false)).isEmpty());
  }

  @Test
  void deletedPublicItemHasNoMirror() {
    assertTrue(PublicGeneration.project(item(true, true)).isEmpty());
  }

  @Test
  void itemWithoutCreatorIsMirroredUnderItsOwner() {
    GenerationItem item = item(true, false);
    GenerationItem anonymous = new GenerationItem(item.uid(), item.id(), item.prompt(), item.model(),
        item.generationType(), item.status(), item.visibility(), item.tags(), item.nsfw(), item.images(),
        item.videos(), item.audios(), item.frameSize(), item.aspectRatio(), item.style(), true, false, null, null,
        item.createdAt(), item.updatedAt(), item.provider(), item.providerTaskId(), item.cost(),
        item.holdEntryId(), item.processingTimeMs(), item.completedAt());
    assertEquals(new CreatedBy("u1", null, null, null, null),
        PublicGeneration.project(anonymous).orElseThrow().createdBy());
  }

  private static GenerationItem item(boolean isPublic, boolean isDeleted) {
    return new GenerationItem("u1", "g1", "a fox", "flux-schnell", GenerationType.TEXT_TO_IMAGE,
        GenerationStatus.COMPLETED, isPublic ? Visibility.PUBLIC : Visibility.PRIVATE, List.of("fox"), false,
        List.of(new ImageMedia("m1", "https://cdn/x.png", "generations/u1/g1/m1.png", null)), null, null,
        "1:1", "1:1", null, isPublic, isDeleted, null,
        new CreatedBy("u1", "ada", "ada@example.com", "Ada Lovelace", null),
        CREATED, CREATED, "replicate", "task-1", 10L, "e1", 1200L, CREATED);
  }
}
