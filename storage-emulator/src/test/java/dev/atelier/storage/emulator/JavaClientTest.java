package dev.atelier.storage.emulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.cloud.NoCredentials;
import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.StorageOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Client calls beyond uploads that code might reasonably make: buckets, metadata updates, ranged
 * reads.
 */
class JavaClientTest {
  private static StorageEmulator emulator;
  private static Storage storage;

  @BeforeAll
  static void start() throws Exception {
    emulator = StorageEmulator.start(0);
    storage =
        StorageOptions.newBuilder()
            .setHost(emulator.baseUrl())
            .setProjectId("atelier-test")
            .setCredentials(NoCredentials.getInstance())
            .build()
            .getService();
  }

  @AfterAll
  static void stop() throws Exception {
    storage.close();
    emulator.close();
  }

  @BeforeEach
  void wipe() {
    emulator.reset();
  }

  @Test
  void bucketCreatedByTheClientCanBeFetchedAndNotCreatedTwice() {
    storage.create(BucketInfo.of("media"));

    assertEquals("media", storage.get("media").getName());
    assertNull(storage.get("other"));
    StorageException duplicate =
        assertThrows(StorageException.class, () -> storage.create(BucketInfo.of("media")));
    assertEquals(409, duplicate.getCode());
  }

  @Test
  void anEnsuredBucketListsEmptyBeforeAnyUpload() {
    emulator.ensureBucket("media");

    assertEquals(false, storage.list("media").iterateAll().iterator().hasNext());
    StorageException missing = assertThrows(StorageException.class, () -> storage.list("other"));
    assertEquals(404, missing.getCode());
  }

  @Test
  void metadataUpdateBumpsTheMetagenerationAndHonoursItsPrecondition() {
    Blob blob =
        storage.create(
            BlobInfo.newBuilder("media", "a.png").setMetadata(Map.of("k", "1")).build(),
            new byte[] {1});

    Blob updated =
        storage.update(
            blob.toBuilder().setMetadata(Map.of("k", "2")).build(),
            Storage.BlobTargetOption.metagenerationMatch());

    assertEquals(Map.of("k", "2"), updated.getMetadata());
    assertEquals(2L, updated.getMetageneration());
    StorageException stale =
        assertThrows(
            StorageException.class,
            () ->
                storage.update(
                    blob.toBuilder().setMetadata(Map.of("k", "3")).build(),
                    Storage.BlobTargetOption.metagenerationMatch()));
    assertEquals(412, stale.getCode());
  }

  @Test
  void readerSeeksWithRangeRequests() throws Exception {
    storage.create(
        BlobInfo.newBuilder("media", "r.txt").build(),
        "0123456789".getBytes(StandardCharsets.UTF_8));

    ByteBuffer buffer = ByteBuffer.allocate(4);
    try (ReadChannel reader = storage.reader(BlobId.of("media", "r.txt"))) {
      reader.seek(6);
      while (buffer.hasRemaining() && reader.read(buffer) >= 0) {
        // fill
      }
    }

    assertEquals("6789", new String(buffer.array(), StandardCharsets.UTF_8));
  }

  @Test
  void emptyObjectRoundTrips() {
    storage.create(
        BlobInfo.newBuilder("media", "empty").setContentType("text/plain").build(), new byte[0]);

    assertArrayEquals(new byte[0], storage.readAllBytes(BlobId.of("media", "empty")));
    assertNotNull(storage.get(BlobId.of("media", "empty")));
  }
}
