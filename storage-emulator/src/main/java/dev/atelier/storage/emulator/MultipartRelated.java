package dev.atelier.storage.emulator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Splits a {@code multipart/related} body (uploadType=multipart: JSON metadata part, then the media
 * part).
 */
final class MultipartRelated {
  record Part(Map<String, String> headers, byte[] body) {
    String contentType() {
      return headers.get("content-type");
    }
  }

  private MultipartRelated() {}

  static List<Part> parse(String contentTypeHeader, byte[] body) {
    String boundary = boundary(contentTypeHeader);
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
    List<Part> parts = new ArrayList<>();
    int at = indexOf(body, delimiter, 0);
    if (at < 0) {
      throw GcsException.invalid("Multipart body has no boundary " + boundary);
    }
    while (true) {
      int afterDelimiter = at + delimiter.length;
      if (startsWith(body, afterDelimiter, "--")) {
        return parts;
      }
      int headersStart = skipLineBreak(body, afterDelimiter);
      int next = indexOf(body, delimiter, headersStart);
      if (next < 0) {
        throw GcsException.invalid("Multipart body is not terminated");
      }
      int partEnd = next;
      if (partEnd >= 2 && body[partEnd - 2] == '\r' && body[partEnd - 1] == '\n') {
        partEnd -= 2;
      } else if (partEnd >= 1 && body[partEnd - 1] == '\n') {
        partEnd -= 1;
      }
      parts.add(part(body, headersStart, partEnd));
      at = next;
    }
  }

  private static Part part(byte[] body, int start, int end) {
    Map<String, String> headers = new LinkedHashMap<>();
    int line = start;
    while (true) {
      int eol = indexOf(body, new byte[] {'\n'}, line);
      if (eol < 0 || eol > end) {
        throw GcsException.invalid("Multipart part has no header terminator");
      }
      String header = new String(body, line, eol - line, StandardCharsets.UTF_8).strip();
      line = eol + 1;
      if (header.isEmpty()) {
        return new Part(headers, Arrays.copyOfRange(body, line, Math.max(line, end)));
      }
      int colon = header.indexOf(':');
      if (colon > 0) {
        headers.put(
            header.substring(0, colon).strip().toLowerCase(Locale.ROOT),
            header.substring(colon + 1).strip());
      }
    }
  }

  private static String boundary(String contentType) {
    if (contentType != null) {
      for (String parameter : contentType.split(";")) {
        String trimmed = parameter.strip();
        if (trimmed.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
          String value = trimmed.substring("boundary=".length());
          return value.startsWith("\"") && value.endsWith("\"")
              ? value.substring(1, value.length() - 1)
              : value;
        }
      }
    }
    throw GcsException.invalid(
        "A multipart upload needs Content-Type multipart/related with a boundary");
  }

  private static int skipLineBreak(byte[] body, int at) {
    if (startsWith(body, at, "\r\n")) {
      return at + 2;
    }
    return startsWith(body, at, "\n") ? at + 1 : at;
  }

  private static boolean startsWith(byte[] body, int at, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    return at + bytes.length <= body.length
        && Arrays.equals(body, at, at + bytes.length, bytes, 0, bytes.length);
  }

  private static int indexOf(byte[] body, byte[] needle, int from) {
    outer:
    for (int i = from; i <= body.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (body[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
