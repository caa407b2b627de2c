package dev.atelier.functions.updategeneration;

import dev.atelier.platform.HttpEntryPoint;

/**
 * The deployed entry point: {@link UpdateGenerationFunction}, loaded in parallel ({@link
 * HttpEntryPoint}).
 */
public final class UpdateGenerationEntryPoint extends HttpEntryPoint {

  public UpdateGenerationEntryPoint() {
    super(UpdateGenerationFunction.class);
  }
}
