package dev.atelier.submit;

import dev.atelier.catalog.ModelConfig;
import dev.atelier.catalog.ProviderRoute;
import dev.atelier.catalog.SystemConfig;
import dev.atelier.credits.Account;
import dev.atelier.credits.CreditService;
import dev.atelier.credits.LedgerType;
import dev.atelier.credits.Posting;
import dev.atelier.firestore.Database;
import dev.atelier.firestore.FieldValue;
import dev.atelier.firestore.Snapshot;
import dev.atelier.firestore.Transaction;
import dev.atelier.firestore.WriteBatch;
import dev.atelier.generations.CreatedBy;
import dev.atelier.generations.GenerationError;
import dev.atelier.generations.GenerationItem;
import dev.atelier.generations.GenerationStatus;
import dev.atelier.generations.MediaKind;
import dev.atelier.idempotency.Idempotency;
import dev.atelier.lifecycle.GenerationService;
import dev.atelier.platform.AuthUser;
import dev.atelier.platform.ClientInfo;
import dev.atelier.platform.InstanceStart;
import dev.atelier.platform.JsonLog;
import dev.atelier.platform.Refusal;
import dev.atelier.providers.GenerationProvider;
import dev.atelier.providers.Prediction;
import dev.atelier.providers.PredictionRequest;
import dev.atelier.providers.ProviderException;
import dev.atelier.providers.Providers;
import dev.atelier.router.ModelQuota;
import dev.atelier.router.RoutingDecision;
import dev.atelier.router.RoutingDecision.Candidate;
import dev.atelier.router.RoutingDecision.Outcome;
import dev.atelier.store.Documents;
import dev.atelier.store.FirestorePaths;
import dev.atelier.store.Transactions;
import dev.atelier.usage.ActionType;
import dev.atelier.usage.RateLimiter;
import dev.atelier.usage.UsageLog;
import dev.atelier.users.AccountStatus;
import dev.atelier.users.UserProfile;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * submit-generation. In order: read {@code system/config}, the model and the user (one batched
 * read); refuse when generation is switched off or the user is suspended; validate every field
 * against the model; count the call against the user's rate limit; plan the routes; then ONE
 * transaction takes the HOLD of the cost, creates the history item ({@code generating}) and counts
 * the provider quota — or refuses (429 TOO_MANY_ACTIVE, 402 INSUFFICIENT_CREDITS) having written
 * nothing. After commit the job is dispatched to the first route that accepts it; when none does
 * the item fails and the HOLD is reversed (503 NO_PROVIDER_AVAILABLE). Once a provider has the job
 * the answer is 202 even when our records of the dispatch (task id, routing decision, usage line,
 * quota move) cannot be written: they are logged, never a 5xx that would invite a second submit and
 * a second HOLD. A retry with the same {@code Idempotency-Key} and body gets the first answer and
 * holds nothing more.
 */
public final class SubmitService {

  /** Client back-off when no provider can take a job. */
  static final Duration NO_PROVIDER_RETRY_AFTER = Duration.ofSeconds(30);

  private final Database db;
  private final CreditService credits;
  private final GenerationService generations;
  private final Providers providers;
  private final RateLimiter limiter;
  private final Transactions transactions;
  private final URI webhookUrl;
  private final String functionName;
  private final Clock clock;

  /**
   * @param webhookUrl where providers report results (the provider-webhook function's URL)
   * @param functionName the rate-limit key of this function (its Cloud Functions name)
   */
  public SubmitService(
      Database db,
      CreditService credits,
      GenerationService generations,
      Providers providers,
      RateLimiter limiter,
      URI webhookUrl,
      String functionName,
      Clock clock) {
    this.db = db;
    this.credits = credits;
    this.generations = generations;
    this.providers = providers;
    this.limiter = limiter;
    this.transactions = new Transactions(db);
    this.webhookUrl = webhookUrl;
    this.functionName = functionName;
    this.clock = clock;
  }

