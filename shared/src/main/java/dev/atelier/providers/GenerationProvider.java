package dev.atelier.providers;

/**
 * One generation provider, as the backend sees it: an asynchronous predictions API. Implementations
 * are thread-safe and built once per instance. Every call is bounded by the adapter's timeout.
 */
public interface GenerationProvider {

  /**
   * The provider id used in {@code models_config} routes and on history items (e.g. {@code
   * replicate}).
   */
  String id();

  /**
   * Starts a prediction. The provider calls {@link PredictionRequest#webhook()} when it completes.
   *
   * @throws ProviderException REFUSED when the provider rejected the request (4xx other than
   *     408/429), UNAVAILABLE for 5xx, 408, 429, a connection failure or a timeout
   */
  Prediction create(PredictionRequest request) throws ProviderException;

  /** The prediction's current state (polling). NOT_FOUND when the provider does not know the id. */
  Prediction get(String predictionId) throws ProviderException;

  /**
   * The prediction a webhook delivery reports (its body, after the signature was verified).
   *
   * @throws ProviderException REFUSED when the body is not a prediction of this protocol
   */
  Prediction parseWebhook(String body) throws ProviderException;

  /** Asks the provider to stop the prediction; best effort. Returns its state after the request. */
  Prediction cancel(String predictionId) throws ProviderException;

  /**
   * Probes the provider's API once ({@link ProviderSettings#healthUrl()}), bounded by {@code
   * timeout} (the whole answer, body included). Never throws: no answer is a FAILED probe.
   */
  HealthProbe probe(java.time.Duration timeout);
}
