package dev.atelier.emulator.rules;

/**
 * A segment of the path a request is evaluated for. A document read or write has only known
 * segments; a list query stands for every document it may return: the document id is {@link AnyOne}
 * and, for a collection group query, the collections between the parent and the group are {@link
 * AnyRun}.
 */
public sealed interface PathSegment {
  record Known(String text) implements PathSegment {}

  /** Exactly one segment, not known in advance. */
  record AnyOne(String what) implements PathSegment {}

  /** Zero or more segments, not known in advance. */
  record AnyRun(String what) implements PathSegment {}
}
