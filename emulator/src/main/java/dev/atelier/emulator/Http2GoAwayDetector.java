package dev.atelier.emulator;

/**
 * Watches the client-to-server bytes of an HTTP/2 connection (after the first bytes of the preface)
 * for a GOAWAY frame: the client is shutting its channel down.
 */
final class Http2GoAwayDetector {
  private static final int GOAWAY = 0x7;
  private static final int FRAME_HEADER = 9;

  private long toSkip;
  private final byte[] header = new byte[FRAME_HEADER];
  private int headerFill;
  private boolean seen;

  /**
   * @param prefaceRemaining preface bytes still to come before the first frame
   */
  Http2GoAwayDetector(int prefaceRemaining) {
    this.toSkip = prefaceRemaining;
  }

  /** Feeds bytes; true once a GOAWAY frame header has been seen. */
  boolean feed(byte[] buffer, int offset, int length) {
    int i = offset;
    int end = offset + length;
    while (i < end && !seen) {
      if (toSkip > 0) {
        int skip = (int) Math.min(toSkip, end - i);
        toSkip -= skip;
        i += skip;
        continue;
      }
      header[headerFill++] = buffer[i++];
      if (headerFill == FRAME_HEADER) {
        headerFill = 0;
        toSkip = ((header[0] & 0xffL) << 16) | ((header[1] & 0xffL) << 8) | (header[2] & 0xffL);
        seen = (header[3] & 0xff) == GOAWAY;
      }
    }
    return seen;
  }
}
