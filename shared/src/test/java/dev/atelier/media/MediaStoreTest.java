package dev.atelier.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.gax.paging.Page;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.StorageException;
import dev.atelier.storage.emulator.StorageEmulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The production media code and the real google-cloud-storage client against the local storage
 * server.
 */
class MediaStoreTest {
  private static final String BUCKET = "atelier-test-media";
  private static final int SMALL_CHUNK = 256 * 1024;
  private static final List<String> requests = new CopyOnWriteArrayList<>();
  private static StorageEmulator emulator;
  private static Storage storage;
  private static MediaConfig config;

  @BeforeAll
  static void startServer() throws Exception {
    emulator = StorageEmulator.start(0, requests::add);
    config = new MediaConfig("atelier-test", BUCKET, Optional.of(emulator.baseUrl()));
    storage = MediaStorage.client(config);
  }

  @AfterAll
  static void stopServer() throws Exception {
    storage.close();
    emulator.close();
  }

  @BeforeEach
  void wipe() {
    emulator.reset();
    requests.clear();
  }

  @Test
  void smallUploadStoresBytesContentTypeAndMetadata() {
    byte[] png = randomBytes(10_000);
    MediaPath path = new MediaPath("u1", "h1", "m1", MediaFormat.PNG);

    UploadResult result =
        new MediaStore(storage, config).upload(path, png, Map.of("model", "flux", "uid", "u1"));

    assertInstanceOf(UploadResult.Uploaded.class, result);
    assertEquals("generations/u1/h1/m1.png", result.media().storagePath());
    Blob blob = storage.get(BlobId.of(BUCKET, "generations/u1/h1/m1.png"));
    assertEquals("image/png", blob.getContentType());
    String token = blob.getMetadata().get(MediaStore.DOWNLOAD_TOKENS);
    assertEquals(token, UUID.fromString(token).toString());
    assertEquals(
        Map.of("model", "flux", "uid", "u1", MediaStore.DOWNLOAD_TOKENS, token),
        blob.getMetadata());
    assertEquals(
        emulator.baseUrl()
            + "/v0/b/"
            + BUCKET
            + "/o/generations%2Fu1%2Fh1%2Fm1.png?alt=media&token="
            + token,
        result.media().url());
    assertEquals(Optional.of(token), result.media().downloadToken());
    assertEquals(png.length, blob.getSize());
    assertArrayEquals(png, storage.readAllBytes(blob.getBlobId()));
  }

  @Test
  void aDeferredStoreWaitsForItsClientThenUsesIt() throws Exception {
    CompletableFuture<Storage> building = new CompletableFuture<>();
    MediaStore store = MediaStore.deferred(building, config);
    MediaPath path = new MediaPath("u1", "h1", "m1", MediaFormat.PNG);
    ExecutorService caller = Executors.newSingleThreadExecutor();
    try {
      Future<UploadResult> upload =
          caller.submit(() -> store.upload(path, randomBytes(100), Map.of()));
      Thread.sleep(200);
      assertFalse(upload.isDone(), "the upload waits for the client");
      assertEquals(List.of(), requests);

      building.complete(storage);

      assertInstanceOf(UploadResult.Uploaded.class, upload.get(10, TimeUnit.SECONDS));
      assertNotNull(storage.get(BlobId.of(BUCKET, "generations/u1/h1/m1.png")));
    } finally {
      caller.shutdownNow();
    }
  }

  @Test
  void aDeferredStoreWhoseClientFailedToBuildFailsItsCallsWithThatFailure() {
    IllegalStateException failure = new IllegalStateException("no credentials");
    MediaStore store = MediaStore.deferred(CompletableFuture.failedFuture(failure), config);

    IllegalStateException thrown =
        assertThrows(IllegalStateException.class, () -> store.delete("generations/u1/h1/m1.png"));

    assertEquals(failure, thrown);
  }

