package dev.atelier.functions.reconcile;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.atelier.firestore.Database;
import dev.atelier.http.ScheduledEndpoint;
import dev.atelier.media.MediaConfig;
import dev.atelier.media.MediaStorage;
import dev.atelier.media.MediaStore;
import dev.atelier.platform.Config;
import dev.atelier.platform.InstanceStart;
import dev.atelier.platform.JsonLog;
import dev.atelier.reconcile.ReconcileJob;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;

/**
 * Cloud Scheduler, daily: every balance checked against its ledger (entries the trigger has not
 * applied are applied, drift repaired with a LEDGER_DRIFT alert), the public mirror audited both
 * ways (MIRROR_DRIFT), media of items deleted more than 30 days ago purged from Cloud Storage.
 * Works in bounded pages until RUN_BUDGET_SECONDS (under the function's timeout), saves its cursors
 * in {@code maintenance/reconcile} and answers the JSON summary of counts ({@link
 * ReconcileJob.Summary}); the next run resumes. Environment: MEDIA_BUCKET, STORAGE_EMULATOR_HOST
 * (local), RUN_BUDGET_SECONDS.
 */
public final class ReconcileFunction implements HttpFunction {

  private final ScheduledEndpoint endpoint;
  private final ReconcileJob job;

  public ReconcileFunction() {
    this(Config.from(System.getenv()), System.getenv());
  }

  private ReconcileFunction(Config config, Map<String, String> env) {
    this(config, InstanceStart.firestore(config), Clock.systemUTC(), mediaStore(config, env));
  }

  public ReconcileFunction(Config config, Database db, Clock clock, MediaStore media) {
    this(config, db, clock, media, ReconcileJob.Settings.defaults());
  }

  public ReconcileFunction(
      Config config, Database db, Clock clock, MediaStore media, ReconcileJob.Settings settings) {
    this.endpoint =
        new ScheduledEndpoint(
            JsonLog.forFunction(config.functionName()), clock, config.runBudget());
    this.job = new ReconcileJob(db, clock, media, settings);
  }

  private static MediaStore mediaStore(Config config, Map<String, String> env) {
    MediaConfig media = MediaConfig.from(config, env);
    return new MediaStore(MediaStorage.client(media), media);
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    endpoint.serve(request, response, job::run);
  }
}
