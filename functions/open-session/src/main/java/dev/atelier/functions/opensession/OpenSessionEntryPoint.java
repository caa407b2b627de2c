package dev.atelier.functions.opensession;

import dev.atelier.platform.HttpEntryPoint;

/**
 * The deployed entry point: {@link OpenSessionFunction}, loaded in parallel ({@link
 * HttpEntryPoint}).
 */
public final class OpenSessionEntryPoint extends HttpEntryPoint {

  public OpenSessionEntryPoint() {
    super(OpenSessionFunction.class);
  }
}
