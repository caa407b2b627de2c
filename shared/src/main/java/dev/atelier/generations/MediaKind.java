package dev.atelier.generations;

/** What a generation produces, and so which media list of the item it fills. */
public enum MediaKind {
  IMAGE,
  VIDEO,
  AUDIO,
  /** Text replies (live chat): no media. */
  TEXT
}
