package dev.atelier.users;

import dev.atelier.store.WireEnum;

/** How a user signed in, as stored in {@code users/{uid}.provider}. */
public enum ProviderId implements WireEnum {
  GOOGLE("google"),
  PASSWORD("password"),
  GITHUB("github"),
  APPLE("apple"),
  USERNAME("username"),
  UNKNOWN("unknown");

  private final String wire;

  ProviderId(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }

  public static ProviderId fromWire(String value) {
    return WireEnum.fromWire(ProviderId.class, value);
  }

  /**
   * The provider for a Firebase ID token's {@code firebase.sign_in_provider} claim ({@code
   * google.com}, {@code password}, {@code github.com}, {@code apple.com}, {@code custom}…);
   * anything unrecognised (or null) is {@link #UNKNOWN}.
   */
  public static ProviderId fromSignInProvider(String signInProvider) {
    if (signInProvider == null) {
      return UNKNOWN;
    }
    return switch (signInProvider) {
      case "google.com" -> GOOGLE;
      case "password" -> PASSWORD;
      case "github.com" -> GITHUB;
      case "apple.com" -> APPLE;
      case "custom" -> USERNAME;
      default -> UNKNOWN;
    };
  }
}
