package dev.atelier.functions.checkproviderhealth;

import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.ApiException;
import com.google.cloud.scheduler.v1.CloudSchedulerClient;
import com.google.cloud.scheduler.v1.CloudSchedulerSettings;
import com.google.cloud.scheduler.v1.ListJobsRequest;
import com.google.cloud.scheduler.v1.ListJobsResponse;
import com.google.cloud.scheduler.v1.LocationName;
import dev.atelier.catalog.SchedulerJobState;
import dev.atelier.health.SchedulerJobs;
import dev.atelier.platform.Config;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The deployment's Cloud Scheduler jobs through google-cloud-scheduler (HTTP/JSON transport: {@code
 * GET /v1/projects/{project}/locations/{location}/jobs}), in pages of 100, at most 10 pages, within
 * the run's deadline. Where the API cannot be asked, the listing is Skipped with one line saying
 * why; a refusal or an unreachable API is Skipped too (the provider checks of the run go on).
 *
 * <pre>
 * SCHEDULER_LOCATION=us-central1              the jobs' region; in production the instance's region
 *                                             (metadata server) when unset
 * CLOUD_SCHEDULER_ENDPOINT=http://127.0.0.1:P a Scheduler API stand-in, asked without credentials
 * </pre>
 *
 * Locally (Firestore emulator configured) and without {@code CLOUD_SCHEDULER_ENDPOINT}, there is no
 * Scheduler API to ask: every run skips this part. In production the function's service account
 * needs {@code roles/cloudscheduler.viewer} (cloudscheduler.jobs.list) on the project.
 */
final class CloudSchedulerJobs implements SchedulerJobs {

  static final String LOCATION_ENV = "SCHEDULER_LOCATION";
  static final String ENDPOINT_ENV = "CLOUD_SCHEDULER_ENDPOINT";
  static final int PAGE_SIZE = 100;
  static final int MAX_PAGES = 10;

  private static final String METADATA_REGION =
      "http://metadata.google.internal/computeMetadata/v1/instance/region";

  private final String project;
  private final Supplier<Optional<String>> location;
  private final Optional<String> endpoint;
  private final CredentialsProvider credentials;
  private final Duration callTimeout;
  private final Clock clock;
  private CloudSchedulerClient client;

  /**
   * @param endpoint a Scheduler API other than Google's ({@code http://host:port}); empty for
   *     Google's, with the application default credentials
   * @param callTimeout bound on one listing page, retries included
   * @param clock what the run's deadline is measured with
   */
  CloudSchedulerJobs(
      String project,
      Supplier<Optional<String>> location,
      Optional<String> endpoint,
      Duration callTimeout,
      Clock clock) {
    this.project = project;
    this.location = location;
    this.endpoint = endpoint;
    this.credentials =
        endpoint.isPresent()
            ? NoCredentialsProvider.create()
            : CloudSchedulerSettings.defaultCredentialsProviderBuilder().build();
    this.callTimeout = callTimeout;
    this.clock = clock;
  }

  /** What the environment allows: a Scheduler API to ask, or a source that always skips. */
  static SchedulerJobs fromEnv(Config config, Map<String, String> env, Clock clock) {
    Optional<String> endpoint = get(env, ENDPOINT_ENV);
    Optional<String> configured = get(env, LOCATION_ENV);
    if (endpoint.isEmpty() && config.firestoreEmulatorHost().isPresent()) {
      return SchedulerJobs.skipped(
          "no Scheduler API locally (emulators configured; set "
              + ENDPOINT_ENV
              + " and "
              + LOCATION_ENV
              + " to check one)",
          true);
    }
    Supplier<Optional<String>> location =
        configured.isPresent()
            ? () -> configured
            : endpoint.isPresent() ? Optional::empty : CloudSchedulerJobs::metadataRegion;
    return new CloudSchedulerJobs(
        config.projectId(), location, endpoint, Duration.ofSeconds(20), clock);
  }

