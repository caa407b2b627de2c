package dev.atelier.functions.updategeneration;

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
import dev.atelier.updates.UpdateService;
import dev.atelier.usage.RateLimiter;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;

/**
 * POST {id, visibility?: private|public|unlisted, tags?: [...], deleted?: true, cancel?: true} with
 * an ID token: the owner changes their item (others get 404). Answers 200 with the item's owner
 * view.
 */
public final class UpdateGenerationFunction implements HttpFunction {

  private final HttpEndpoint endpoint;
  private final UpdateService updates;

  public UpdateGenerationFunction() {
    this(Config.from(System.getenv()), System.getenv());
  }

  private UpdateGenerationFunction(Config config, Map<String, String> env) {
    this(
        config,
        InstanceStart.firestore(config),
        new Authenticator(InstanceStart.auth(config)),
        Clock.systemUTC(),
        Providers.of(ProviderSettings.fromEnv(env)));
  }

  public UpdateGenerationFunction(
      Config config, Database db, Authenticator authenticator, Clock clock, Providers providers) {
    this.endpoint =
        new HttpEndpoint(
            authenticator,
            JsonLog.forFunction(config.functionName()),
            config.maxBodyBytes(),
            HttpEndpoint.Access.USER,
            Cors.of(config.allowedOrigins()));
    this.updates =
        new UpdateService(
            db,
            new GenerationService(db, new CreditService(db, clock), clock),
            providers,
            new RateLimiter(db, clock),
            "update-generation");
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    endpoint.serve(
        request,
        response,
        call -> {
          RequestBody body = call.body();
          UpdateService.Request update =
              new UpdateService.Request(
                  body.requiredString("id", 128),
                  body.optionalString("visibility", 16),
                  body.optionalStringList("tags", 50, 256),
                  body.optionalBoolean("deleted"),
                  body.optionalBoolean("cancel"));
          body.finish();
          return HttpEndpoint.Reply.ok(updates.apply(call.user(), update, call.log()));
        });
  }
}