  public Submitted submit(
      AuthUser user,
      SubmitRequest request,
      Idempotency.Guard guard,
      ClientInfo client,
      JsonLog log) {
    Instant started = clock.instant();
    Optional<String> requestedModel = request.model();
    if (requestedModel.isPresent() && !FirestorePaths.isValidId(requestedModel.get())) {
      throw new Refusal(
          Refusal.Problem.INVALID_ARGUMENT,
          "request body has invalid fields",
          Map.of("fields", Map.of("model", "unknown model '" + requestedModel.get() + "'")));
    }
    Context context = readContext(user.uid(), requestedModel);
    if (!context.config().features().generation()) {
      throw new Refusal(Refusal.Problem.FEATURE_DISABLED, "generation is switched off for now");
    }
    if (context
        .user()
        .map(u -> u.metadata() != null && u.metadata().accountStatus() == AccountStatus.SUSPENDED)
        .orElse(false)) {
      throw new Refusal(Refusal.Problem.ACCOUNT_SUSPENDED, "this account is suspended");
    }
    Validated v = RequestValidator.validate(request, context.config(), context.model(), started);
    Optional<Submitted> earlier = guard.peek(Submitted.class);
    if (earlier.isPresent()) {
      log.info("replayed submit " + earlier.get().id() + " (Idempotency-Key)");
      return earlier.get();
    }

    limiter.enforce(user.uid(), functionName, context.config().limits().rateLimitFor(functionName));

    String itemId = Database.autoId();
    Routing.Plan plan =
        Routing.plan(
            db, v.model(), v.quotaUnits(), new java.util.HashSet<>(providers.ids()), started);
    if (plan.usable().isEmpty()) {
      // Nothing held, nothing created: only the decision is kept, for the operators.
      writeDecision(
          Routing.decision(
              newDecisionId(), itemId, user.uid(), v.model(), plan.skipped(), started));
      throw noProvider(v.model());
    }

    Held held =
        transactions.run(
            tx -> {
              Optional<Submitted> replayed = guard.replay(tx, Submitted.class);
              if (replayed.isPresent()) {
                return new Held(replayed.get(), true);
              }
              return hold(tx, user, context, v, itemId, plan, guard);
            });
    if (held.replayed()) {
      log.info("replayed submit " + held.answer().id() + " (Idempotency-Key)");
      return held.answer();
    }

    Dispatch dispatch = dispatch(user.uid(), itemId, v, plan);
    RoutingDecision decision =
        Routing.decision(
            newDecisionId(), itemId, user.uid(), v.model(), dispatch.candidates(), started);
    Map<ModelQuota, Long> quotaMoves =
        quotaMoves(plan, dispatch.accepted().map(a -> a.route().provider()), v.quotaUnits());
    if (dispatch.accepted().isEmpty()) {
      generations.fail(
          user.uid(),
          itemId,
          new GenerationError(
              GenerationError.PROVIDER_UNAVAILABLE,
              "no provider accepted the job: " + dispatch.failures()));
      Refusal error = noProvider(v.model());
      guard.rememberRefusal(error);
      bestEffort(
          log,
          "the records of failed submit " + itemId,
          records(decision, usage(user, client, v, itemId, 503, started), quotaMoves));
      log.warn(
          "submit "
              + itemId
              + " failed: no provider accepted it ("
              + dispatch.failures()
              + "); HOLD reversed");
      throw error;
    }
    // The provider has the job and the HOLD pays for it: from here the answer is 202 whatever
    // becomes of our own records of it. A record that fails is logged: the webhook finds the item
    // by the uid and item id in its URL, and a retry with the Idempotency-Key gets this answer.
    Accepted accepted = dispatch.accepted().get();
    String chosen = accepted.route().provider();
    // One commit for the decision, the usage line and the quota, in flight while the dispatch is
    // recorded on the item.
    CompletableFuture<Void> records =
        records(decision, usage(user, client, v, itemId, 202, started), quotaMoves);
    bestEffort(
        log,
        "the dispatch record of " + itemId,
        () -> recordDispatch(user.uid(), itemId, accepted));
    bestEffort(log, "the routing decision, usage and quota of " + itemId, records);
    log.info(
        "submitted " + itemId + " (" + v.model().id() + ", cost " + v.cost() + ") to " + chosen);
    return held.answer();
  }

