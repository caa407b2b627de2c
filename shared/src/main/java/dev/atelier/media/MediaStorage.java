package dev.atelier.media;

import com.google.cloud.NoCredentials;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;

/** Builds the Storage client once per instance. */
public final class MediaStorage {
  private MediaStorage() {}

  /**
   * With an emulator host: that URL and no credentials; otherwise GCS with application default
   * credentials.
   */
  public static Storage client(MediaConfig config) {
    StorageOptions.Builder builder = StorageOptions.newBuilder().setProjectId(config.projectId());
    config
        .storageEmulatorHost()
        .ifPresent(host -> builder.setHost(host).setCredentials(NoCredentials.getInstance()));
    return builder.build().getService();
  }
}
