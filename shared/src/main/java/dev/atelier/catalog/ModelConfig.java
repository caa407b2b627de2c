package dev.atelier.catalog;

import dev.atelier.generations.GenerationType;
import java.time.Instant;
import java.util.List;

/**
 * {@code models_config/{id}}: one generation model users can pick. {@code provider} is the primary
 * provider; {@code routes} lists every provider that can run it (never null). Nullable:
 * modelVersion, deprecatedAt, and timestamps not yet set by the server.
 */
public record ModelConfig(
    String id,
    String name,
    String provider,
    GenerationType generationType,
    List<ProviderRoute> routes,
    ModelPricing pricing,
    ModelCapabilities capabilities,
    ModelStatus status,
    ModelFeatures features,
    long displayOrder,
    String modelVersion,
    Instant deprecatedAt,
    Instant createdAt,
    Instant updatedAt) {

  public ModelConfig {
    routes = routes == null ? List.of() : List.copyOf(routes);
  }

  public static final class Field {
    public static final String ID = "id";
    public static final String NAME = "name";
    public static final String PROVIDER = "provider";
    public static final String GENERATION_TYPE = "generationType";
    public static final String ROUTES = "routes";
    public static final String PRICING = "pricing";
    public static final String CAPABILITIES = "capabilities";
    public static final String STATUS = "status";
    public static final String STATUS_IS_AVAILABLE = "status.isAvailable";
    public static final String FEATURES = "features";
    public static final String DISPLAY_ORDER = "displayOrder";
    public static final String MODEL_VERSION = "modelVersion";
    public static final String DEPRECATED_AT = "deprecatedAt";
    public static final String CREATED_AT = "createdAt";
    public static final String UPDATED_AT = "updatedAt";

    private Field() {}
  }
}
