package dev.atelier.emulator.rules.lang;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The five request methods; {@code read} and {@code write} in an allow statement stand for groups.
 */
public enum AccessMethod {
  GET,
  LIST,
  CREATE,
  UPDATE,
  DELETE;

  /** As {@code request.method} spells it. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The methods an allow statement's word grants, or empty for an unknown word. */
  public static Optional<Set<AccessMethod>> ofWord(String word) {
    return switch (word) {
      case "read" -> Optional.of(EnumSet.of(GET, LIST));
      case "write" -> Optional.of(EnumSet.of(CREATE, UPDATE, DELETE));
      case "get" -> Optional.of(EnumSet.of(GET));
      case "list" -> Optional.of(EnumSet.of(LIST));
      case "create" -> Optional.of(EnumSet.of(CREATE));
      case "update" -> Optional.of(EnumSet.of(UPDATE));
      case "delete" -> Optional.of(EnumSet.of(DELETE));
      default -> Optional.empty();
    };
  }
}
