package dev.atelier.updates;

import dev.atelier.catalog.SystemConfig;
import dev.atelier.firestore.Database;
import dev.atelier.firestore.Snapshot;
import dev.atelier.generations.GenerationItem;
import dev.atelier.generations.Visibility;
import dev.atelier.lifecycle.GenerationService;
import dev.atelier.platform.AuthUser;
import dev.atelier.platform.JsonLog;
import dev.atelier.platform.Refusal;
import dev.atelier.providers.ProviderException;
import dev.atelier.providers.Providers;
import dev.atelier.store.Documents;
import dev.atelier.store.FirestorePaths;
import dev.atelier.store.WireEnum;
import dev.atelier.usage.RateLimiter;
import dev.atelier.users.AccountStatus;
import dev.atelier.users.UserProfile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The owner's update of one item: the request is checked field by field (400 with every field
 * error), a suspended user is refused (403), the call is rate-limited, then {@link
 * GenerationService#update} applies it in one transaction (404 for an item that is not the caller's
 * or is deleted; 409 for a change its state does not allow). A cancelled job is cancelled at its
 * provider after commit, best effort.
 */
public final class UpdateService {

  /** The body of {@code POST /update-generation}. */
  public record Request(
      String id,
      Optional<String> visibility,
      Optional<List<String>> tags,
      Optional<Boolean> deleted,
      Optional<Boolean> cancel) {}

  private final Database db;
  private final GenerationService generations;
  private final Providers providers;
  private final RateLimiter limiter;
  private final String functionName;

  public UpdateService(
      Database db,
      GenerationService generations,
      Providers providers,
      RateLimiter limiter,
      String functionName) {
    this.db = db;
    this.generations = generations;
    this.providers = providers;
    this.limiter = limiter;
    this.functionName = functionName;
  }

  /**
   * @return the item as it is after the update
   */
  public GenerationItem apply(AuthUser user, Request request, JsonLog log) {
    GenerationService.Changes changes = changes(request);
    List<Snapshot> snaps =
        db.getAll(FirestorePaths.systemConfig(), FirestorePaths.user(user.uid()));
    SystemConfig config =
        Documents.read(snaps.get(0), SystemConfig.class)
            .orElseThrow(
                () -> new IllegalStateException("system/config is missing: load the catalog seed"));
    boolean suspended =
        Documents.read(snaps.get(1), UserProfile.class)
            .map(
                u ->
                    u.metadata() != null && u.metadata().accountStatus() == AccountStatus.SUSPENDED)
            .orElse(false);
    if (suspended) {
      throw new Refusal(Refusal.Problem.ACCOUNT_SUSPENDED, "this account is suspended");
    }
    limiter.enforce(user.uid(), functionName, config.limits().rateLimitFor(functionName));
    GenerationService.Updated updated = generations.update(user.uid(), request.id(), changes);
    if (updated.cancelTaskId().isPresent() && updated.cancelProvider().isPresent()) {
      String provider = updated.cancelProvider().get();
      providers
          .adapter(provider)
          .ifPresent(
              adapter -> {
                try {
                  adapter.cancel(updated.cancelTaskId().get());
                } catch (ProviderException e) {
                  // Best effort: a late webhook for a cancelled item is ignored anyway.
                  log.warn(
                      "cancel of "
                          + provider
                          + " task "
                          + updated.cancelTaskId().get()
                          + " failed: "
                          + e.getMessage());
                }
              });
    }
    if (updated.changed()) {
      log.info("updated " + request.id() + ": " + describe(request));
    }
    return updated.item();
  }

  private static GenerationService.Changes changes(Request request) {
    Map<String, String> errors = new LinkedHashMap<>();
    // Generation ids are generated document ids: a control character (SPEC: refused in JSON bodies)
    // never is one.
    if (!FirestorePaths.isValidId(request.id())
        || request.id().chars().anyMatch(Character::isISOControl)) {
      errors.put("id", "is not a generation id");
    }
    Optional<Visibility> visibility = Optional.empty();
    if (request.visibility().isPresent()) {
      try {
        visibility = Optional.of(WireEnum.fromWire(Visibility.class, request.visibility().get()));
      } catch (IllegalArgumentException e) {
        errors.put("visibility", "must be one of " + WireEnum.allowed(Visibility.class));
      }
    }
    Optional<List<String>> tags = Optional.empty();
    if (request.tags().isPresent()) {
      try {
        tags = Optional.of(GenerationService.normaliseTags(request.tags().get(), "tags"));
      } catch (Refusal e) {
        errors.put(
            "tags",
            "at most "
                + GenerationService.MAX_TAGS
                + " tags of 1-"
                + GenerationService.MAX_TAG_LENGTH
                + " characters, no control characters");
      }
    }
    if (request.deleted().isPresent() && !request.deleted().get()) {
      errors.put("deleted", "only true: a deleted item cannot be restored");
    }
    if (request.cancel().isPresent() && !request.cancel().get()) {
      errors.put("cancel", "only true");
    }
    if (errors.isEmpty()
        && visibility.isEmpty()
        && tags.isEmpty()
        && request.deleted().isEmpty()
        && request.cancel().isEmpty()) {
      errors.put("id", "nothing to change: give visibility, tags, deleted or cancel");
    }
    if (!errors.isEmpty()) {
      throw new Refusal(
          Refusal.Problem.INVALID_ARGUMENT,
          "request body has invalid fields",
          Map.of("fields", errors));
    }
    return new GenerationService.Changes(
        visibility, tags, request.deleted().orElse(false), request.cancel().orElse(false));
  }

  private static String describe(Request r) {
    StringBuilder b = new StringBuilder();
    r.visibility().ifPresent(v -> b.append("visibility=").append(v).append(' '));
    r.tags().ifPresent(t -> b.append("tags=").append(t.size()).append(' '));
    r.deleted().ifPresent(d -> b.append("deleted "));
    r.cancel().ifPresent(c -> b.append("cancel "));
    return b.toString().trim();
  }
}
