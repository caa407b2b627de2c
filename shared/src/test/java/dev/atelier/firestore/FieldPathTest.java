package dev.atelier.firestore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** FieldPath's hand-written equality, and why it is hand-written. */
class FieldPathTest {

  @Test
  void pathsWithTheSameSegmentsAreEqualAndHashAlike() {
    FieldPath parsed = FieldPath.parse("balance.credits");
    FieldPath built = FieldPath.of("balance", "credits");
    assertEquals(parsed, built);
    assertEquals(parsed.hashCode(), built.hashCode());
    assertEquals(FieldPath.of("a").append("b.c"), new FieldPath(List.of("a", "b.c")));
  }

  @Test
  void pathsWithOtherSegmentsDiffer() {
    assertNotEquals(FieldPath.parse("a.b"), FieldPath.of("a.b"));
    assertNotEquals(FieldPath.of("a", "b"), FieldPath.of("b", "a"));
    assertNotEquals(FieldPath.of("a"), FieldPath.of("a", "b"));
    assertNotEquals(FieldPath.of("a"), "a");
  }

  @Test
  void aPathIsAMapKeyByItsSegments() {
    Map<FieldPath, Integer> updates = new HashMap<>();
    updates.put(FieldPath.parse("stats.likes"), 1);
    updates.put(FieldPath.of("stats", "likes"), 2);
    assertEquals(Map.of(FieldPath.of("stats", "likes"), 2), updates);
  }

  /**
   * A record's generated equals/hashCode/toString bootstrap java.lang.runtime.ObjectMethods on
   * first use (~12 ms of a cold instance's first update, which keys a map by FieldPath): FieldPath
   * writes all three out, so its class file names no ObjectMethods.
   */
  @Test
  void fieldPathBootstrapsNoGeneratedRecordMethods() throws Exception {
    byte[] bytes;
    try (InputStream in = FieldPath.class.getResourceAsStream("FieldPath.class")) {
      assertNotNull(in);
      bytes = in.readAllBytes();
    }
    assertFalse(
        new String(bytes, StandardCharsets.ISO_8859_1).contains("java/lang/runtime/ObjectMethods"));
  }
}
