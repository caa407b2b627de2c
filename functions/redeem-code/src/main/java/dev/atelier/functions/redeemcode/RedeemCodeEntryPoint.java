package dev.atelier.functions.redeemcode;

import dev.atelier.platform.HttpEntryPoint;

/**
 * The deployed entry point: {@link RedeemCodeFunction}, loaded in parallel ({@link
 * HttpEntryPoint}).
 */
public final class RedeemCodeEntryPoint extends HttpEntryPoint {

  public RedeemCodeEntryPoint() {
    super(RedeemCodeFunction.class);
  }
}
