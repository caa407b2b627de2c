package dev.atelier.functions.providerwebhook;

import dev.atelier.platform.HttpEntryPoint;

/**
 * The deployed entry point: {@link ProviderWebhookFunction}, loaded in parallel ({@link
 * HttpEntryPoint}).
 */
public final class ProviderWebhookEntryPoint extends HttpEntryPoint {

  public ProviderWebhookEntryPoint() {
    super(ProviderWebhookFunction.class);
  }
}
