package dev.atelier.users;

/** Device of the last login, parsed from its User-Agent; every part may be unknown (null). */
public record DeviceInfo(String browser, String os, String device) {
  public static final class Field {
    public static final String BROWSER = "browser";
    public static final String OS = "os";
    public static final String DEVICE = "device";

    private Field() {}
  }
}