  private record Context(
      SystemConfig config, Optional<ModelConfig> model, Optional<UserProfile> user) {}

  private record Held(Submitted answer, boolean replayed) {}

  private record Dispatch(
      Optional<Accepted> accepted, List<Candidate> candidates, List<String> failures) {}

  /** The route whose provider took the job, and the provider's id for it. */
  private record Accepted(ProviderRoute route, GenerationProvider provider, String taskId) {}

  /**
   * system/config, the model (requested or default) and users/{uid}, in as few round trips as
   * possible.
   */
  private Context readContext(String uid, Optional<String> requestedModel) {
    String configRef = FirestorePaths.systemConfig();
    String userRef = FirestorePaths.user(uid);
    if (requestedModel.isPresent()) {
      List<Snapshot> snaps =
          getAll(configRef, userRef, FirestorePaths.modelConfig(requestedModel.get()));
      return new Context(
          config(snaps.get(0)),
          Documents.read(snaps.get(2), ModelConfig.class),
          Documents.read(snaps.get(1), UserProfile.class));
    }
    List<Snapshot> snaps = getAll(configRef, userRef);
    SystemConfig config = config(snaps.get(0));
    Optional<ModelConfig> model =
        Documents.read(
            getAll(FirestorePaths.modelConfig(config.defaults().model())).get(0),
            ModelConfig.class);
    return new Context(config, model, Documents.read(snaps.get(1), UserProfile.class));
  }

  private static SystemConfig config(Snapshot snap) {
    return Documents.read(snap, SystemConfig.class)
        .orElseThrow(
            () -> new IllegalStateException("system/config is missing: load the catalog seed"));
  }

  /**
   * Inside the transaction: the concurrency cap, the HOLD, the item, the quota, the remembered
   * answer.
   */
  private Held hold(
      Transaction tx,
      AuthUser user,
      Context context,
      Validated v,
      String itemId,
      Routing.Plan plan,
      Idempotency.Guard guard) {
    long cap = context.config().limits().maxConcurrentGenerationsPerUser();
    long active =
        tx.count(
            db.collection(FirestorePaths.historyItems(user.uid()))
                .whereEqualTo(GenerationItem.Field.STATUS, GenerationStatus.GENERATING.wire()));
    if (active >= cap) {
      throw new Refusal(
          Refusal.Problem.TOO_MANY_ACTIVE,
          "you already have " + active + " generations running; wait for one to finish",
          Map.of("limit", cap));
    }
    Account account = credits.load(tx, user.uid());
    String holdId = GenerationService.holdEntryId(itemId);
    if (v.cost() > 0) {
      account.post(
          new Posting(
              LedgerType.HOLD,
              v.cost(),
              "Generation " + itemId + " (" + v.model().id() + ")",
              Map.of("historyId", itemId, "model", v.model().id()),
              holdId,
              guard.key().orElse(null)));
    }
    ProviderRoute route = plan.usable().get(0);
    GenerationItem item =
        GenerationItem.builder(user.uid(), itemId)
            .prompt(v.prompt())
            .model(v.model().id())
            .generationType(v.model().generationType())
            .status(GenerationStatus.GENERATING)
            .visibility(v.visibility())
            .isPublic(v.visibility() == dev.atelier.generations.Visibility.PUBLIC)
            .tags(v.tags())
            .aspectRatio(v.params().aspectRatio())
            .frameSize(v.params().aspectRatio())
            .createdBy(creator(user, context.user()))
            .provider(route.provider())
            .cost(v.cost())
            .holdEntryId(v.cost() > 0 ? holdId : null)
            .params(v.params())
            .build();
    account.write();
    tx.create(
        FirestorePaths.historyItem(user.uid(), itemId),
        Documents.encode(item, GenerationItem.Field.CREATED_AT, GenerationItem.Field.UPDATED_AT));
    plan.quota(route.provider())
        .ifPresent(
            q ->
                tx.update(
                    FirestorePaths.modelQuota(q.provider(), q.modelId()),
                    ModelQuota.Field.TOKENS_USED,
                    FieldValue.increment(v.quotaUnits())));
    Submitted answer =
        new Submitted(itemId, GenerationStatus.GENERATING, v.cost(), account.creditBalance());
    guard.remember(tx, answer);
    return new Held(answer, false);
  }

