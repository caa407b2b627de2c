package dev.atelier.generations;

/**
 * The creator of a generation. Only {@code uid} is required. The public mirror carries {@code
 * displayName}/{@code photoURL} but never {@code email}.
 */
public record CreatedBy(
    String uid, String username, String email, String displayName, String photoURL) {

  public static final class Field {
    public static final String UID = "uid";
    public static final String USERNAME = "username";
    public static final String EMAIL = "email";
    public static final String DISPLAY_NAME = "displayName";
    public static final String PHOTO_URL = "photoURL";

    private Field() {}
  }
}
