package dev.atelier.schema;

import dev.atelier.store.DocumentKey;
import dev.atelier.users.AccountStatus;
import dev.atelier.users.DeviceInfo;
import dev.atelier.users.Preferences;
import dev.atelier.users.ProviderId;
import dev.atelier.users.Theme;
import dev.atelier.users.UserMetadata;
import dev.atelier.users.UserProfile;
import dev.atelier.users.UsernameReservation;

/** Codecs of {@code users/{uid}} and {@code usernames/{lowercased}}. */
final class UsersMapping {
  private UsersMapping() {}

  static void writeProfile(UserProfile u, DocWriter w) {
    w.put(UserProfile.Field.UID, u.uid())
        .put(UserProfile.Field.EMAIL, u.email())
        .put(UserProfile.Field.USERNAME, u.username())
        .put(UserProfile.Field.DISPLAY_NAME, u.displayName())
        .put(UserProfile.Field.PHOTO_URL, u.photoURL())
        .put(UserProfile.Field.PROVIDER, u.provider())
        .put(UserProfile.Field.EMAIL_VERIFIED, u.emailVerified())
        .put(UserProfile.Field.IS_ACTIVE, u.isActive())
        .put(UserProfile.Field.CREATED_AT, u.createdAt())
        .put(UserProfile.Field.LAST_LOGIN_AT, u.lastLoginAt())
        .put(UserProfile.Field.LOGIN_COUNT, u.loginCount())
        .put(UserProfile.Field.LAST_LOGIN_IP, u.lastLoginIP())
        .put(UserProfile.Field.USER_AGENT, u.userAgent())
        .object(UserProfile.Field.DEVICE_INFO, u.deviceInfo(), UsersMapping::writeDevice)
        .object(UserProfile.Field.PREFERENCES, u.preferences(), UsersMapping::writePreferences)
        .object(UserProfile.Field.METADATA, u.metadata(), UsersMapping::writeMetadata)
        .put(UserProfile.Field.IS_USERNAME_TEMPORARY, u.isUsernameTemporary())
        .put(UserProfile.Field.UPDATED_AT, u.updatedAt())
        .put(UserProfile.Field.CREATOR_REFRESH_PENDING, u.creatorRefreshPending());
  }

  static UserProfile readProfile(DocumentKey key, DocReader r) {
    return new UserProfile(
        key.id("uid"),
        r.optStr(UserProfile.Field.EMAIL),
        r.optStr(UserProfile.Field.USERNAME),
        r.optStr(UserProfile.Field.DISPLAY_NAME),
        r.optStr(UserProfile.Field.PHOTO_URL),
        r.enm(UserProfile.Field.PROVIDER, ProviderId.class),
        r.boolOr(UserProfile.Field.EMAIL_VERIFIED, false),
        r.boolOr(UserProfile.Field.IS_ACTIVE, true),
        r.optInstant(UserProfile.Field.CREATED_AT),
        r.optInstant(UserProfile.Field.LAST_LOGIN_AT),
        r.lngOr(UserProfile.Field.LOGIN_COUNT, 0),
        r.optStr(UserProfile.Field.LAST_LOGIN_IP),
        r.optStr(UserProfile.Field.USER_AGENT),
        r.object(UserProfile.Field.DEVICE_INFO, UsersMapping::readDevice),
        r.object(UserProfile.Field.PREFERENCES, UsersMapping::readPreferences),
        r.object(UserProfile.Field.METADATA, UsersMapping::readMetadata),
        r.optBool(UserProfile.Field.IS_USERNAME_TEMPORARY),
        r.optInstant(UserProfile.Field.UPDATED_AT),
        r.optBool(UserProfile.Field.CREATOR_REFRESH_PENDING));
  }

  private static void writeDevice(DeviceInfo d, DocWriter w) {
    w.put(DeviceInfo.Field.BROWSER, d.browser())
        .put(DeviceInfo.Field.OS, d.os())
        .put(DeviceInfo.Field.DEVICE, d.device());
  }

  private static DeviceInfo readDevice(DocReader r) {
    return new DeviceInfo(
        r.optStr(DeviceInfo.Field.BROWSER),
        r.optStr(DeviceInfo.Field.OS),
        r.optStr(DeviceInfo.Field.DEVICE));
  }

  private static void writePreferences(Preferences p, DocWriter w) {
    w.put(Preferences.Field.THEME, p.theme())
        .put(Preferences.Field.LANGUAGE, p.language())
        .put(Preferences.Field.TIMEZONE, p.timezone());
  }

  private static Preferences readPreferences(DocReader r) {
    return new Preferences(
        r.optEnm(Preferences.Field.THEME, Theme.class),
        r.optStr(Preferences.Field.LANGUAGE),
        r.optStr(Preferences.Field.TIMEZONE));
  }

  private static void writeMetadata(UserMetadata m, DocWriter w) {
    w.put(UserMetadata.Field.LAST_PASSWORD_CHANGE, m.lastPasswordChange())
        .put(UserMetadata.Field.ACCOUNT_STATUS, m.accountStatus())
        .put(UserMetadata.Field.ROLES, m.roles());
  }

  private static UserMetadata readMetadata(DocReader r) {
    return new UserMetadata(
        r.optInstant(UserMetadata.Field.LAST_PASSWORD_CHANGE),
        r.optEnm(UserMetadata.Field.ACCOUNT_STATUS, AccountStatus.class),
        r.strings(UserMetadata.Field.ROLES));
  }

  static void writeReservation(UsernameReservation u, DocWriter w) {
    w.put(UsernameReservation.Field.UID, u.uid())
        .put(UsernameReservation.Field.USERNAME, u.username())
        .put(UsernameReservation.Field.CREATED_AT, u.createdAt());
  }

  static UsernameReservation readReservation(DocumentKey key, DocReader r) {
    return new UsernameReservation(
        key.id("usernameLower"),
        r.str(UsernameReservation.Field.UID),
        r.str(UsernameReservation.Field.USERNAME),
        r.optInstant(UsernameReservation.Field.CREATED_AT));
  }
}
