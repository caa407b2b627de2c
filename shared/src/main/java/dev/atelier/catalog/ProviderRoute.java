package dev.atelier.catalog;

/**
 * One provider that can run a model: its name, its own id for the model, and its rank (lower
 * first).
 */
public record ProviderRoute(String provider, String providerModel, long priority) {

  public static final class Field {
    public static final String PROVIDER = "provider";
    public static final String PROVIDER_MODEL = "providerModel";
    public static final String PRIORITY = "priority";

    private Field() {}
  }
}
