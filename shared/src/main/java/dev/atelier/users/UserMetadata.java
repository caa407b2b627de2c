package dev.atelier.users;

import java.time.Instant;
import java.util.List;

/** Account metadata; {@code roles} is never null (empty when none). */
public record UserMetadata(
    Instant lastPasswordChange, AccountStatus accountStatus, List<String> roles) {

  public UserMetadata {
    roles = roles == null ? List.of() : List.copyOf(roles);
  }

  public static final class Field {
    public static final String LAST_PASSWORD_CHANGE = "lastPasswordChange";
    public static final String ACCOUNT_STATUS = "accountStatus";
    public static final String ROLES = "roles";

    private Field() {}
  }
}
