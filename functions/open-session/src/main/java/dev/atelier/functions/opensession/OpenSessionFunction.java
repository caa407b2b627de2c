package dev.atelier.functions.opensession;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.atelier.credits.CreditService;
import dev.atelier.firestore.Database;
import dev.atelier.http.Authenticator;
import dev.atelier.http.Cors;
import dev.atelier.http.HttpEndpoint;
import dev.atelier.http.RequestBody;
import dev.atelier.platform.Config;
import dev.atelier.platform.InstanceStart;
import dev.atelier.platform.JsonLog;
import dev.atelier.users.Preferences;
import dev.atelier.users.SessionService;
import dev.atelier.users.Theme;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;

/**
 * POST {"username"?: "...", "preferences"?: {"theme"?: "light|dark", "language"?, "timezone"?}}
 * with an ID token: creates or refreshes the caller's profile and opens their credits account.
 */
public final class OpenSessionFunction implements HttpFunction {

  private final HttpEndpoint endpoint;
  private final SessionService sessions;

  public OpenSessionFunction() {
    this(Config.from(System.getenv()));
  }

  private OpenSessionFunction(Config config) {
    this(
        config,
        InstanceStart.firestore(config),
        new Authenticator(InstanceStart.auth(config)),
        Clock.systemUTC());
  }

  public OpenSessionFunction(Config config, Database db, Authenticator authenticator, Clock clock) {
    JsonLog log = JsonLog.forFunction(config.functionName());
    this.endpoint =
        new HttpEndpoint(
            authenticator,
            log,
            config.maxBodyBytes(),
            HttpEndpoint.Access.USER,
            Cors.of(config.allowedOrigins()));
    this.sessions = new SessionService(db, new CreditService(db, clock), clock, log);
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    endpoint.serve(
        request,
        response,
        call -> {
          RequestBody body = call.body();
          Optional<String> username = body.optionalString("username", 30);
          Optional<Preferences> preferences =
              body.optionalObject("preferences")
                  .map(
                      p -> {
                        Optional<String> theme =
                            p.optionalOneOf("theme", java.util.List.of("light", "dark"));
                        Preferences read =
                            new Preferences(
                                theme.map(Theme::fromWire).orElse(null),
                                p.optionalString("language", 35).orElse(null),
                                p.optionalString("timezone", 64).orElse(null));
                        p.done();
                        return read;
                      });
          body.finish();
          SessionService.Session session =
              sessions.open(
                  call.user(),
                  call.client(),
                  new SessionService.SessionRequest(username, preferences));
          return HttpEndpoint.Reply.ok(session);
        });
  }
}
