package dev.atelier.users;

/** User preferences; every part optional (null). */
public record Preferences(Theme theme, String language, String timezone) {
  public static final class Field {
    public static final String THEME = "theme";
    public static final String LANGUAGE = "language";
    public static final String TIMEZONE = "timezone";

    private Field() {}
  }
}
