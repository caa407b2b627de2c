package dev.atelier.functions.submitgeneration;

import dev.atelier.platform.HttpEntryPoint;

/**
 * The deployed entry point: {@link SubmitGenerationFunction}, loaded in parallel ({@link
 * HttpEntryPoint}).
 */
public final class SubmitGenerationEntryPoint extends HttpEntryPoint {

  public SubmitGenerationEntryPoint() {
    super(SubmitGenerationFunction.class);
  }
}
