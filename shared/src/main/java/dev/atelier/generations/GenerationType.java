package dev.atelier.generations;

import dev.atelier.store.WireEnum;

/** Kind of generation, with the wire spellings of the history items. */
public enum GenerationType implements WireEnum {
  TEXT_TO_IMAGE("text-to-image", MediaKind.IMAGE),
  LOGO("logo", MediaKind.IMAGE),
  STICKER_GENERATION("sticker-generation", MediaKind.IMAGE),
  TEXT_TO_VIDEO("text-to-video", MediaKind.VIDEO),
  TEXT_TO_MUSIC("text-to-music", MediaKind.AUDIO),
  MOCKUP_GENERATION("mockup-generation", MediaKind.IMAGE),
  PRODUCT_GENERATION("product-generation", MediaKind.IMAGE),
  AD_GENERATION("ad-generation", MediaKind.IMAGE),
  LIVE_CHAT("live-chat", MediaKind.TEXT);

  private final String wire;
  private final MediaKind mediaKind;

  GenerationType(String wire, MediaKind mediaKind) {
    this.wire = wire;
    this.mediaKind = mediaKind;
  }

  @Override
  public String wire() {
    return wire;
  }

  /** What this type produces. */
  public MediaKind mediaKind() {
    return mediaKind;
  }

  public static GenerationType fromWire(String value) {
    return WireEnum.fromWire(GenerationType.class, value);
  }
}
