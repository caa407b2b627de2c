package dev.atelier.provider.standin;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/**
 * Real media for the stand-in's outputs, made on demand and deterministic: the same prompt, output
 * number and parameters always give the same bytes. Pictures depend on the prompt (colours) and the
 * output number.
 */
final class MediaMaker {
  /**
   * Frames per second of the stand-in's videos; the picture changes once a second (at each IDR
   * picture).
   */
  static final int VIDEO_FPS = 8;

  static final int VIDEO_TIMESCALE = 1000;
  static final int MP3_SAMPLE_RATE = 44100;
  static final int MP3_SAMPLES_PER_FRAME = 1152;
  static final int MP3_BITRATE = 32000;
  private static final int IMAGE_LONG_SIDE = 512;

  /** Short side of a video, in 16-pixel macroblocks (64 px). */
  private static final int VIDEO_SHORT_SIDE_MBS = 4;

  private static final int VIDEO_MAX_SIDE_MBS = 16;

  private MediaMaker() {}

  /**
   * A PNG of the aspect ratio's shape (long side 512 px): a gradient in the prompt's colours and a
   * disc.
   */
  static byte[] png(String prompt, int index, AspectRatio aspect) {
    int width =
        aspect.width() >= aspect.height()
            ? IMAGE_LONG_SIDE
            : Math.max(1, IMAGE_LONG_SIDE * aspect.width() / aspect.height());
    int height =
        aspect.height() >= aspect.width()
            ? IMAGE_LONG_SIDE
            : Math.max(1, IMAGE_LONG_SIDE * aspect.height() / aspect.width());
    Palette palette = Palette.of(prompt, index);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, palette.pixel(x, y, width, height, 0));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, "png", out)) {
        throw new IllegalStateException("no PNG writer in this JRE");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The frame size of a video of this aspect ratio: 64 px on the short side, multiples of 16. */
  static int[] videoSize(AspectRatio aspect) {
    int w = aspect.width();
    int h = aspect.height();
    int longMbs =
        (int)
            Math.max(
                1,
                Math.min(
                    VIDEO_MAX_SIDE_MBS,
                    Math.round(VIDEO_SHORT_SIDE_MBS * (double) Math.max(w, h) / Math.min(w, h))));
    return w >= h
        ? new int[] {longMbs * 16, VIDEO_SHORT_SIDE_MBS * 16}
        : new int[] {VIDEO_SHORT_SIDE_MBS * 16, longMbs * 16};
  }

  /** Frames in a video of {@code seconds}. */
  static int videoFrames(double seconds) {
    return (int) Math.max(1, Math.round(seconds * VIDEO_FPS));
  }

  /**
   * An H.264 MP4 of {@code seconds}: a bar sweeps across the prompt's gradient, one step a second.
   */
  static byte[] mp4(String prompt, int index, AspectRatio aspect, double seconds) {
    int[] size = videoSize(aspect);
    int width = size[0];
    int height = size[1];
    H264 encoder = new H264(width, height);
    Palette palette = Palette.of(prompt, index);
    int frames = videoFrames(seconds);
    int secondsTotal = (frames + VIDEO_FPS - 1) / VIDEO_FPS;
    List<Mp4Muxer.Sample> samples = new ArrayList<>(frames);
    int idrCount = 0;
    for (int frame = 0; frame < frames; frame++) {
      if (frame % VIDEO_FPS == 0) {
        double progress =
            secondsTotal <= 1 ? 0.5 : (frame / VIDEO_FPS) / (double) (secondsTotal - 1);
        byte[][] yuv = yuvFrame(palette, width, height, progress);
        samples.add(
            new Mp4Muxer.Sample(
                Mp4Muxer.lengthPrefixed(encoder.idr(yuv[0], yuv[1], yuv[2], idrCount % 2)), true));
        idrCount++;
      } else {
        samples.add(
            new Mp4Muxer.Sample(Mp4Muxer.lengthPrefixed(encoder.repeat(frame % VIDEO_FPS)), false));
      }
    }
    return Mp4Muxer.mux(
        width,
        height,
        encoder.sps(),
        encoder.pps(),
        samples,
        VIDEO_TIMESCALE,
        VIDEO_TIMESCALE / VIDEO_FPS);
  }

  /** MP3 frames in a clip of {@code seconds}: enough to cover it. */
  static int mp3Frames(double seconds) {
    return (int) Math.max(1, Math.ceil(seconds * MP3_SAMPLE_RATE / MP3_SAMPLES_PER_FRAME));
  }

  /**
   * Silence as MPEG-1 Layer III, 44.1 kHz mono, constant 32 kbit/s: each frame a header, empty side
   * information (no Huffman data, so every sample decodes to zero) and zero padding up to its size
   * (104 or 105 bytes, the padding bit keeping the average rate exact).
   */
  static byte[] mp3(double seconds) {
    int frames = mp3Frames(seconds);
    ByteArrayOutputStream out = new ByteArrayOutputStream(frames * 105);
    long slotsPerFrameTimesRate =
        144L * MP3_BITRATE; // frame bytes = 144 × bitrate / sample rate (+ padding)
    long previousEnd = 0;
    for (int i = 0; i < frames; i++) {
      long end = (i + 1) * slotsPerFrameTimesRate / MP3_SAMPLE_RATE;
      int size = (int) (end - previousEnd);
      previousEnd = end;
      int padding = size - (int) (slotsPerFrameTimesRate / MP3_SAMPLE_RATE);
      byte[] frame = new byte[size];
      frame[0] = (byte) 0xFF;
      frame[1] = (byte) 0xFB; // sync, MPEG-1, Layer III, no CRC
      frame[2] =
          (byte) (0x10 | (padding << 1)); // bitrate index 1 (32 kbit/s), 44.1 kHz, padding bit
      frame[3] = (byte) 0xC4; // mono, original
      out.writeBytes(frame);
    }
    return out.toByteArray();
  }

  /**
   * Y, Cb, Cr planes (4:2:0, BT.601 studio range) of one picture; {@code progress} places the bar.
   */
  private static byte[][] yuvFrame(Palette palette, int width, int height, double progress) {
    int[] rgb = new int[width * height];
    int barX = (int) Math.round(progress * (width - 8));
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        boolean bar = x >= barX && x < barX + 8;
        rgb[y * width + x] = bar ? 0xF0F0F0 : palette.pixel(x, y, width, height, progress);
      }
    }
    byte[] yPlane = new byte[width * height];
    byte[] cb = new byte[width * height / 4];
    byte[] cr = new byte[width * height / 4];
    for (int i = 0; i < rgb.length; i++) {
      yPlane[i] = (byte) luma(rgb[i]);
    }
    for (int y = 0; y < height / 2; y++) {
      for (int x = 0; x < width / 2; x++) {
        int r = 0;
        int g = 0;
        int b = 0;
        for (int dy = 0; dy < 2; dy++) {
          for (int dx = 0; dx < 2; dx++) {
            int p = rgb[(2 * y + dy) * width + 2 * x + dx];
            r += (p >> 16) & 0xFF;
            g += (p >> 8) & 0xFF;
            b += p & 0xFF;
          }
        }
        r /= 4;
        g /= 4;
        b /= 4;
        cb[y * (width / 2) + x] =
            (byte) clamp(128 + (-37.797 * r - 74.203 * g + 112.0 * b) / 255, 16, 240);
        cr[y * (width / 2) + x] =
            (byte) clamp(128 + (112.0 * r - 93.786 * g - 18.214 * b) / 255, 16, 240);
      }
    }
    return new byte[][] {yPlane, cb, cr};
  }

  private static int luma(int p) {
    int r = (p >> 16) & 0xFF;
    int g = (p >> 8) & 0xFF;
    int b = p & 0xFF;
    return clamp(16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255, 16, 235);
  }

  private static int clamp(double v, int lo, int hi) {
    return (int) Math.max(lo, Math.min(hi, Math.round(v)));
  }

  /** Two colours and a disc position picked by the prompt and the output number. */
  private record Palette(float hueA, float hueB, double discX, double discY) {
    static Palette of(String prompt, int index) {
      CRC32 crc = new CRC32();
      crc.update(prompt.getBytes(StandardCharsets.UTF_8));
      long h = crc.getValue();
      float hue = (h & 0xFFF) / 4096f + index * 0.13f;
      return new Palette(
          hue,
          hue + 0.25f + ((h >> 12) & 0xFF) / 1024f,
          0.25 + ((h >> 20) & 0xFF) / 512.0,
          0.25 + ((h >> 28) & 0xF) / 32.0);
    }

    /**
     * The colour at pixel (px, py) of a width×height picture; {@code shift} moves the hues a
     * little.
     */
    int pixel(int px, int py, int width, int height, double shift) {
      double x = px / (double) width;
      double y = py / (double) height;
      // A round disc whatever the shape: distances in units of the short side.
      double shortSide = Math.min(width, height);
      double dx = (x - discX) * width / shortSide;
      double dy = (y - discY) * height / shortSide;
      if (dx * dx + dy * dy < 0.04) {
        return java.awt.Color.HSBtoRGB(hueB + 0.5f, 0.6f, 0.95f) & 0xFFFFFF;
      }
      float t = (float) ((x + y) / 2);
      float hue = hueA + (hueB - hueA) * t + (float) shift * 0.1f;
      return java.awt.Color.HSBtoRGB(hue, 0.7f, 0.5f + 0.4f * (1 - t)) & 0xFFFFFF;
    }
  }
}
