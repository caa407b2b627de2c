package dev.atelier.submit;

import dev.atelier.catalog.ModelConfig;
import dev.atelier.catalog.ProviderRoute;
import dev.atelier.firestore.Database;
import dev.atelier.firestore.Snapshot;
import dev.atelier.router.ModelQuota;
import dev.atelier.router.ProviderHealth;
import dev.atelier.router.RoutingDecision;
import dev.atelier.router.RoutingDecision.Candidate;
import dev.atelier.router.RoutingDecision.Outcome;
import dev.atelier.store.Documents;
import dev.atelier.store.FirestorePaths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Orders a model's routes by priority and drops the ones that cannot take work now: a provider this
 * deployment has no adapter for, one whose health is {@code down} or cooling down, one whose quota
 * for the model is used up. Health and quota are read outside any transaction (advisory state: a
 * route that fails anyway falls through to the next at dispatch). One batched read for all routes.
 */
final class Routing {

  /** The routes to try in order, and the ones skipped with why. */
  record Plan(List<ProviderRoute> usable, List<Candidate> skipped, List<ModelQuota> quotas) {

    /** The quota document of {@code provider} for this model, if the model has one there. */
    Optional<ModelQuota> quota(String provider) {
      return quotas.stream().filter(q -> q.provider().equals(provider)).findFirst();
    }
  }

  private Routing() {}

  static Plan plan(
      Database db, ModelConfig model, long units, Set<String> configured, Instant now) {
    List<ProviderRoute> routes =
        model.routes().stream().sorted(Comparator.comparingLong(ProviderRoute::priority)).toList();
    if (routes.isEmpty()) {
      return new Plan(List.of(), List.of(), List.of());
    }
    List<String> refs = new ArrayList<>();
    for (ProviderRoute r : routes) {
      refs.add(FirestorePaths.providerHealth(r.provider()));
      refs.add(FirestorePaths.modelQuota(r.provider(), model.id()));
    }
    List<Snapshot> snaps = getAll(db, refs);
    List<ProviderRoute> usable = new ArrayList<>();
    List<Candidate> skipped = new ArrayList<>();
    List<ModelQuota> quotas = new ArrayList<>();
    for (int i = 0; i < routes.size(); i++) {
      ProviderRoute route = routes.get(i);
      Optional<ProviderHealth> health = Documents.read(snaps.get(2 * i), ProviderHealth.class);
      Optional<ModelQuota> quota = Documents.read(snaps.get(2 * i + 1), ModelQuota.class);
      quota.ifPresent(quotas::add);
      String reason = null;
      if (!configured.contains(route.provider())) {
        reason = "provider is not configured in this deployment";
      } else if (health.isPresent() && !health.get().routable(now)) {
        reason =
            health.get().cooldownUntil() != null && now.isBefore(health.get().cooldownUntil())
                ? "provider is cooling down until " + health.get().cooldownUntil()
                : "provider is " + health.get().status().wire();
      } else if (quota.isPresent() && !quota.get().allows(units)) {
        reason =
            "quota used up ("
                + quota.get().tokensUsed()
                + " of "
                + quota.get().tokensLimit()
                + " until "
                + quota.get().resetAt()
                + ")";
      }
      if (reason == null) {
        usable.add(route);
      } else {
        skipped.add(
            new Candidate(
                route.provider(),
                route.providerModel(),
                route.priority(),
                Outcome.SKIPPED,
                reason));
      }
    }
    return new Plan(usable, skipped, quotas);
  }

  /**
   * The audit record of one routing: every candidate in priority order, the selected one first
   * among equals.
   */
  static RoutingDecision decision(
      String decisionId,
      String itemId,
      String uid,
      ModelConfig model,
      List<Candidate> candidates,
      Instant now) {
    List<Candidate> ordered =
        candidates.stream().sorted(Comparator.comparingLong(Candidate::priority)).toList();
    Optional<Candidate> selected =
        ordered.stream().filter(c -> c.outcome() == Outcome.SELECTED).findFirst();
    String reason =
        selected
            .map(
                c ->
                    c.priority() == ordered.get(0).priority()
                        ? "first route by priority"
                        : "fallback: earlier routes were skipped or failed")
            .orElse("no route could take the job");
    return new RoutingDecision(
        decisionId,
        itemId,
        uid,
        model.generationType(),
        selected.map(Candidate::provider).orElse(null),
        selected.map(Candidate::providerModel).orElse(null),
        selected.isPresent() ? 1.0 / (1 + ordered.indexOf(selected.get())) : 0.0,
        reason,
        now,
        now.plus(RoutingDecision.RETENTION),
        ordered);
  }

  private static List<Snapshot> getAll(Database db, List<String> refs) {
    return db.getAll(refs);
  }
}