  @Test
  void everyObjectGetsItsOwnTokenWhateverTheCallerPasses() {
    MediaStore store = new MediaStore(storage, config);
    Map<String, String> metadata = Map.of(MediaStore.DOWNLOAD_TOKENS, "guessable", "kind", "image");

    StoredMedia first =
        store
            .upload(new MediaPath("u1", "h1", "m1", MediaFormat.PNG), randomBytes(10), metadata)
            .media();
    StoredMedia second =
        store
            .upload(new MediaPath("u1", "h1", "m2", MediaFormat.PNG), randomBytes(10), metadata)
            .media();

    assertNotEquals("guessable", first.downloadToken().orElseThrow());
    assertNotEquals(first.downloadToken(), second.downloadToken());
    assertEquals("image", first.metadata().get("kind"));
  }

  @Test
  void largeUploadGoesUpInSeveralResumableChunks() {
    byte[] video = randomBytes(4 * SMALL_CHUNK + 12_345);
    MediaPath path = new MediaPath("u1", "h1", "m2", MediaFormat.MP4);

    UploadResult result =
        new MediaStore(storage, config, SMALL_CHUNK).upload(path, video, Map.of("kind", "video"));

    assertInstanceOf(UploadResult.Uploaded.class, result);
    long chunkPuts = requests.stream().filter(line -> line.startsWith("PUT /upload/")).count();
    assertTrue(
        chunkPuts >= 5, "expected one PUT per 256 KiB chunk, got " + chunkPuts + ": " + requests);
    Blob blob = storage.get(BlobId.of(BUCKET, "generations/u1/h1/m2.mp4"));
    assertEquals("video/mp4", blob.getContentType());
    assertEquals("video", blob.getMetadata().get("kind"));
    assertEquals(
        result.media().downloadToken().orElseThrow(),
        blob.getMetadata().get(MediaStore.DOWNLOAD_TOKENS));
    assertArrayEquals(video, storage.readAllBytes(blob.getBlobId()));
  }

  @Test
  void retriedUploadOfTheSameBytesWritesNothingNew() {
    MediaStore store = new MediaStore(storage, config);
    MediaPath path = new MediaPath("u1", "h1", "m1", MediaFormat.WEBP);
    byte[] image = randomBytes(2_000);
    UploadResult first = store.upload(path, image, Map.of());

    UploadResult retry = store.upload(path, image, Map.of());

    assertInstanceOf(UploadResult.AlreadyStored.class, retry);
    assertEquals(first.media().generation(), retry.media().generation());
    assertEquals(first.media().url(), retry.media().url());
    Blob blob = storage.get(BlobId.of(BUCKET, path.objectName()));
    assertEquals(first.media().generation(), blob.getGeneration());
    assertEquals(
        first.media().downloadToken().orElseThrow(),
        blob.getMetadata().get(MediaStore.DOWNLOAD_TOKENS));
  }

  @Test
  void anExistingObjectWithoutATokenGetsOneWhenAnUploadFindsIt() throws Exception {
    MediaPath path = new MediaPath("u1", "h1", "m1", MediaFormat.PNG);
    byte[] image = randomBytes(1_000);
    storage.create(
        BlobInfo.newBuilder(BUCKET, path.objectName())
            .setContentType("image/png")
            .setMetadata(Map.of("model", "flux"))
            .build(),
        image);

    UploadResult retry = new MediaStore(storage, config).upload(path, image, Map.of());

    assertInstanceOf(UploadResult.AlreadyStored.class, retry);
    Blob blob = storage.get(BlobId.of(BUCKET, path.objectName()));
    assertEquals(
        retry.media().downloadToken().orElseThrow(),
        blob.getMetadata().get(MediaStore.DOWNLOAD_TOKENS));
    assertEquals("flux", blob.getMetadata().get("model"));
    assertArrayEquals(image, open(retry.media().url()).body());
  }

