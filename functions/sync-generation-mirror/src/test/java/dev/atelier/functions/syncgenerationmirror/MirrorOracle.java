package dev.atelier.functions.syncgenerationmirror;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SPEC "Mirror", written out independently of the production projection: from the raw stored item
 * and owner profile, the raw document {@code generations/{id}} must hold, or empty when it must be
 * absent.
 */
final class MirrorOracle {
  private MirrorOracle() {}

  /** Owner- and server-only fields of an item that the public mirror never carries. */
  static final List<String> SERVER_ONLY = List.of("holdEntryId", "cost", "providerTaskId", "error");

  /**
   * @param item the stored item's fields, null when the item does not exist
   * @param profile the stored {@code users/{uid}} fields
   */
  static Optional<Map<String, Object>> expected(
      Map<String, Object> item, Map<String, Object> profile) {
    if (item == null || !belongsInFeed(item)) {
      return Optional.empty();
    }
    Map<String, Object> mirror = new LinkedHashMap<>(item);
    SERVER_ONLY.forEach(mirror::remove);
    if (item.get("params") instanceof Map<?, ?> params) {
      Map<Object, Object> publicParams = new LinkedHashMap<>(params);
      publicParams.remove("negativePrompt");
      mirror.put("params", publicParams);
    }
    Map<String, Object> createdBy = new LinkedHashMap<>();
    createdBy.put("uid", item.get("uid"));
    for (String field : List.of("username", "displayName", "photoURL")) {
      if (profile.get(field) != null) {
        createdBy.put(field, profile.get(field));
      }
    }
    mirror.put("createdBy", createdBy);
    mirror.put("isPublic", true);
    mirror.put("isDeleted", false);
    return Optional.of(mirror);
  }

  /** Completed, visibility public with the public flag, not deleted. */
  static boolean belongsInFeed(Map<String, Object> item) {
    return "completed".equals(item.get("status"))
        && "public".equals(item.get("visibility"))
        && Boolean.TRUE.equals(item.get("isPublic"))
        && !Boolean.TRUE.equals(item.get("isDeleted"));
  }
}
