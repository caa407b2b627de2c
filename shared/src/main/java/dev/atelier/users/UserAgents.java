package dev.atelier.users;

import java.util.Locale;

/**
 * A deliberately small User-Agent reader: browser, OS and device class, enough for a profile's
 * deviceInfo.
 */
final class UserAgents {

  record Parsed(String browser, String os, String device) {}

  private UserAgents() {}

  static Parsed parse(String ua) {
    String s = ua.toLowerCase(Locale.ROOT);
    return new Parsed(browser(s), os(s), device(s));
  }

  private static String browser(String s) {
    // Order matters: Edge and Opera also say "chrome", Chrome also says "safari".
    if (s.contains("edg/") || s.contains("edge/")) return "Edge";
    if (s.contains("opr/") || s.contains("opera")) return "Opera";
    if (s.contains("samsungbrowser")) return "Samsung Internet";
    if (s.contains("firefox/") || s.contains("fxios/")) return "Firefox";
    if (s.contains("chrome/") || s.contains("crios/")) return "Chrome";
    if (s.contains("safari/")) return "Safari";
    if (s.contains("okhttp") || s.contains("dalvik")) return "Android app";
    if (s.contains("cfnetwork")) return "iOS app";
    if (s.contains("curl/")) return "curl";
    return "Other";
  }

  private static String os(String s) {
    if (s.contains("android")) return "Android";
    if (s.contains("iphone") || s.contains("ipad") || s.contains("ipod") || s.contains("cfnetwork"))
      return "iOS";
    if (s.contains("windows")) return "Windows";
    if (s.contains("mac os x") || s.contains("macintosh")) return "macOS";
    if (s.contains("cros")) return "ChromeOS";
    if (s.contains("linux")) return "Linux";
    return "Other";
  }

  private static String device(String s) {
    if (s.contains("ipad")
        || s.contains("tablet")
        || (s.contains("android") && !s.contains("mobile"))) return "tablet";
    if (s.contains("mobi") || s.contains("iphone") || s.contains("ipod")) return "mobile";
    if (s.contains("bot") || s.contains("crawler") || s.contains("spider")) return "bot";
    return "desktop";
  }
}
