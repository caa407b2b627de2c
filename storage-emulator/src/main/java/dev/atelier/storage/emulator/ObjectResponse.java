package dev.atelier.storage.emulator;

import com.sun.net.httpserver.Headers;
import java.io.IOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;

/**
 * An object's bytes as both download endpoints serve them: validators, a single Range, HEAD without
 * a body.
 */
final class ObjectResponse {
  private ObjectResponse() {}

  static void send(Request request, StoredObject object) throws IOException {
    Headers headers = request.responseHeaders();
    headers.set("ETag", "\"" + object.etag() + "\"");
    headers.set(
        "Last-Modified",
        DateTimeFormatter.RFC_1123_DATE_TIME.format(object.updated().atOffset(ZoneOffset.UTC)));
    headers.set("Accept-Ranges", "bytes");
    if (object.attributes().cacheControl() != null) {
      headers.set("Cache-Control", object.attributes().cacheControl());
    }
    if (object.attributes().contentDisposition() != null) {
      headers.set("Content-Disposition", object.attributes().contentDisposition());
    }
    ByteRange range;
    try {
      range = ByteRange.parse(request.header("Range"), object.size());
    } catch (GcsException unsatisfiable) {
      headers.set("Content-Range", "bytes */" + object.size());
      throw unsatisfiable;
    }
    if (range.partial()) {
      headers.set(
          "Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + object.size());
    }
    byte[] slice =
        Arrays.copyOfRange(object.content(), (int) range.first(), (int) range.last() + 1);
    request.send(range.partial() ? 206 : 200, object.attributes().contentType(), slice);
  }
}
