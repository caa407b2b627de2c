package dev.atelier.provider.standin;

/**
 * Walks MPEG audio frame headers for tests; fails on anything that is not a valid MPEG-1 Layer III
 * frame.
 */
final class Mp3Frames {
  private static final int[] BITRATES_KBPS = {
    0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320
  };
  private static final int[] SAMPLE_RATES = {44100, 48000, 32000};

  private Mp3Frames() {}

  /** The number of frames; every byte of the file must belong to one. */
  static int count(byte[] file) {
    int at = 0;
    int frames = 0;
    while (at < file.length) {
      if (file.length - at < 4) {
        throw new AssertionError("trailing bytes after frame " + frames);
      }
      int b1 = file[at + 1] & 0xFF;
      int b2 = file[at + 2] & 0xFF;
      if ((file[at] & 0xFF) != 0xFF || (b1 & 0xE0) != 0xE0) {
        throw new AssertionError("no frame sync at " + at);
      }
      if (((b1 >> 3) & 3) != 3 || ((b1 >> 1) & 3) != 1) {
        throw new AssertionError("frame " + frames + " is not MPEG-1 Layer III");
      }
      int bitrateIndex = b2 >> 4;
      int rateIndex = (b2 >> 2) & 3;
      if (bitrateIndex == 0 || bitrateIndex == 15 || rateIndex == 3) {
        throw new AssertionError("frame " + frames + " has a reserved bitrate or sample rate");
      }
      int padding = (b2 >> 1) & 1;
      int length = 144 * BITRATES_KBPS[bitrateIndex] * 1000 / SAMPLE_RATES[rateIndex] + padding;
      if (at + length > file.length) {
        throw new AssertionError("frame " + frames + " is truncated");
      }
      at += length;
      frames++;
    }
    return frames;
  }

  static int sampleRate(byte[] file) {
    return SAMPLE_RATES[((file[2] & 0xFF) >> 2) & 3];
  }

  static int bitrateKbps(byte[] file) {
    return BITRATES_KBPS[(file[2] & 0xFF) >> 4];
  }
}