  /** Tries the usable routes in order until one accepts the job. */
  private Dispatch dispatch(String uid, String itemId, Validated v, Routing.Plan plan) {
    List<Candidate> candidates = new ArrayList<>(plan.skipped());
    List<String> failures = new ArrayList<>();
    Optional<Accepted> accepted = Optional.empty();
    for (ProviderRoute route : plan.usable()) {
      if (accepted.isPresent()) {
        candidates.add(
            new Candidate(
                route.provider(),
                route.providerModel(),
                route.priority(),
                Outcome.SKIPPED,
                "not needed: an earlier route took the job"));
        continue;
      }
      GenerationProvider provider = providers.adapter(route.provider()).orElseThrow();
      try {
        Prediction prediction =
            provider.create(
                new PredictionRequest(
                    route.providerModel(), input(v), webhook(route.provider(), uid, itemId)));
        accepted = Optional.of(new Accepted(route, provider, prediction.id()));
        candidates.add(
            new Candidate(
                route.provider(),
                route.providerModel(),
                route.priority(),
                Outcome.SELECTED,
                "accepted as " + prediction.id()));
      } catch (ProviderException e) {
        String why =
            e.kind().name().toLowerCase()
                + (e.httpStatus() > 0 ? " (HTTP " + e.httpStatus() + ")" : "")
                + ": "
                + e.getMessage();
        failures.add(route.provider() + " " + why);
        candidates.add(
            new Candidate(
                route.provider(), route.providerModel(), route.priority(), Outcome.FAILED, why));
      }
    }
    return new Dispatch(accepted, candidates, failures);
  }

  /** The provider's task id on the item, so the webhook and the reaper can find the job. */
  private void recordDispatch(String uid, String itemId, Accepted accepted) {
    GenerationService.Transition recorded =
        generations.recordDispatch(uid, itemId, accepted.route().provider(), accepted.taskId());
    if (recorded instanceof GenerationService.Transition.NotGenerating late
        && late.item().status() == GenerationStatus.CANCELLED) {
      // Cancelled while we dispatched: the provider should not keep working on it.
      cancelQuietly(accepted.provider(), accepted.taskId());
    }
  }

  /**
   * The model input every Replicate-style model understands (snake_case, as Replicate's models name
   * them).
   */
  private static Map<String, Object> input(Validated v) {
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("prompt", v.prompt());
    if (v.model().generationType().mediaKind() == MediaKind.IMAGE) {
      input.put("num_outputs", v.params().numOutputs());
    }
    if (v.params().aspectRatio() != null) {
      input.put("aspect_ratio", v.params().aspectRatio());
    }
    if (v.params().durationSeconds() != null) {
      input.put("duration", v.params().durationSeconds());
    }
    if (v.params().negativePrompt() != null) {
      input.put("negative_prompt", v.params().negativePrompt());
    }
    return input;
  }

