package dev.atelier.emulator.junit;

import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import com.google.auth.Credentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import io.grpc.ManagedChannelBuilder;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Firestore Java clients that reach the emulator as the client app does, so that security rules
 * apply: {@link #withIdToken} sends {@code authorization: Bearer <ID token>} on every call (a
 * signed-in user), {@link #anonymous} sends no authorization (signed out). Server clients built
 * with {@code setEmulatorHost} send {@code Bearer owner} and bypass the rules.
 *
 * <p>The Java client forces owner credentials whenever FIRESTORE_EMULATOR_HOST is set in the
 * environment, so these clients refuse to be built then.
 */
public final class EmulatorClients {
  private EmulatorClients() {}

  /** A client whose calls carry {@code idToken} (e.g. a Firebase Auth emulator token). */
  public static Firestore withIdToken(String host, String projectId, String idToken) {
    requireNoEmulatorVariable();
    return FirestoreOptions.newBuilder()
        .setProjectId(projectId)
        .setHost(host)
        .setChannelProvider(
            InstantiatingGrpcChannelProvider.newBuilder()
                .setEndpoint(host)
                .setChannelConfigurator(ManagedChannelBuilder::usePlaintext)
                .build())
        .setCredentialsProvider(FixedCredentialsProvider.create(new BearerToken(idToken)))
        .build()
        .getService();
  }

  /** A client whose calls carry no authorization. */
  public static Firestore anonymous(String host, String projectId) {
    requireNoEmulatorVariable();
    return FirestoreOptions.newBuilder()
        .setProjectId(projectId)
        .setHost(host)
        .setCredentials(NoCredentials.getInstance())
        .build()
        .getService();
  }

  private static void requireNoEmulatorVariable() {
    String variable = System.getenv("FIRESTORE_EMULATOR_HOST");
    if (variable != null && !variable.isBlank()) {
      throw new IllegalStateException(
          "FIRESTORE_EMULATOR_HOST is set: the Java client would send 'Bearer owner'"
              + " on every call, so a client with another identity cannot be built; unset it to test rules");
    }
  }

  /**
   * Call credentials of a fixed bearer token (not GoogleCredentials: gRPC sends them over
   * plaintext).
   */
  private static final class BearerToken extends Credentials {
    private final Map<String, List<String>> headers;

    BearerToken(String token) {
      this.headers = Map.of("Authorization", List.of("Bearer " + token));
    }

    @Override
    public String getAuthenticationType() {
      return "Bearer";
    }

    @Override
    public Map<String, List<String>> getRequestMetadata(URI uri) {
      return headers;
    }

    @Override
    public boolean hasRequestMetadata() {
      return true;
    }

    @Override
    public boolean hasRequestMetadataOnly() {
      return true;
    }

    @Override
    public void refresh() {}
  }
}
