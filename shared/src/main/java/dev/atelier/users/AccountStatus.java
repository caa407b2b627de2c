package dev.atelier.users;

import dev.atelier.store.WireEnum;

/** {@code users/{uid}.metadata.accountStatus}. */
public enum AccountStatus implements WireEnum {
  ACTIVE("active"),
  SUSPENDED("suspended"),
  PENDING("pending");

  private final String wire;

  AccountStatus(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }

  public static AccountStatus fromWire(String value) {
    return WireEnum.fromWire(AccountStatus.class, value);
  }
}