  /**
   * The provider-webhook URL for one job: {@code provider} picks the signing secret; {@code uid}
   * and {@code item} let the webhook find a job whose task id is not recorded yet (a provider that
   * answers before our own write lands).
   */
  private URI webhook(String provider, String uid, String itemId) {
    String query = "provider=" + enc(provider) + "&uid=" + enc(uid) + "&item=" + enc(itemId);
    String base = webhookUrl.toString();
    return URI.create(base + (base.contains("?") ? "&" : "?") + query);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static void cancelQuietly(GenerationProvider provider, String predictionId) {
    try {
      provider.cancel(predictionId);
    } catch (ProviderException ignored) {
      // Best effort: the webhook for a cancelled item is ignored anyway.
    }
  }

  private static CreatedBy creator(AuthUser user, Optional<UserProfile> profile) {
    return new CreatedBy(
        user.uid(),
        profile.map(UserProfile::username).orElse(null),
        profile.map(UserProfile::email).or(user::email).orElse(null),
        profile.map(UserProfile::displayName).or(user::name).orElse(null),
        profile.map(UserProfile::photoURL).or(user::picture).orElse(null));
  }

  private void writeDecision(RoutingDecision decision) {
    db.set(FirestorePaths.routingDecision(decision.id()), Documents.encode(decision));
  }

  /**
   * Where the quota counted in the hold transaction (the first route's) must go: back when no
   * provider runs the job, to the provider that runs it when that is not the first route.
   */
  private static Map<ModelQuota, Long> quotaMoves(
      Routing.Plan plan, Optional<String> runner, long units) {
    String first = plan.usable().get(0).provider();
    Map<ModelQuota, Long> moves = new LinkedHashMap<>();
    if (runner.isEmpty() || !runner.get().equals(first)) {
      plan.quota(first).ifPresent(q -> moves.put(q, -units));
      runner.flatMap(plan::quota).ifPresent(q -> moves.merge(q, units, Long::sum));
    }
    return moves;
  }

  /** The routing decision, the usage line and the quota moves of one dispatch, in one commit. */
  private CompletableFuture<Void> records(
      RoutingDecision decision, UsageLog usage, Map<ModelQuota, Long> quotaMoves) {
    WriteBatch batch = db.batch();
    batch.set(FirestorePaths.routingDecision(decision.id()), Documents.encode(decision));
    batch.set(FirestorePaths.usageLog(usage.id()), Documents.encode(usage));
    quotaMoves.forEach(
        (q, units) ->
            batch.update(
                FirestorePaths.modelQuota(q.provider(), q.modelId()),
                Map.of(ModelQuota.Field.TOKENS_USED, FieldValue.increment(units))));
    return batch.commitAsync();
  }

  /** Waits for {@code write}; a failure is logged, not thrown. */
  private static void bestEffort(JsonLog log, String what, CompletableFuture<?> write) {
    bestEffort(log, what, () -> InstanceStart.join(write));
  }

  private static void bestEffort(JsonLog log, String what, Runnable write) {
    try {
      write.run();
    } catch (RuntimeException e) {
      log.warn("could not write " + what + "; the answer stands", e);
    }
  }

  private UsageLog usage(
      AuthUser user, ClientInfo client, Validated v, String itemId, int status, Instant started) {
    Instant now = clock.instant();
    ActionType action =
        switch (v.model().generationType().mediaKind()) {
          case VIDEO -> ActionType.VIDEO_GENERATION;
          case AUDIO -> ActionType.AUDIO_GENERATION;
          case IMAGE, TEXT -> ActionType.IMAGE_GENERATION;
        };
    String id = Database.autoId();
    return new UsageLog(
        id,
        user.uid(),
        action,
        itemId,
        client.ip().orElse(null),
        client.userAgent().orElse(null),
        Map.of("model", v.model().id(), "endpoint", functionName),
        status == 202 ? v.cost() : 0L,
        Duration.between(started, now).toMillis(),
        (long) status,
        now,
        now.plus(UsageLog.RETENTION));
  }

  private String newDecisionId() {
    return Database.autoId();
  }

  private static Refusal noProvider(ModelConfig model) {
    return new Refusal(
        Refusal.Problem.NO_PROVIDER_AVAILABLE,
        "no provider can run " + model.id() + " right now; nothing was charged",
        Map.of("model", model.id()),
        NO_PROVIDER_RETRY_AFTER);
  }

  private List<Snapshot> getAll(String... refs) {
    return db.getAll(refs);
  }
}
