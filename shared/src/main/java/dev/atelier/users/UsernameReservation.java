package dev.atelier.users;

import java.time.Instant;

/**
 * {@code usernames/{usernameLower}}: holds a username for one uid, case-insensitively unique
 * because the document id is the lower-cased name. {@code username} keeps the casing the user
 * chose.
 */
public record UsernameReservation(
    String usernameLower, String uid, String username, Instant createdAt) {

  public static final class Field {
    public static final String UID = "uid";
    public static final String USERNAME = "username";
    public static final String CREATED_AT = "createdAt";

    private Field() {}
  }
}