  @Test
  void concurrentRetriesOfOneUploadWriteExactlyOneObject() throws Exception {
    MediaStore store = new MediaStore(storage, config);
    MediaPath path = new MediaPath("u1", "h1", "m1", MediaFormat.PNG);
    byte[] image = randomBytes(50_000);
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<UploadResult>> results = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      results.add(
          pool.submit(
              () -> {
                go.await();
                return store.upload(path, image, Map.of());
              }));
    }

    go.countDown();
    List<UploadResult> outcomes = new ArrayList<>();
    for (Future<UploadResult> result : results) {
      outcomes.add(result.get(30, TimeUnit.SECONDS));
    }
    pool.shutdown();

    assertEquals(
        1,
        outcomes.stream().filter(UploadResult.Uploaded.class::isInstance).count(),
        outcomes.toString());
    assertEquals(
        threads - 1,
        outcomes.stream().filter(UploadResult.AlreadyStored.class::isInstance).count());
    Blob blob = storage.get(BlobId.of(BUCKET, path.objectName()));
    assertTrue(
        outcomes.stream()
            .allMatch(outcome -> outcome.media().generation() == blob.getGeneration()));
    String token = blob.getMetadata().get(MediaStore.DOWNLOAD_TOKENS);
    assertTrue(
        outcomes.stream().allMatch(outcome -> outcome.media().url().endsWith("&token=" + token)),
        outcomes.toString());
  }

  @Test
  void differentBytesAtAnOccupiedPathAreAConflictAndLeaveTheOriginal() throws Exception {
    MediaStore store = new MediaStore(storage, config);
    MediaPath path = new MediaPath("u1", "h1", "m1", MediaFormat.JPEG);
    byte[] original = randomBytes(3_000);
    store.upload(path, original, Map.of());

    UploadResult second = store.upload(path, randomBytes(3_000), Map.of());

    assertInstanceOf(UploadResult.Conflict.class, second);
    assertArrayEquals(original, storage.readAllBytes(BlobId.of(BUCKET, path.objectName())));
    assertArrayEquals(original, open(second.media().url()).body());
  }

  @Test
  void createIfAbsentOnAnExistingObjectIs412() {
    BlobInfo info =
        BlobInfo.newBuilder(BUCKET, "generations/u1/h1/m1.png").setContentType("image/png").build();
    storage.create(info, randomBytes(100), BlobTargetOption.doesNotExist());

    StorageException failure =
        assertThrows(
            StorageException.class,
            () -> storage.create(info, randomBytes(100), BlobTargetOption.doesNotExist()));

    assertEquals(412, failure.getCode());
  }

  @Test
  void stalePreconditionOnAResumableUploadIs412AndKeepsTheObject() {
    MediaStore store = new MediaStore(storage, config, SMALL_CHUNK);
    MediaPath path = new MediaPath("u1", "h1", "m3", MediaFormat.MP4);
    byte[] original = randomBytes(2 * SMALL_CHUNK + 1);
    store.upload(path, original, Map.of());
    BlobInfo info = BlobInfo.newBuilder(BUCKET, path.objectName()).build();

    StorageException failure =
        assertThrows(
            StorageException.class,
            () ->
                storage.createFrom(
                    info,
                    new java.io.ByteArrayInputStream(randomBytes(2 * SMALL_CHUNK + 1)),
                    SMALL_CHUNK,
                    Storage.BlobWriteOption.generationMatch(1L)));

    assertEquals(412, failure.getCode());
    assertArrayEquals(original, storage.readAllBytes(BlobId.of(BUCKET, path.objectName())));
  }

  @Test
  void listingByPrefixPagesThroughOneHistoryItemsMedia() {
    MediaStore store = new MediaStore(storage, config);
    for (int i = 0; i < 5; i++) {
      store.upload(new MediaPath("u1", "h1", "m" + i, MediaFormat.PNG), randomBytes(10), Map.of());
    }
    store.upload(new MediaPath("u1", "h2", "m0", MediaFormat.PNG), randomBytes(10), Map.of());

    Page<Blob> firstPage =
        storage.list(
            BUCKET, BlobListOption.prefix("generations/u1/h1/"), BlobListOption.pageSize(2));

    assertEquals(2, StreamSupport.stream(firstPage.getValues().spliterator(), false).count());
    assertTrue(firstPage.hasNextPage());
    List<String> all =
        StreamSupport.stream(firstPage.iterateAll().spliterator(), false)
            .map(Blob::getName)
            .toList();
    assertEquals(
        List.of(
            "generations/u1/h1/m0.png",
            "generations/u1/h1/m1.png",
            "generations/u1/h1/m2.png",
            "generations/u1/h1/m3.png",
            "generations/u1/h1/m4.png"),
        all);
  }

  @Test
  void listingWithADelimiterFoldsHistoryItemsIntoPrefixes() {
    MediaStore store = new MediaStore(storage, config);
    store.upload(new MediaPath("u1", "h1", "m0", MediaFormat.PNG), randomBytes(10), Map.of());
    store.upload(new MediaPath("u1", "h1", "m1", MediaFormat.PNG), randomBytes(10), Map.of());
    store.upload(new MediaPath("u1", "h2", "m0", MediaFormat.PNG), randomBytes(10), Map.of());

    Page<Blob> page =
        storage.list(
            BUCKET, BlobListOption.prefix("generations/u1/"), BlobListOption.currentDirectory());

    List<String> names =
        StreamSupport.stream(page.iterateAll().spliterator(), false).map(Blob::getName).toList();
    assertEquals(List.of("generations/u1/h1/", "generations/u1/h2/"), names);
  }

  @Test
  void deleteRemovesTheObjectOnceAndItsUrlStopsWorking() throws Exception {
    MediaStore store = new MediaStore(storage, config);
    MediaPath path = new MediaPath("u1", "h1", "m1", MediaFormat.GIF);
    StoredMedia media = store.upload(path, randomBytes(10), Map.of()).media();
    MediaPath sibling = new MediaPath("u1", "h1", "m2", MediaFormat.GIF);
    store.upload(sibling, randomBytes(10), Map.of());

    assertTrue(store.delete(path.objectName()));

    assertNull(storage.get(BlobId.of(BUCKET, path.objectName())));
    assertFalse(store.delete(path.objectName()));
    assertEquals(404, open(media.url()).statusCode());
    assertNotNull(storage.get(BlobId.of(BUCKET, sibling.objectName())));
  }

  @Test
  void theDownloadUrlServesTheBytesWithTheirContentType() throws Exception {
    byte[] video = randomBytes(2 * SMALL_CHUNK + 7);
    UploadResult result =
        new MediaStore(storage, config, SMALL_CHUNK)
            .upload(new MediaPath("u1", "h1", "m1", MediaFormat.MP4), video, Map.of());

    HttpResponse<byte[]> response = open(result.media().url());

    assertEquals(200, response.statusCode());
    assertEquals("video/mp4", response.headers().firstValue("Content-Type").orElseThrow());
    assertEquals("*", response.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
    assertArrayEquals(video, response.body());
  }

  @Test
  void theDownloadUrlWithAnotherTokenOrNoneIs403() throws Exception {
    StoredMedia media =
        new MediaStore(storage, config)
            .upload(new MediaPath("u1", "h1", "m1", MediaFormat.PNG), randomBytes(100), Map.of())
            .media();
    String token = media.downloadToken().orElseThrow();

    HttpResponse<byte[]> wrongToken =
        open(media.url().replace(token, UUID.randomUUID().toString()));
    HttpResponse<byte[]> noToken = open(media.url().replace("&token=" + token, ""));

    assertEquals(403, wrongToken.statusCode());
    assertTrue(new String(wrongToken.body(), StandardCharsets.UTF_8).contains("\"code\":403"));
    assertEquals(403, noToken.statusCode());
    assertEquals(200, open(media.url()).statusCode());
  }

  private static HttpResponse<byte[]> open(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
  }

  private static byte[] randomBytes(int size) {
    byte[] bytes = new byte[size];
    new Random().nextBytes(bytes);
    return bytes;
  }
}
