package dev.atelier.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.atelier.platform.Config;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MediaConfigTest {
  private static final Config PLATFORM = Config.from(Map.of("GOOGLE_CLOUD_PROJECT", "atelier-local"));

  @Test
  void emulatorHostWithoutSchemeBecomesAnHttpUrl() {
    MediaConfig config = MediaConfig.from(PLATFORM,
        Map.of("MEDIA_BUCKET", "media", "STORAGE_EMULATOR_HOST", "127.0.0.1:9199"));

    assertEquals(Optional.of("http://127.0.0.1:9199"), config.storageEmulatorHost());
    assertEquals("http://127.0.0.1:9199/media/generations/u/h/m.png", new MediaStore(null, config)
        .publicUrl("generations/u/h/m.png"));
  }

  @Test
  void withoutAnEmulatorHostUrlsPointAtGcs() {
    MediaConfig config = MediaConfig.from(PLATFORM, Map.of("MEDIA_BUCKET", "media"));

    assertEquals(Optional.empty(), config.storageEmulatorHost());
    assertEquals("https://storage.googleapis.com/media/generations/u/h/m.png",
        new MediaStore(null, config).publicUrl("generations/u/h/m.png"));
  }

  @Test
  void aMissingBucketIsRefusedAtStartup() {
    assertThrows(IllegalStateException.class, () -> MediaConfig.from(PLATFORM, Map.of()));
  }

  @Test
  void mediaPathRefusesIdsThatWouldEscapeTheirFolder() {
    assertThrows(IllegalArgumentException.class, () -> new MediaPath("u1", "../h", "m1", MediaFormat.PNG));
  }
}
