package dev.atelier.functions.providerwebhook;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.atelier.credits.CreditService;
import dev.atelier.firestore.Database;
import dev.atelier.http.ApiException;
import dev.atelier.http.Cors;
import dev.atelier.http.ErrorCode;
import dev.atelier.http.HttpEndpoint;
import dev.atelier.lifecycle.GenerationService;
import dev.atelier.media.FetchLimits;
import dev.atelier.media.MediaConfig;
import dev.atelier.media.MediaFetcher;
import dev.atelier.media.MediaStorage;
import dev.atelier.media.MediaStore;
import dev.atelier.platform.Config;
import dev.atelier.platform.InstanceStart;
import dev.atelier.platform.JsonLog;
import dev.atelier.providers.GenerationProvider;
import dev.atelier.providers.Prediction;
import dev.atelier.providers.ProviderException;
import dev.atelier.providers.ProviderSettings;
import dev.atelier.providers.Providers;
import dev.atelier.providers.StandardWebhooks;
import dev.atelier.results.ProviderResults;
import dev.atelier.webhook.WebhookService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * POST from a generation provider, signed with Standard Webhooks ({@code webhook-id}, {@code
 * webhook-timestamp}, {@code webhook-signature}) under the secret of the provider named by the
 * {@code provider} query parameter: 401 for a missing or bad signature or a timestamp outside ±5
 * min, 400 for a body that is not a prediction, otherwise 204 whether the delivery changed the item
 * or was a replay, a duplicate, late or unknown (nothing to retry). A transient failure (Firestore,
 * Storage) answers 503 so the provider retries. Environment: PROVIDERS / PROVIDER_* (secrets),
 * MEDIA_BUCKET, STORAGE_EMULATOR_HOST (local), MEDIA_FETCH_MODE ({@code production}: https only, no
 * private addresses — the default; {@code local}: the loopback stand-in provider's http URLs).
 */
public final class ProviderWebhookFunction implements HttpFunction {

  /** Webhook bodies are small JSON; media comes by URL. */
  static final int MAX_BODY_BYTES = 1024 * 1024;

  private final HttpEndpoint endpoint;
  private final Providers providers;
  private final WebhookService webhooks;
  private final Clock clock;

  public ProviderWebhookFunction() {
    this(Config.from(System.getenv()), System.getenv());
  }

  private ProviderWebhookFunction(Config config, Map<String, String> env) {
    this(config, env, MediaConfig.from(config, env), FetchLimits.fromEnv(env));
  }

  // The Storage client and the download client (~150–200 ms of CPU between them) are built on
  // start-up threads: only a report with outputs needs them, and the port opens without waiting.
  private ProviderWebhookFunction(
      Config config, Map<String, String> env, MediaConfig media, FetchLimits limits) {
    this(
        config,
        InstanceStart.firestore(config),
        Clock.systemUTC(),
        Providers.of(ProviderSettings.fromEnv(env)),
        MediaStore.deferred(
            InstanceStart.client(config, "storage", () -> MediaStorage.client(media)), media),
        MediaFetcher.deferred(
            InstanceStart.client(config, "media-http", () -> MediaFetcher.httpClient(limits)),
            limits));
  }

  public ProviderWebhookFunction(
      Config config,
      Database db,
      Clock clock,
      Providers providers,
      MediaStore media,
      MediaFetcher fetcher) {
    // Method, content type, size and the JSON errors are the shared pipeline's; the signature is
    // checked here.
    this.endpoint =
        new HttpEndpoint(
            null,
            JsonLog.forFunction(config.functionName()),
            MAX_BODY_BYTES,
            HttpEndpoint.Access.SIGNED,
            Cors.NONE);
    this.providers = providers;
    ExecutorService downloads =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "media-download");
              t.setDaemon(true);
              return t;
            });
    this.webhooks =
        new WebhookService(
            db,
            new ProviderResults(
                db,
                new GenerationService(db, new CreditService(db, clock), clock),
                fetcher,
                media,
                downloads));
    this.clock = clock;
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    endpoint.serve(
        request,
        response,
        call -> {
          String provider = call.query("provider").orElse("");
          GenerationProvider adapter = providers.adapter(provider).orElse(null);
          String secret =
              providers.settings(provider).flatMap(ProviderSettings::webhookSecret).orElse(null);
          if (adapter == null || secret == null) {
            throw new ApiException(
                ErrorCode.UNAUTHENTICATED,
                "unknown provider or no webhook secret configured for it");
          }
          byte[] body = call.rawBody().getBytes(StandardCharsets.UTF_8);
          StandardWebhooks.Verification verification =
              StandardWebhooks.verify(
                  secret,
                  call.header(StandardWebhooks.ID_HEADER),
                  call.header(StandardWebhooks.TIMESTAMP_HEADER),
                  call.header(StandardWebhooks.SIGNATURE_HEADER),
                  body,
                  clock.instant());
          if (verification instanceof StandardWebhooks.Verification.Invalid invalid) {
            throw new ApiException(
                ErrorCode.UNAUTHENTICATED,
                "webhook signature rejected: " + invalid.message(),
                Map.of("reason", invalid.reason().name()));
          }
          String webhookId = ((StandardWebhooks.Verification.Valid) verification).webhookId();
          Prediction prediction;
          try {
            prediction = adapter.parseWebhook(call.rawBody());
          } catch (ProviderException e) {
            throw new ApiException(
                ErrorCode.INVALID_ARGUMENT, "webhook body is not a prediction: " + e.getMessage());
          }
          JsonLog log =
              call.log()
                  .with("provider", provider)
                  .with("webhookId", webhookId)
                  .with("taskId", prediction.id());
          ProviderResults.Outcome result =
              webhooks.deliver(
                  new WebhookService.Delivery(
                      provider, webhookId, call.query("uid"), call.query("item"), prediction),
                  log);
          log.info(result.toString());
          return HttpEndpoint.Reply.noContent();
        });
  }
}
