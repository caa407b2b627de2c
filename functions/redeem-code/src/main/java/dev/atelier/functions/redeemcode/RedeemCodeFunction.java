package dev.atelier.functions.redeemcode;

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
import dev.atelier.redeem.RedeemService;
import dev.atelier.usage.RateLimiter;
import java.io.IOException;
import java.time.Clock;

/**
 * POST {"code": "..."} with an ID token: redeems the code; answers {code, planCode, creditsGranted,
 * creditBalance}.
 */
public final class RedeemCodeFunction implements HttpFunction {

  private final HttpEndpoint endpoint;
  private final RedeemService redeem;
  private final Database db;
  private final Clock clock;

  public RedeemCodeFunction() {
    this(Config.from(System.getenv()));
  }

  private RedeemCodeFunction(Config config) {
    this(
        config,
        InstanceStart.firestore(config),
        new Authenticator(InstanceStart.auth(config)),
        Clock.systemUTC());
  }

  public RedeemCodeFunction(Config config, Database db, Authenticator authenticator, Clock clock) {
    this.endpoint =
        new HttpEndpoint(
            authenticator,
            JsonLog.forFunction(config.functionName()),
            config.maxBodyBytes(),
            HttpEndpoint.Access.USER,
            Cors.of(config.allowedOrigins()));
    this.redeem =
        new RedeemService(db, new CreditService(db, clock), new RateLimiter(db, clock), clock);
    this.db = db;
    this.clock = clock;
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    endpoint.serve(
        request,
        response,
        call -> {
          RequestBody body = call.body();
          String code = body.requiredString("code", 64);
          body.finish();
          RedeemService.Redeemed redeemed =
              redeem.redeem(call.user(), code, call.idempotency(db, clock));
          call.log().info("redeemed " + redeemed.code());
          return HttpEndpoint.Reply.ok(redeemed);
        });
  }
}
