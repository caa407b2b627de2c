package dev.atelier.functions.resetmodelquotas;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.atelier.firestore.Database;
import dev.atelier.http.ScheduledEndpoint;
import dev.atelier.platform.Config;
import dev.atelier.platform.InstanceStart;
import dev.atelier.platform.JsonLog;
import dev.atelier.router.QuotaResets;
import java.io.IOException;
import java.time.Clock;

/**
 * Cloud Scheduler, hourly: every {@code model_quotas} document whose {@code reset_at} passed gets
 * {@code tokens_used} 0 and {@code reset_at} moved to its period's next boundary in UTC ({@link
 * QuotaResets}). Answers (and logs) the JSON summary of counts; stops starting pages when the run
 * budget (RUN_BUDGET_SECONDS) is spent.
 */
public final class ResetModelQuotasFunction implements HttpFunction {

  private final ScheduledEndpoint endpoint;
  private final QuotaResets resets;

  public ResetModelQuotasFunction() {
    this(Config.from(System.getenv()));
  }

  private ResetModelQuotasFunction(Config config) {
    this(config, InstanceStart.firestore(config), Clock.systemUTC(), QuotaResets.DEFAULT_PAGE_SIZE);
  }

  /**
   * @param pageSize quotas read per page
   */
  public ResetModelQuotasFunction(Config config, Database db, Clock clock, int pageSize) {
    this.endpoint =
        new ScheduledEndpoint(
            JsonLog.forFunction(config.functionName()), clock, config.runBudget());
    this.resets = new QuotaResets(db, clock, pageSize);
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    endpoint.serve(request, response, resets::run);
  }
}
