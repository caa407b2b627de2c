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
  void unfinishedPublicItemHasNoMirror() {
    assertTrue(
        PublicGeneration.project(
                item(true, false).toBuilder().status(GenerationStatus.GENERATING).build())
            .isEmpty());
    assertTrue(
        PublicGeneration.project(
                item(true, false).toBuilder().status(GenerationStatus.FAILED).build())
            .isEmpty());
  }

  @Test
  void unlistedItemHasNoMirror() {
    assertTrue(
        PublicGeneration.project(
                item(true, false).toBuilder().visibility(Visibility.UNLISTED).build())
            .isEmpty());
  }

  @Test
  void publicVisibilityWithoutTheFlagHasNoMirror() {
    assertTrue(
        PublicGeneration.project(item(true, false).toBuilder().isPublic(false).build()).isEmpty());
  }

  @Test
  void mirrorLeavesOutErrorAndNegativePromptAndTakesTheGivenCreator() {
    GenerationItem item =
        item(true, false).toBuilder()
            .error(new GenerationError("X", "y"))
            .params(new GenerationParams(2, "1:1", null, "no text"))
            .build();
    PublicGeneration mirror =
        PublicGeneration.project(item, new CreatedBy("u1", "ada2", "x@y", "Ada L.", "p.png"))
            .orElseThrow();
    assertNull(mirror.asItem().error());
    assertNull(mirror.params().negativePrompt());
    assertEquals(2, mirror.params().numOutputs());
    assertEquals(new CreatedBy("u1", "ada2", null, "Ada L.", "p.png"), mirror.createdBy());
  }

  @Test
  void itemWithoutCreatorIsMirroredUnderItsOwner() {
    GenerationItem anonymous = item(true, false).toBuilder().createdBy(null).build();
    assertEquals(
        new CreatedBy("u1", null, null, null, null),
        PublicGeneration.project(anonymous).orElseThrow().createdBy());
  }

  private static GenerationItem item(boolean isPublic, boolean isDeleted) {
    return GenerationItem.builder("u1", "g1")
        .prompt("a fox")
        .model("flux-schnell")
        .generationType(GenerationType.TEXT_TO_IMAGE)
        .status(GenerationStatus.COMPLETED)
        .visibility(isPublic ? Visibility.PUBLIC : Visibility.PRIVATE)
        .tags(List.of("fox"))
        .images(
            List.of(new ImageMedia("m1", "https://cdn/x.png", "generations/u1/g1/m1.png", null)))
        .frameSize("1:1")
        .aspectRatio("1:1")
        .isPublic(isPublic)
        .isDeleted(isDeleted)
        .createdBy(new CreatedBy("u1", "ada", "ada@example.com", "Ada Lovelace", null))
        .createdAt(CREATED)
        .updatedAt(CREATED)
        .provider("replicate")
        .providerTaskId("task-1")
        .cost(10L)
        .holdEntryId("e1")
        .processingTimeMs(1200L)
        .completedAt(CREATED)
        .build();
  }
}
