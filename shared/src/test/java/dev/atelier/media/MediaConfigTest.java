package dev.atelier.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.atelier.platform.Config;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MediaConfigTest {
  private static final Config PLATFORM =
      Config.from(Map.of("GOOGLE_CLOUD_PROJECT", "atelier-local"));

  @Test
  void emulatorHostWithoutSchemeBecomesAnHttpUrl() {
    MediaConfig config =
        MediaConfig.from(
            PLATFORM, Map.of("MEDIA_BUCKET", "media", "STORAGE_EMULATOR_HOST", "127.0.0.1:9199"));

    assertEquals(Optional.of("http://127.0.0.1:9199"), config.storageEmulatorHost());
    assertEquals(
        "http://127.0.0.1:9199/v0/b/media/o/generations%2Fu%2Fh%2Fm.png?alt=media&token=t-1",
        new MediaStore(null, config).downloadUrl("generations/u/h/m.png", "t-1"));
  }

  @Test
  void withoutAnEmulatorHostUrlsAreFirebaseDownloadUrls() {
    MediaConfig config = MediaConfig.from(PLATFORM, Map.of("MEDIA_BUCKET", "media"));

    assertEquals(Optional.empty(), config.storageEmulatorHost());
    assertEquals(
        "https://firebasestorage.googleapis.com/v0/b/media/o/generations%2Fu%2Fh%2Fm.png"
            + "?alt=media&token=0b0e3a4c-52a4-4d4e-9d59-1b2d3c4e5f60",
        new MediaStore(null, config)
            .downloadUrl("generations/u/h/m.png", "0b0e3a4c-52a4-4d4e-9d59-1b2d3c4e5f60"));
  }

  @Test
  void aMissingBucketIsRefusedAtStartup() {
    assertThrows(IllegalStateException.class, () -> MediaConfig.from(PLATFORM, Map.of()));
  }

  @Test
  void mediaPathRefusesIdsThatWouldEscapeTheirFolder() {
    assertThrows(
        IllegalArgumentException.class, () -> new MediaPath("u1", "../h", "m1", MediaFormat.PNG));
  }
}
