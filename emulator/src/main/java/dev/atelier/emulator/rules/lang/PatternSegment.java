package dev.atelier.emulator.rules.lang;

/** One segment of a match path: literal text, {@code {name}} or {@code {name=**}}. */
public sealed interface PatternSegment {
  record Literal(String text) implements PatternSegment {}

  /** Matches exactly one segment and binds it. */
  record Single(String variable) implements PatternSegment {}

  /** Matches zero or more segments (one or more under rules_version 1) and binds them as a path. */
  record Recursive(String variable) implements PatternSegment {}
}
