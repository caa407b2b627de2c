package dev.atelier.local.manifest;

import java.util.Arrays;

/**
 * What a deployed function needs beyond Firestore, as the manifest's {@code uses} list names it.
 * Terraform turns each into environment variables, secrets and IAM grants, so a function gets
 * exactly what it uses:
 *
 * <ul>
 *   <li>{@code providerApi}: {@code PROVIDERS}, {@code PROVIDER_<ID>_URL} and the secret {@code
 *       PROVIDER_<ID>_API_TOKEN} of every provider (calls the providers' APIs: dispatch, cancel,
 *       poll);
 *   <li>{@code providerWebhooks}: {@code PROVIDERS}, {@code PROVIDER_<ID>_URL} and the secret
 *       {@code PROVIDER_<ID>_WEBHOOK_SECRET} of every provider (verifies webhook signatures);
 *   <li>{@code media}: {@code MEDIA_BUCKET}, {@code MEDIA_FETCH_MODE=production} and object admin
 *       on the media bucket;
 *   <li>{@code schedulerRead}: {@code SCHEDULER_LOCATION} and Cloud Scheduler viewer (reads the
 *       jobs' last attempts);
 *   <li>{@code authAdmin}: Firebase Authentication admin (token revocation checks, revoking a
 *       suspended user's refresh tokens).
 * </ul>
 *
 * <p>Locally the emulators need none of these grants.
 */
public enum Capability {
  PROVIDER_API("providerApi"),
  PROVIDER_WEBHOOKS("providerWebhooks"),
  MEDIA("media"),
  SCHEDULER_READ("schedulerRead"),
  AUTH_ADMIN("authAdmin");

  private final String wire;

  Capability(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public static Capability fromWire(String wire) {
    return Arrays.stream(values())
        .filter(c -> c.wire.equals(wire))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown capability in uses: " + wire));
  }
}
