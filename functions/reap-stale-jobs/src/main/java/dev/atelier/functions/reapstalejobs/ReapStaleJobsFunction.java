package dev.atelier.functions.reapstalejobs;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.atelier.credits.CreditService;
import dev.atelier.firestore.Database;
import dev.atelier.http.ScheduledEndpoint;
import dev.atelier.lifecycle.GenerationService;
import dev.atelier.media.FetchLimits;
import dev.atelier.media.MediaConfig;
import dev.atelier.media.MediaFetcher;
import dev.atelier.media.MediaStorage;
import dev.atelier.media.MediaStore;
import dev.atelier.platform.Config;
import dev.atelier.platform.InstanceStart;
import dev.atelier.platform.JsonLog;
import dev.atelier.providers.ProviderSettings;
import dev.atelier.providers.Providers;
import dev.atelier.reaper.StaleJobReaper;
import dev.atelier.results.ProviderResults;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Cloud Scheduler, every 10 minutes ({@link StaleJobReaper}): quiet {@code generating} items are
 * polled at their provider and a finished prediction is applied exactly as the webhook applies it;
 * items generating longer than {@code system/config.limits.staleGenerationMinutes} fail with
 * TIMED_OUT (HOLD reversed, cancel sent); orphaned PENDING holds are reversed (captured when their
 * item completed). Answers (and logs) the JSON summary of counts; stops starting work when the run
 * budget (RUN_BUDGET_SECONDS) is spent. Environment: PROVIDERS / PROVIDER_* (API tokens),
 * MEDIA_BUCKET, STORAGE_EMULATOR_HOST (local), MEDIA_FETCH_MODE ({@code production} by default,
 * {@code local} for the stand-ins).
 */
public final class ReapStaleJobsFunction implements HttpFunction {

  private final ScheduledEndpoint endpoint;
  private final StaleJobReaper reaper;

  public ReapStaleJobsFunction() {
    this(Config.from(System.getenv()), System.getenv());
  }

  private ReapStaleJobsFunction(Config config, Map<String, String> env) {
    this(
        config,
        InstanceStart.firestore(config),
        Clock.systemUTC(),
        Providers.of(ProviderSettings.fromEnv(env)),
        mediaStore(MediaConfig.from(config, env)),
        FetchLimits.fromEnv(env),
        StaleJobReaper.DEFAULT_PAGE_SIZE);
  }

  /**
   * @param pageSize documents read per page of each phase
   */
  public ReapStaleJobsFunction(
      Config config,
      Database db,
      Clock clock,
      Providers providers,
      MediaStore media,
      FetchLimits limits,
      int pageSize) {
    this.endpoint =
        new ScheduledEndpoint(
            JsonLog.forFunction(config.functionName()), clock, config.runBudget());
    ExecutorService downloads =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "media-download");
              t.setDaemon(true);
              return t;
            });
    GenerationService generations = new GenerationService(db, new CreditService(db, clock), clock);
    this.reaper =
        new StaleJobReaper(
            db,
            generations,
            new ProviderResults(
                db,
                generations,
                new MediaFetcher(MediaFetcher.httpClient(limits), limits),
                media,
                downloads),
            providers,
            clock,
            pageSize);
  }

  private static MediaStore mediaStore(MediaConfig config) {
    return new MediaStore(MediaStorage.client(config), config);
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    endpoint.serve(request, response, reaper::run);
  }
}
