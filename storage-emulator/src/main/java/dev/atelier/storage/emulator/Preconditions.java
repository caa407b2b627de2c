package dev.atelier.storage.emulator;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The JSON API's generation preconditions; {@code ifGenerationMatch=0} means "the object must not
 * exist".
 */
record Preconditions(
    OptionalLong ifGenerationMatch,
    OptionalLong ifGenerationNotMatch,
    OptionalLong ifMetagenerationMatch,
    OptionalLong ifMetagenerationNotMatch) {

  static final Preconditions NONE =
      new Preconditions(
          OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty());

  static Preconditions fromQuery(Map<String, String> query) {
    return new Preconditions(
        number(query, "ifGenerationMatch"),
        number(query, "ifGenerationNotMatch"),
        number(query, "ifMetagenerationMatch"),
        number(query, "ifMetagenerationNotMatch"));
  }

  /** Throws 412 unless the live object (or its absence) satisfies every given condition. */
  void check(Optional<StoredObject> live) {
    long generation = live.map(StoredObject::generation).orElse(0L);
    if (ifGenerationMatch.isPresent() && ifGenerationMatch.getAsLong() != generation) {
      throw GcsException.conditionNotMet();
    }
    if (ifGenerationNotMatch.isPresent() && ifGenerationNotMatch.getAsLong() == generation) {
      throw GcsException.conditionNotMet();
    }
    if (ifMetagenerationMatch.isPresent()
        && live.map(o -> o.metageneration() != ifMetagenerationMatch.getAsLong()).orElse(true)) {
      throw GcsException.conditionNotMet();
    }
    if (ifMetagenerationNotMatch.isPresent()
        && live.map(o -> o.metageneration() == ifMetagenerationNotMatch.getAsLong())
            .orElse(false)) {
      throw GcsException.conditionNotMet();
    }
  }

  private static OptionalLong number(Map<String, String> query, String name) {
    String value = query.get(name);
    if (value == null || value.isEmpty()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(value));
    } catch (NumberFormatException e) {
      throw GcsException.invalid("Invalid value for " + name + ": " + value);
    }
  }
}
