package dev.atelier.results;

import dev.atelier.catalog.ModelConfig;
import dev.atelier.firestore.Database;
import dev.atelier.generations.AudioMedia;
import dev.atelier.generations.GenerationError;
import dev.atelier.generations.GenerationItem;
import dev.atelier.generations.GenerationStatus;
import dev.atelier.generations.ImageMedia;
import dev.atelier.generations.MediaKind;
import dev.atelier.generations.VideoMedia;
import dev.atelier.lifecycle.GenerationService;
import dev.atelier.lifecycle.GenerationService.Outputs;
import dev.atelier.lifecycle.GenerationService.Transition;
import dev.atelier.media.MediaFetcher;
import dev.atelier.media.MediaFormat;
import dev.atelier.media.MediaPath;
import dev.atelier.media.MediaRejected;
import dev.atelier.media.MediaStore;
import dev.atelier.media.UploadResult;
import dev.atelier.platform.JsonLog;
import dev.atelier.providers.Prediction;
import dev.atelier.store.Documents;
import dev.atelier.store.FirestorePaths;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

/**
 * What a provider's report on a prediction does to its history item — the one path shared by the
 * provider's webhook and the reaper's polling, so a result counts the same however it arrived. Only
 * a {@code generating} item changes: success downloads every output within the media limits, stores
 * it in Cloud Storage (create-if-absent at {@code <itemId>-<n>}, so a repeated or concurrent report
 * never stores twice) and then completes the item and captures the HOLD in one transaction (the
 * missing outputs' share refunded); a failure, a cancel by the provider, no output or refused media
 * fail the item and reverse the HOLD. A prediction that is still running changes nothing.
 */
public final class ProviderResults {

  /**
   * What applying a report did. Each says itself in words for the webhook's log line (written out:
   * a record's generated toString costs a cold instance ~12 ms of method handles on first use).
   */
  public sealed interface Outcome {
    /** The item reached {@code status} through this report. */
    record Applied(String uid, String itemId, GenerationStatus status) implements Outcome {
      @Override
      public String toString() {
        return "applied: item " + itemId + " of " + uid + " is " + status.wire();
      }
    }

    /** The prediction has not finished: nothing changed. */
    record StillRunning(String itemId, String predictionStatus) implements Outcome {
      @Override
      public String toString() {
        return "still running: item " + itemId + " (" + predictionStatus + ")";
      }
    }

    /** Nothing changed, and why (an item already finished, cancelled or gone; an unknown task). */
    record Ignored(String reason) implements Outcome {
      @Override
      public String toString() {
        return "ignored: " + reason;
      }
    }
  }

  private final Database db;
  private final GenerationService generations;
  private final MediaFetcher fetcher;
  private final MediaStore media;
  private final ExecutorService downloads;

  /**
   * @param downloads runs the output downloads of one report in parallel (bounded by the fetcher's
   *     limits)
   */
  public ProviderResults(
      Database db,
      GenerationService generations,
      MediaFetcher fetcher,
      MediaStore media,
      ExecutorService downloads) {
    this.db = db;
    this.generations = generations;
    this.fetcher = fetcher;
    this.media = media;
    this.downloads = downloads;
  }

  /**
   * Applies {@code prediction}, the provider's report on {@code item}'s task, to the item as read
   * by the caller (every change re-checks it in its own transaction).
   */
  public Outcome apply(GenerationItem item, Prediction prediction, JsonLog log) {
    if (item.status().terminal()) {
      return new Outcome.Ignored(
          "item "
              + item.id()
              + " is already "
              + item.status().wire()
              + " (a replayed, duplicate or late report)");
    }
    return switch (prediction.status()) {
      case STARTING, PROCESSING -> new Outcome.StillRunning(item.id(), prediction.status().wire());
      case FAILED ->
          fail(
              item,
              new GenerationError(
                  GenerationError.PROVIDER_FAILED,
                  prediction.error() == null
                      ? "the provider reported a failure"
                      : prediction.error()));
      case CANCELED ->
          fail(
              item,
              new GenerationError(
                  GenerationError.PROVIDER_CANCELED, "the provider cancelled the job"));
      case SUCCEEDED -> succeed(item, prediction, log);
    };
  }