  @Override
  public Listing list(Instant deadline) {
    Optional<String> region = location.get();
    if (region.isEmpty()) {
      return new Skipped(
          "no location: set "
              + LOCATION_ENV
              + (endpoint.isEmpty() ? " (the metadata server gave no region)" : ""),
          false);
    }
    String parent = LocationName.of(project, region.get()).toString();
    List<SchedulerJobs.Job> jobs = new ArrayList<>();
    try {
      CloudSchedulerClient scheduler = client();
      String pageToken = "";
      for (int page = 0; page < MAX_PAGES; page++) {
        if (!clock.instant().isBefore(deadline)) {
          return new Checked(jobs, true);
        }
        ListJobsResponse response =
            scheduler
                .listJobsCallable()
                .call(
                    ListJobsRequest.newBuilder()
                        .setParent(parent)
                        .setPageSize(PAGE_SIZE)
                        .setPageToken(pageToken)
                        .build());
        response.getJobsList().forEach(j -> jobs.add(view(j)));
        pageToken = response.getNextPageToken();
        if (pageToken.isEmpty()) {
          return new Checked(jobs, false);
        }
      }
      return new Checked(jobs, true);
    } catch (ApiException e) {
      return new Skipped(
          "Cloud Scheduler API answered "
              + e.getStatusCode().getCode()
              + " for "
              + parent
              + ": "
              + firstLine(e.getMessage()),
          false);
    } catch (IOException | RuntimeException e) {
      return new Skipped(
          "Cloud Scheduler API not reachable ("
              + e.getClass().getSimpleName()
              + ": "
              + firstLine(e.getMessage())
              + ")",
          false);
    }
  }

  private synchronized CloudSchedulerClient client() throws IOException {
    if (client == null) {
      CloudSchedulerSettings.Builder settings =
          CloudSchedulerSettings.newHttpJsonBuilder().setCredentialsProvider(credentials);
      endpoint.ifPresent(settings::setEndpoint);
      settings
          .listJobsSettings()
          .setRetrySettings(
              RetrySettings.newBuilder()
                  .setInitialRetryDelayDuration(Duration.ofMillis(200))
                  .setRetryDelayMultiplier(2)
                  .setMaxRetryDelayDuration(Duration.ofSeconds(2))
                  .setInitialRpcTimeoutDuration(callTimeout)
                  .setRpcTimeoutMultiplier(1)
                  .setMaxRpcTimeoutDuration(callTimeout)
                  .setTotalTimeoutDuration(callTimeout)
                  .setMaxAttempts(3)
                  .build());
      client = CloudSchedulerClient.create(settings.build());
    }
    return client;
  }

  static SchedulerJobs.Job view(com.google.cloud.scheduler.v1.Job job) {
    SchedulerJobState state;
    try {
      state = SchedulerJobState.fromWire(job.getState().name());
    } catch (RuntimeException e) {
      state = SchedulerJobState.STATE_UNSPECIFIED;
    }
    Instant lastAttempt =
        job.hasLastAttemptTime()
            ? Instant.ofEpochSecond(
                job.getLastAttemptTime().getSeconds(), job.getLastAttemptTime().getNanos())
            : null;
    boolean hasStatus = job.hasStatus();
    return new SchedulerJobs.Job(
        job.getName(),
        state,
        lastAttempt,
        hasStatus ? job.getStatus().getCode() : 0,
        hasStatus && !job.getStatus().getMessage().isEmpty() ? job.getStatus().getMessage() : null);
  }

  /** The instance's region from the metadata server ({@code projects/N/regions/us-central1}). */
  private static Optional<String> metadataRegion() {
    try {
      HttpResponse<String> answer =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(2))
              .build()
              .send(
                  HttpRequest.newBuilder(URI.create(METADATA_REGION))
                      .timeout(Duration.ofSeconds(2))
                      .header("Metadata-Flavor", "Google")
                      .GET()
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      String body = answer.body().strip();
      return answer.statusCode() == 200 && !body.isEmpty()
          ? Optional.of(body.substring(body.lastIndexOf('/') + 1))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    return line.length() > 300 ? line.substring(0, 300) + "…" : line;
  }

  private static Optional<String> get(Map<String, String> env, String name) {
    return Optional.ofNullable(env.get(name)).map(String::trim).filter(v -> !v.isEmpty());
  }
}
