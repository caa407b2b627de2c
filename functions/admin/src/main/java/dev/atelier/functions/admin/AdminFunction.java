package dev.atelier.functions.admin;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.atelier.admin.AdminService;
import dev.atelier.credits.CreditService;
import dev.atelier.credits.LedgerType;
import dev.atelier.firestore.Database;
import dev.atelier.http.ApiException;
import dev.atelier.http.Authenticator;
import dev.atelier.http.Cors;
import dev.atelier.http.ErrorCode;
import dev.atelier.http.HttpEndpoint;
import dev.atelier.http.RequestBody;
import dev.atelier.platform.Config;
import dev.atelier.platform.InstanceStart;
import dev.atelier.platform.JsonLog;
import dev.atelier.redeem.RedeemCodeType;
import dev.atelier.store.Ids;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operators' API (ID token with {@code admin: true}), routed by path suffix:
 *
 * <ul>
 *   <li>POST …/redeem-codes {@code {"type","count","maxUses","validUntil"?}}
 *   <li>POST …/redeem-codes/{code}:disable {@code {}}
 *   <li>POST …/credits:adjust {@code {"uid","type":"GRANT|DEBIT","credits","reason"}}
 *   <li>POST …/alerts/{alertId}:acknowledge {@code {}}
 *   <li>POST …/users/{uid}:suspend {@code {"reason"}} (refresh tokens revoked) and
 *       …/users/{uid}:restore {@code {}}
 * </ul>
 */
public final class AdminFunction implements HttpFunction {

  private static final Pattern CREATE_CODES = Pattern.compile(".*/redeem-codes/?");
  private static final Pattern DISABLE_CODE = Pattern.compile(".*/redeem-codes/([^/]*):disable");
  private static final Pattern ADJUST_CREDITS = Pattern.compile(".*/credits:adjust");
  private static final Pattern ACKNOWLEDGE_ALERT = Pattern.compile(".*/alerts/([^/]*):acknowledge");
  private static final Pattern SUSPEND_USER = Pattern.compile(".*/users/([^/]*):suspend");
  private static final Pattern RESTORE_USER = Pattern.compile(".*/users/([^/]*):restore");

  private final HttpEndpoint endpoint;
  private final AdminService admin;
  private final Database db;
  private final Clock clock;

  public AdminFunction() {
    this(Config.from(System.getenv()));
  }

  private AdminFunction(Config config) {
    this(
        config,
        InstanceStart.firestore(config),
        new Authenticator(InstanceStart.auth(config)),
        Clock.systemUTC());
  }

  public AdminFunction(Config config, Database db, Authenticator authenticator, Clock clock) {
    this.endpoint =
        new HttpEndpoint(
            authenticator,
            JsonLog.forFunction(config.functionName()),
            config.maxBodyBytes(),
            HttpEndpoint.Access.ADMIN,
            Cors.of(config.allowedOrigins()));
    this.admin =
        new AdminService(
            db, new CreditService(db, clock), authenticator::revokeRefreshTokens, clock);
    this.db = db;
    this.clock = clock;
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    endpoint.serve(request, response, this::route);
  }

  private HttpEndpoint.Reply route(HttpEndpoint.Call call) {
    String path = call.path();
    AdminService.Actor actor = new AdminService.Actor(call.user().uid(), call.requestId());
    Matcher m;
    if (CREATE_CODES.matcher(path).matches()) {
      RequestBody body = call.body();
      RedeemCodeType type = body.requiredEnum("type", RedeemCodeType.class);
      long count = body.requiredLong("count", 1, AdminService.MAX_CODES_PER_REQUEST);
      long maxUses = body.requiredLong("maxUses", 1, 1_000_000);
      Optional<Instant> validUntil = body.optionalTimestamp("validUntil");
      body.finish();
      AdminService.CreatedCodes created =
          admin.createCodes(
              actor, type, (int) count, maxUses, validUntil, call.idempotency(db, clock));
      call.log().info("created " + created.codes().size() + " " + type + " codes");
      return new HttpEndpoint.Reply(201, created);
    }
    if ((m = DISABLE_CODE.matcher(path)).matches()) {
      call.body().finish();
      return HttpEndpoint.Reply.ok(admin.disableCode(actor, m.group(1)));
    }
    if (ADJUST_CREDITS.matcher(path).matches()) {
      RequestBody body = call.body();
      String uid = body.requiredId("uid");
      LedgerType type = body.requiredEnum("type", LedgerType.class);
      long credits = body.requiredLong("credits", 1, 10_000_000);
      String reason = body.requiredText("reason", 500);
      body.finish();
      return HttpEndpoint.Reply.ok(
          admin.adjustCredits(actor, uid, type, credits, reason, call.idempotency(db, clock)));
    }
    if ((m = ACKNOWLEDGE_ALERT.matcher(path)).matches()) {
      call.body().finish();
      String alertId = m.group(1);
      if (!Ids.isValid(alertId)) {
        throw new ApiException(
            ErrorCode.INVALID_ARGUMENT,
            "not an alert id",
            Map.of("fields", Map.of("alertId", "is not an id")));
      }
      return HttpEndpoint.Reply.ok(admin.acknowledgeAlert(actor, alertId));
    }
    if ((m = SUSPEND_USER.matcher(path)).matches()) {
      RequestBody body = call.body();
      String reason = body.requiredText("reason", 500);
      body.finish();
      return HttpEndpoint.Reply.ok(admin.suspend(actor, userId(m.group(1)), reason));
    }
    if ((m = RESTORE_USER.matcher(path)).matches()) {
      call.body().finish();
      return HttpEndpoint.Reply.ok(admin.restore(actor, userId(m.group(1))));
    }
    throw new ApiException(ErrorCode.NOT_FOUND, "no admin action at " + path);
  }

  private static String userId(String raw) {
    if (!Ids.isValid(raw)) {
      throw new ApiException(
          ErrorCode.INVALID_ARGUMENT, "not a uid", Map.of("fields", Map.of("uid", "is not an id")));
    }
    return raw;
  }
}