  private Outcome succeed(GenerationItem item, Prediction prediction, JsonLog log) {
    if (prediction.output().isEmpty()) {
      return fail(
          item, new GenerationError(GenerationError.NO_OUTPUT, "the provider returned no output"));
    }
    MediaKind kind = item.generationType().mediaKind();
    List<MediaFetcher.Fetched> fetched;
    try {
      fetched = fetchAll(prediction.output(), accepted(kind));
    } catch (MediaRejected e) {
      log.warn("media of " + item.id() + " refused: " + e.reason() + " " + e.getMessage());
      return fail(
          item,
          new GenerationError(GenerationError.MEDIA_REJECTED, "output refused: " + e.getMessage()));
    }
    List<ImageMedia> images = new ArrayList<>();
    List<VideoMedia> videos = new ArrayList<>();
    List<AudioMedia> audios = new ArrayList<>();
    List<String> stored = new ArrayList<>();
    for (int i = 0; i < fetched.size(); i++) {
      MediaFetcher.Fetched f = fetched.get(i);
      String mediaId = item.id() + "-" + i;
      MediaPath path = new MediaPath(item.uid(), item.id(), mediaId, f.format());
      UploadResult upload =
          media.upload(
              path,
              f.bytes(),
              Map.of(
                  "historyId",
                  item.id(),
                  "provider",
                  String.valueOf(item.provider()),
                  "predictionId",
                  prediction.id()));
      if (upload instanceof UploadResult.Conflict) {
        // Another result already sits at this path (a different output of a duplicate run): keep
        // it.
        log.warn(
            "media " + path.objectName() + " already holds other bytes; keeping the stored object");
      }
      String url = upload.media().url();
      String source = prediction.output().get(i);
      stored.add(upload.media().storagePath());
      switch (kind) {
        case IMAGE ->
            images.add(new ImageMedia(mediaId, url, upload.media().storagePath(), source));
        case VIDEO -> videos.add(new VideoMedia(mediaId, url, upload.media().storagePath(), null));
        case AUDIO ->
            audios.add(new AudioMedia(mediaId, url, upload.media().storagePath(), source));
        case TEXT -> throw new IllegalStateException("text generations have no media");
      }
    }
    long refund = refund(item, fetched.size());
    Transition t =
        generations.complete(item.uid(), item.id(), new Outputs(images, videos, audios, refund));
    if (t instanceof Transition.NotGenerating other
        && other.item().status() != GenerationStatus.COMPLETED) {
      // Cancelled (or failed) while we downloaded: its media must not be kept.
      stored.forEach(media::delete);
      return new Outcome.Ignored(
          "item "
              + item.id()
              + " became "
              + other.item().status().wire()
              + " meanwhile; media removed");
    }
    return applied(item, t);
  }

  private Outcome fail(GenerationItem item, GenerationError error) {
    return applied(item, generations.fail(item.uid(), item.id(), error));
  }

  private static Outcome applied(GenerationItem item, Transition t) {
    if (t instanceof Transition.Done done) {
      return new Outcome.Applied(item.uid(), item.id(), done.item().status());
    }
    if (t instanceof Transition.NotGenerating other) {
      return new Outcome.Ignored(
          "item " + item.id() + " is already " + other.item().status().wire());
    }
    return new Outcome.Ignored("item " + item.id() + " is gone");
  }

  /**
   * The missing outputs' share of the cost: what was held minus the price of what arrived (never
   * below 0); when fewer outputs came than were asked for.
   */
  private long refund(GenerationItem item, int received) {
    long asked = item.params() == null ? received : item.params().numOutputs();
    long cost = item.cost() == null ? 0 : item.cost();
    if (received >= asked || cost == 0) {
      return 0;
    }
    Long seconds = item.params().durationSeconds();
    Optional<ModelConfig> model =
        Optional.ofNullable(item.model())
            .filter(FirestorePaths::isValidId)
            .flatMap(
                id -> Documents.read(db.get(FirestorePaths.modelConfig(id)), ModelConfig.class));
    long deliveredPrice =
        model
            .map(m -> m.pricing().cost(received, seconds == null ? 0 : seconds * received))
            .orElse(cost * received / asked);
    return Math.max(0, Math.min(cost, cost - deliveredPrice));
  }

  private List<MediaFetcher.Fetched> fetchAll(List<String> urls, Set<MediaFormat> accepted)
      throws MediaRejected {
    List<CompletableFuture<MediaFetcher.Fetched>> futures = new ArrayList<>();
    for (String url : urls) {
      futures.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return fetcher.fetch(URI.create(url), accepted);
                } catch (MediaRejected e) {
                  throw new CompletionException(e);
                } catch (IllegalArgumentException e) {
                  throw new CompletionException(
                      new MediaRejected(MediaRejected.Reason.UNREACHABLE, "not a URL: " + url));
                }
              },
              downloads));
    }
    List<MediaFetcher.Fetched> out = new ArrayList<>();
    for (CompletableFuture<MediaFetcher.Fetched> f : futures) {
      try {
        out.add(f.join());
      } catch (CompletionException e) {
        if (e.getCause() instanceof MediaRejected rejected) {
          throw rejected;
        }
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
    }
    return out;
  }

  /** The formats an item of {@code kind} may store. */
  static Set<MediaFormat> accepted(MediaKind kind) {
    return switch (kind) {
      case IMAGE ->
          EnumSet.of(MediaFormat.PNG, MediaFormat.JPEG, MediaFormat.WEBP, MediaFormat.GIF);
      case VIDEO -> EnumSet.of(MediaFormat.MP4, MediaFormat.WEBM);
      case AUDIO -> EnumSet.of(MediaFormat.MP3, MediaFormat.WAV);
      case TEXT -> EnumSet.noneOf(MediaFormat.class);
    };
  }
}
