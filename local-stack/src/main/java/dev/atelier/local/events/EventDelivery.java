package dev.atelier.local.events;

import com.google.events.cloud.firestore.v1.DocumentEventData;
import dev.atelier.local.manifest.FunctionSpec;
import dev.atelier.local.manifest.Trigger;
import dev.atelier.platform.FirestoreTrigger;
import dev.atelier.testsupport.FirestoreEvents;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.CloudEventUtils;
import io.cloudevents.rw.CloudEventContextWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Delivers document changes to the functions whose Firestore trigger matches them, as binary-mode
 * CloudEvents over HTTP POST. The events come from test-support's {@link FirestoreEvents}, the
 * builder the function tests use too, so what a test delivers and what the local stack delivers
 * cannot drift apart. Deliveries run concurrently and unordered, as Eventarc's do.
 */
public final class EventDelivery implements AutoCloseable {

  private final List<FunctionSpec> subscribers;
  private final Function<String, URI> endpoints;
  private final DeliveryOptions options;
  private final Consumer<String> log;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final ScheduledExecutorService executor =
      Executors.newScheduledThreadPool(
          4,
          runnable -> {
            Thread thread = new Thread(runnable, "event-delivery");
            thread.setDaemon(true);
            return thread;
          });

  /**
   * @param functions every manifest function (those without a Firestore trigger are ignored)
   * @param endpoints function name → the URL its events are POSTed to
   */
  public EventDelivery(
      List<FunctionSpec> functions,
      Function<String, URI> endpoints,
      DeliveryOptions options,
      Consumer<String> log) {
    this.subscribers =
        functions.stream().filter(f -> f.trigger() instanceof Trigger.FirestoreEvent).toList();
    this.endpoints = endpoints;
    this.options = options;
    this.log = log;
  }

  /**
   * Called for every committed document change; returns at once, delivery happens in the
   * background.
   */
  public void onChange(DocumentChange change) {
    FirestoreEvents.eventType(change.before(), change.after())
        .ifPresent(
            kind -> {
              // One event id for every subscriber of the change, as Eventarc does.
              String id = UUID.randomUUID().toString();
              DocumentEventData data = FirestoreEvents.data(change.before(), change.after());
              FirestoreEvents events =
                  new FirestoreEvents(change.projectId(), change.databaseId(), options.location());
              Instant time = FirestoreEvents.instant(change.commitTime());
              for (FunctionSpec function : subscribers) {
                Trigger.FirestoreEvent trigger = (Trigger.FirestoreEvent) function.trigger();
                if (trigger.type().accepts(kind)
                    && trigger.document().matches(change.documentPath())) {
                  CloudEvent event =
                      events.protobuf(trigger.type(), id, change.documentPath(), data, time);
                  Delivery delivery = new Delivery(function, request(function, event));
                  int copies = options.chaos() ? 2 : 1;
                  for (int i = 0; i < copies; i++) {
                    schedule(delivery, 1, chaosDelay());
                  }
                }
              }
            });
  }

  /**
   * The event in the CloudEvents HTTP binary mode: attributes as ce-* headers, the data as the
   * body.
   */
  private HttpRequest request(FunctionSpec function, CloudEvent event) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoints.apply(function.name()))
            .timeout(Duration.ofSeconds(function.timeoutSeconds()))
            .header("ce-specversion", event.getSpecVersion().toString());
    options
        .deliveryToken()
        .ifPresent(
            token -> request.header("ce-" + FirestoreTrigger.DELIVERY_TOKEN_EXTENSION, token));
    CloudEventUtils.toContextReader(event)
        .readContext(
            new CloudEventContextWriter() {
              @Override
              public CloudEventContextWriter withContextAttribute(String name, String value) {
                request.header(
                    name.equals("datacontenttype") ? "content-type" : "ce-" + name, value);
                return this;
              }
            });
    return request.POST(HttpRequest.BodyPublishers.ofByteArray(event.getData().toBytes())).build();
  }

  private Duration chaosDelay() {
    return options.chaos()
        ? Duration.ofMillis(
            ThreadLocalRandom.current().nextLong(options.chaosWindow().toMillis() + 1))
        : Duration.ZERO;
  }

  private void schedule(Delivery delivery, int attempt, Duration delay) {
    if (executor.isShutdown()) {
      return;
    }
    executor.schedule(() -> attempt(delivery, attempt), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void attempt(Delivery delivery, int attempt) {
    String what =
        delivery.function().name()
            + " "
            + delivery
                .request()
                .headers()
                .firstValue("ce-type")
                .orElse("")
                .substring("google.cloud.firestore.document.v1.".length())
            + " "
            + delivery.request().headers().firstValue("ce-document").orElse("")
            + " id="
            + delivery.request().headers().firstValue("ce-id").orElse("");
    String outcome;
    try {
      int status =
          http.send(delivery.request(), HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status / 100 == 2) {
        log.accept("[event] " + what + " -> " + status);
        return;
      }
      outcome = "HTTP " + status;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (Exception e) {
      outcome = e.getClass().getSimpleName();
    }
    if (delivery.function().retry() && attempt < options.maxAttempts()) {
      Duration backoff = options.backoff(attempt + 1);
      log.accept(
          "[event] "
              + what
              + " -> "
              + outcome
              + ", retry "
              + attempt
              + " in "
              + backoff.toMillis()
              + " ms");
      schedule(delivery, attempt + 1, backoff);
    } else {
      log.accept(
          "[event] "
              + what
              + " -> "
              + outcome
              + ", dropped after "
              + attempt
              + " attempt(s)"
              + (delivery.function().retry() ? "" : " (retry off)"));
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  private record Delivery(FunctionSpec function, HttpRequest request) {}
}
