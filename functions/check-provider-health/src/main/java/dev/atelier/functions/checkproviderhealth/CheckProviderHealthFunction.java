package dev.atelier.functions.checkproviderhealth;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.atelier.firestore.Database;
import dev.atelier.health.HealthPolicy;
import dev.atelier.health.ProviderHealthCheck;
import dev.atelier.health.SchedulerJobs;
import dev.atelier.http.ScheduledEndpoint;
import dev.atelier.platform.Config;
import dev.atelier.platform.InstanceStart;
import dev.atelier.platform.JsonLog;
import dev.atelier.providers.ProviderSettings;
import dev.atelier.providers.Providers;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;

/**
 * Cloud Scheduler POSTs every 5 minutes (OIDC; locally a plain POST): probes every provider the
 * catalog routes to, keeps {@code model_provider_health}, raises an alert on each status change,
 * makes each model's {@code status} follow its routes, checks the Cloud Scheduler jobs and writes
 * {@code system/health} ({@link ProviderHealthCheck}). Answers 200 with the run's summary of counts
 * (also logged), 503 on a transient failure.
 */
public final class CheckProviderHealthFunction implements HttpFunction {

  private final ScheduledEndpoint endpoint;
  private final ProviderHealthCheck check;

  public CheckProviderHealthFunction() {
    this(Config.from(System.getenv()), System.getenv());
  }

  private CheckProviderHealthFunction(Config config, Map<String, String> env) {
    this(
        config,
        InstanceStart.firestore(config),
        Clock.systemUTC(),
        Providers.of(ProviderSettings.fromEnv(env)),
        HealthPolicy.fromEnv(env),
        CloudSchedulerJobs.fromEnv(config, env, Clock.systemUTC()));
  }

  public CheckProviderHealthFunction(
      Config config,
      Database db,
      Clock clock,
      Providers providers,
      HealthPolicy policy,
      SchedulerJobs scheduler) {
    this.endpoint =
        new ScheduledEndpoint(
            JsonLog.forFunction(config.functionName()), clock, config.runBudget());
    this.check = new ProviderHealthCheck(db, providers, scheduler, policy, clock);
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    endpoint.serve(request, response, check::run);
  }
}
