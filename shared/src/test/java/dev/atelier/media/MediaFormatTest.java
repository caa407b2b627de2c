package dev.atelier.media;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MediaFormatTest {
  @Test
  void eachFormatIsRecognisedByItsMagicNumber() {
    assertSniffed(
        MediaFormat.PNG, bytes(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D));
    assertSniffed(MediaFormat.JPEG, bytes(0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F'));
    assertSniffed(MediaFormat.GIF, ascii("GIF89a\u0001\u0000"));
    assertSniffed(MediaFormat.GIF, ascii("GIF87a\u0001\u0000"));
    assertSniffed(MediaFormat.WEBP, ascii("RIFF\u0024\u0000\u0000\u0000WEBPVP8 "));
    assertSniffed(MediaFormat.WAV, ascii("RIFF\u0024\u0000\u0000\u0000WAVEfmt "));
    assertSniffed(MediaFormat.MP4, ascii("\u0000\u0000\u0000\u0020ftypisom"));
    assertSniffed(MediaFormat.WEBM, bytes(0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81));
    assertSniffed(MediaFormat.MP3, ascii("ID3\u0004\u0000\u0000\u0000\u0000\u0000\u0000"));
    assertSniffed(
        MediaFormat.MP3, bytes(0xFF, 0xFB, 0x90, 0x64)); // MPEG-1 layer III, 128 kbit/s, 44.1 kHz
  }

  @Test
  void lookalikesAndShortInputAreNotMedia() {
    assertEquals(Optional.empty(), MediaFormat.sniff(ascii("<!doctype html><html>")));
    assertEquals(
        Optional.empty(), MediaFormat.sniff(ascii("RIFF\u0024\u0000\u0000\u0000AVI LIST")));
    assertEquals(
        Optional.empty(),
        MediaFormat.sniff(bytes(0xFF, 0xF1, 0x50, 0x80))); // AAC ADTS: layer bits 00
    assertEquals(
        Optional.empty(), MediaFormat.sniff(bytes(0xFF, 0xFB, 0xF0, 0x64))); // bad bitrate index
    assertEquals(Optional.empty(), MediaFormat.sniff(bytes(0x89, 'P', 'N', 'G')));
    assertEquals(Optional.empty(), MediaFormat.sniff(new byte[0]));
  }

  @Test
  void contentTypesMatchIgnoringCaseParametersAndCommonAliases() {
    assertEquals(
        Optional.of(MediaFormat.PNG), MediaFormat.ofContentType("Image/PNG; charset=binary"));
    assertEquals(Optional.of(MediaFormat.WAV), MediaFormat.ofContentType("audio/x-wav"));
    assertEquals(Optional.of(MediaFormat.MP3), MediaFormat.ofContentType("audio/mp3"));
    assertEquals(Optional.empty(), MediaFormat.ofContentType("application/octet-stream"));
    assertEquals(Optional.empty(), MediaFormat.ofContentType(null));
  }

  private static void assertSniffed(MediaFormat expected, byte[] head) {
    assertEquals(Optional.of(expected), MediaFormat.sniff(head));
  }

  private static byte[] bytes(int... values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) values[i];
    }
    return bytes;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }
}
