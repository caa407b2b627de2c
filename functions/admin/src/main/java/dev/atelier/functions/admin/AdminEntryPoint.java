package dev.atelier.functions.admin;

import dev.atelier.platform.HttpEntryPoint;

/** The deployed entry point: {@link AdminFunction}, loaded in parallel ({@link HttpEntryPoint}). */
public final class AdminEntryPoint extends HttpEntryPoint {

  public AdminEntryPoint() {
    super(AdminFunction.class);
  }
}
