package dev.atelier.usage;

import dev.atelier.store.WireEnum;

/**
 * What a {@code usage_logs} entry records (seed spellings, plus the generation kinds and redeem of
 * this system).
 */
public enum ActionType implements WireEnum {
  IMAGE_GENERATION("image_generation"),
  VIDEO_GENERATION("video_generation"),
  AUDIO_GENERATION("audio_generation"),
  API_REQUEST("api_request"),
  FILE_UPLOAD("file_upload"),
  FILE_DOWNLOAD("file_download"),
  SUBSCRIPTION_CHANGE("subscription_change"),
  CODE_REDEEM("code_redeem"),
  LOGIN("login"),
  LOGOUT("logout");

  private final String wire;

  ActionType(String wire) {
    this.wire = wire;
  }

  @Override
  public String wire() {
    return wire;
  }

  public static ActionType fromWire(String value) {
    return WireEnum.fromWire(ActionType.class, value);
  }
}
