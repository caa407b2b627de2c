package dev.atelier.users;

import dev.atelier.generations.CreatedBy;
import java.time.Instant;

/**
 * {@code users/{uid}}. Nullable: displayName, photoURL, lastLoginIP, userAgent, deviceInfo,
 * preferences, metadata, isUsernameTemporary, creatorRefreshPending, and any timestamp not yet set
 * by the server.
 *
 * <p>{@code creatorRefreshPending} (server-only, true or absent): the creator (username,
 * displayName, photoURL) changed and the {@code createdBy} copy on the user's public items may not
 * have caught up yet. Set in the session's transaction, removed once every item carries it, so a
 * refresh that failed after the profile committed is finished by a later session.
 */
public record UserProfile(
    String uid,
    String email,
    String username,
    String displayName,
    String photoURL,
    ProviderId provider,
    boolean emailVerified,
    boolean isActive,
    Instant createdAt,
    Instant lastLoginAt,
    long loginCount,
    String lastLoginIP,
    String userAgent,
    DeviceInfo deviceInfo,
    Preferences preferences,
    UserMetadata metadata,
    Boolean isUsernameTemporary,
    Instant updatedAt,
    Boolean creatorRefreshPending) {

  /**
   * Whether an admin suspended this account ({@code metadata.accountStatus}): every write is
   * refused.
   */
  public boolean suspended() {
    return metadata != null && metadata.accountStatus() == AccountStatus.SUSPENDED;
  }

  /** The copy of this profile that the user's public items carry. */
  public CreatedBy creator() {
    return new CreatedBy(uid, username, email, displayName, photoURL);
  }

  /** Stored field names, for queries and partial updates. */
  public static final class Field {
    public static final String UID = "uid";
    public static final String EMAIL = "email";
    public static final String USERNAME = "username";
    public static final String DISPLAY_NAME = "displayName";
    public static final String PHOTO_URL = "photoURL";
    public static final String PROVIDER = "provider";
    public static final String EMAIL_VERIFIED = "emailVerified";
    public static final String IS_ACTIVE = "isActive";
    public static final String CREATED_AT = "createdAt";
    public static final String LAST_LOGIN_AT = "lastLoginAt";
    public static final String LOGIN_COUNT = "loginCount";
    public static final String LAST_LOGIN_IP = "lastLoginIP";
    public static final String USER_AGENT = "userAgent";
    public static final String DEVICE_INFO = "deviceInfo";
    public static final String PREFERENCES = "preferences";
    public static final String METADATA = "metadata";
    public static final String ACCOUNT_STATUS = "metadata.accountStatus";
    public static final String IS_USERNAME_TEMPORARY = "isUsernameTemporary";
    public static final String UPDATED_AT = "updatedAt";
    public static final String CREATOR_REFRESH_PENDING = "creatorRefreshPending";

    private Field() {}
  }
}
