package dev.atelier.health;

import dev.atelier.catalog.ModelConfig;
import dev.atelier.catalog.ModelStatus;
import dev.atelier.catalog.ProviderRoute;
import dev.atelier.router.HealthStatus;
import dev.atelier.router.ProviderHealth;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A model's {@code status} follows its routes, as submit-generation's routing sees them: the model
 * is available when at least one route's provider is configured here and routable (not down, not
 * cooling down; a provider never checked counts as routable, as routing treats it); its health, and
 * its response time and error rate, are those of the best route — the first routable one by
 * priority (the one a job would go to), else the least bad one. No routes: unavailable, unknown.
 */
public final class ModelAvailability {

  private ModelAvailability() {}

  /**
   * @param health the providers' states by id (a missing id: never checked)
   * @param configured the providers this deployment has adapters for
   */
  public static ModelStatus derive(
      ModelConfig model, Map<String, ProviderHealth> health, Set<String> configured, Instant now) {
    List<ProviderRoute> routes =
        model.routes().stream().sorted(Comparator.comparingLong(ProviderRoute::priority)).toList();
    Optional<ProviderRoute> routable =
        routes.stream()
            .filter(r -> configured.contains(r.provider()))
            .filter(r -> health.get(r.provider()) == null || health.get(r.provider()).routable(now))
            .findFirst();
    Optional<ProviderHealth> best =
        routable.isPresent()
            ? Optional.ofNullable(health.get(routable.get().provider()))
            : routes.stream()
                .filter(r -> configured.contains(r.provider()))
                .map(r -> health.get(r.provider()))
                .filter(h -> h != null)
                .min(Comparator.comparingInt(h -> rank(h.status())));
    return new ModelStatus(
        routable.isPresent(),
        best.map(ProviderHealth::status).orElse(HealthStatus.UNKNOWN),
        now,
        best.map(ProviderHealth::latencyMs).orElse(null),
        best.map(ProviderHealth::errorRate).orElse(null));
  }

  private static int rank(HealthStatus s) {
    return switch (s) {
      case HEALTHY -> 0;
      case DEGRADED -> 1;
      case DOWN -> 2;
      case UNKNOWN -> 3;
    };
  }
}
