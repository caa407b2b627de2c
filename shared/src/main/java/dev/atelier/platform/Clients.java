package dev.atelier.platform;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.firebase.FirebaseApp;
import com.google.firebase.FirebaseOptions;
import com.google.firebase.internal.FirebaseProcessEnvironment;
import dev.atelier.firestore.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Date;

/**
 * Builds the expensive clients once per instance, pointed at the emulators when the config says so.
 */
public final class Clients {

  private Clients() {}

  /** The project's database; with an emulator host, plaintext gRPC as the emulator's owner. */
  public static Database firestore(Config config) {
    return Database.connect(config.projectId(), config.firestoreEmulatorHost());
  }

  /**
   * The FirebaseApp named after the project (reused when it exists). With an Auth emulator host,
   * firebase-admin accepts the emulator's unsigned tokens but still insists on a credential: a fake
   * one.
   */
  public static synchronized FirebaseApp firebaseApp(Config config) {
    String name = "atelier-" + config.projectId();
    for (FirebaseApp app : FirebaseApp.getApps()) {
      if (app.getName().equals(name)) {
        return app;
      }
    }
    // firebase-admin reads the variable itself; make it agree with our config record.
    config
        .authEmulatorHost()
        .ifPresent(host -> FirebaseProcessEnvironment.setenv("FIREBASE_AUTH_EMULATOR_HOST", host));
    FirebaseOptions options =
        FirebaseOptions.builder()
            .setProjectId(config.projectId())
            // The JDK's HttpURLConnection (its classes mostly in the JVM's shared archive) instead
            // of firebase-admin's default Apache HttpClient 5: ~420 fewer classes to load on a
            // cold start; we only verify tokens and look users up, nothing that needs HTTP/2.
            .setHttpTransport(new NetHttpTransport())
            .setCredentials(
                config.authEmulatorHost().isPresent() ? fakeCredentials() : applicationDefault())
            .build();
    return FirebaseApp.initializeApp(options, name);
  }

  private static GoogleCredentials fakeCredentials() {
    return GoogleCredentials.create(new AccessToken("owner", new Date(Long.MAX_VALUE / 2)));
  }

  private static GoogleCredentials applicationDefault() {
    try {
      return GoogleCredentials.getApplicationDefault();
    } catch (IOException e) {
      throw new UncheckedIOException("no application default credentials", e);
    }
  }
}
