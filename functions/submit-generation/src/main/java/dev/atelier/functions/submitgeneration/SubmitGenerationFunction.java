package dev.atelier.functions.submitgeneration;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.atelier.credits.CreditService;
import dev.atelier.firestore.Database;
import dev.atelier.http.Authenticator;
import dev.atelier.http.Cors;
import dev.atelier.http.HttpEndpoint;
import dev.atelier.http.RequestBody;
import dev.atelier.lifecycle.GenerationService;
import dev.atelier.platform.Config;
import dev.atelier.platform.InstanceStart;
import dev.atelier.platform.JsonLog;
import dev.atelier.providers.ProviderSettings;
import dev.atelier.providers.Providers;
import dev.atelier.submit.SubmitRequest;
import dev.atelier.submit.SubmitService;
import dev.atelier.submit.Submitted;
import dev.atelier.usage.RateLimiter;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.Map;

/**
 * POST {prompt, model?, generationType?, numOutputs?, aspectRatio?, durationSeconds?, visibility?,
 * tags?, negativePrompt?} with an ID token (and optionally an Idempotency-Key): holds the cost,
 * creates the history item and dispatches it to a provider; answers 202 {id, status, cost,
 * balance}. Environment: PROVIDERS and PROVIDER_* (see ProviderSettings), WEBHOOK_URL (the
 * provider-webhook URL).
 */
public final class SubmitGenerationFunction implements HttpFunction {

  /** Longest raw field values accepted before the catalog checks (which are tighter). */
  private static final int MAX_PROMPT_CHARS = 20_000;

  private final HttpEndpoint endpoint;
  private final SubmitService submissions;
  private final Database db;
  private final Clock clock;

  public SubmitGenerationFunction() {
    this(Config.from(System.getenv()), System.getenv());
  }

  private SubmitGenerationFunction(Config config, Map<String, String> env) {
    this(
        config,
        InstanceStart.firestore(config),
        new Authenticator(InstanceStart.auth(config)),
        Clock.systemUTC(),
        Providers.of(ProviderSettings.fromEnv(env)),
        webhookUrl(env));
  }

  public SubmitGenerationFunction(
      Config config,
      Database db,
      Authenticator authenticator,
      Clock clock,
      Providers providers,
      URI webhookUrl) {
    this.endpoint =
        new HttpEndpoint(
            authenticator,
            JsonLog.forFunction(config.functionName()),
            config.maxBodyBytes(),
            HttpEndpoint.Access.USER,
            Cors.of(config.allowedOrigins()));
    CreditService credits = new CreditService(db, clock);
    this.submissions =
        new SubmitService(
            db,
            credits,
            new GenerationService(db, credits, clock),
            providers,
            new RateLimiter(db, clock),
            webhookUrl,
            "submit-generation",
            clock);
    this.db = db;
    this.clock = clock;
  }

  private static URI webhookUrl(Map<String, String> env) {
    String url = env.get("WEBHOOK_URL");
    if (url == null || url.isBlank()) {
      throw new IllegalStateException(
          "WEBHOOK_URL (the provider-webhook function's URL) is not set");
    }
    return URI.create(url.trim());
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    endpoint.serve(
        request,
        response,
        call -> {
          RequestBody body = call.body();
          SubmitRequest submit =
              new SubmitRequest(
                  body.requiredText("prompt", MAX_PROMPT_CHARS),
                  body.optionalString("model", 128),
                  body.optionalString("generationType", 64),
                  body.optionalLong("numOutputs", 1, 100),
                  body.optionalString("aspectRatio", 16),
                  body.optionalLong("durationSeconds", 1, 3600),
                  body.optionalString("visibility", 16),
                  body.optionalStringList("tags", 50, 256),
                  body.optionalText("negativePrompt", MAX_PROMPT_CHARS));
          body.finish();
          Submitted submitted =
              submissions.submit(
                  call.user(), submit, call.idempotency(db, clock), call.client(), call.log());
          return HttpEndpoint.Reply.accepted(submitted);
        });
  }
}
