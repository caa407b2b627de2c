package dev.atelier.provider.standin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The stand-in's media are real files: they decode or parse the way players read them. */
class StandInMediaTest {

  @Test
  void pngDecodesWithImageIoInTheAspectRatiosShapeAndDependsOnThePrompt() throws Exception {
    BufferedImage square = decode(MediaMaker.png("a fox", 0, AspectRatio.SQUARE));
    BufferedImage wide =
        decode(MediaMaker.png("a fox", 0, AspectRatio.parse("16:9").orElseThrow()));
    BufferedImage tall =
        decode(MediaMaker.png("a fox", 0, AspectRatio.parse("9:16").orElseThrow()));

    assertEquals(List.of(512, 512), List.of(square.getWidth(), square.getHeight()));
    assertEquals(List.of(512, 288), List.of(wide.getWidth(), wide.getHeight()));
    assertEquals(List.of(288, 512), List.of(tall.getWidth(), tall.getHeight()));
    assertArrayEquals(
        MediaMaker.png("a fox", 0, AspectRatio.SQUARE),
        MediaMaker.png("a fox", 0, AspectRatio.SQUARE),
        "deterministic");
    assertFalse(
        Arrays.equals(
            MediaMaker.png("a fox", 0, AspectRatio.SQUARE),
            MediaMaker.png("a wolf", 0, AspectRatio.SQUARE)));
  }

  @Test
  void mp4HasTheBoxesABrowserNeedsAndTheRequestedDuration() {
    byte[] file = MediaMaker.mp4("waves", 0, AspectRatio.SQUARE, 5);
    Mp4Boxes mp4 = Mp4Boxes.parse(file);

    assertEquals(
        List.of("ftyp", "moov", "mdat"),
        mp4.top().stream().map(Mp4Boxes.Box::type).toList(),
        "moov before mdat, so playback can start early");
    assertEquals("isom", new String(file, 8, 4));
    mp4.require("moov/mvhd");
    mp4.require("moov/trak/tkhd");
    assertEquals("vide", new String(file, mp4.require("moov/trak/mdia/hdlr").start() + 8, 4));
    mp4.require("moov/trak/mdia/minf/vmhd");
    mp4.require("moov/trak/mdia/minf/stbl/stsd/avc1/avcC");
    assertEquals(5.0, mp4.durationSeconds(), 1e-9);

    List<Integer> sizes = mp4.sampleSizes();
    List<int[]> stts = mp4.timeToSample();
    int sttsCount = stts.stream().mapToInt(e -> e[0]).sum();
    long sttsDuration = stts.stream().mapToLong(e -> (long) e[0] * e[1]).sum();
    assertEquals(5 * MediaMaker.VIDEO_FPS, sizes.size());
    assertEquals(sizes.size(), sttsCount, "stts and stsz count the same samples");
    assertEquals(5.0, sttsDuration / (double) mp4.timescale(), 1e-9);
    Mp4Boxes.Box mdat = mp4.require("mdat");
    assertEquals(
        mdat.size(),
        sizes.stream().mapToInt(Integer::intValue).sum(),
        "mdat holds exactly the samples");
    assertEquals(
        mdat.start(),
        ByteBuffer.wrap(file).getInt(mp4.require("moov/trak/mdia/minf/stbl/stco").start() + 8),
        "stco points at the first sample");
  }

  @Test
  void mp4LengthFollowsTheDurationAndItsShapeTheAspectRatio() {
    Mp4Boxes threeSeconds = Mp4Boxes.parse(MediaMaker.mp4("x", 0, AspectRatio.SQUARE, 3));
    Mp4Boxes wide =
        Mp4Boxes.parse(MediaMaker.mp4("x", 0, AspectRatio.parse("16:9").orElseThrow(), 1));
    ByteBuffer avc1 = wide.payload("moov/trak/mdia/minf/stbl/stsd/avc1");

    assertEquals(3.0, threeSeconds.durationSeconds(), 1e-9);
    assertEquals(3 * MediaMaker.VIDEO_FPS, threeSeconds.sampleSizes().size());
    assertEquals(112, Short.toUnsignedInt(avc1.getShort(24)));
    assertEquals(64, Short.toUnsignedInt(avc1.getShort(26)));
    assertEquals(List.of(112, 64), spsSize(wide));
  }

  @Test
  void theH264StreamIsConstrainedBaselineWithIdrKeyFramesOfIpcmMacroblocks() {
    Mp4Boxes mp4 = Mp4Boxes.parse(MediaMaker.mp4("waves", 0, AspectRatio.SQUARE, 2));
    ByteBuffer avcC = mp4.payload("moov/trak/mdia/minf/stbl/stsd/avc1/avcC");

    assertEquals(1, avcC.get(0), "configurationVersion");
    assertEquals(66, avcC.get(1), "Baseline profile");
    assertEquals((byte) 0xC0, avcC.get(2), "constraint_set0 and set1: Constrained Baseline");
    assertEquals(3, avcC.get(4) & 3, "4-byte NAL lengths");
    assertEquals(List.of(64, 64), spsSize(mp4));

    List<byte[]> samples = mp4.samples();
    List<Integer> sync = mp4.syncSamples();
    assertEquals(List.of(1, 1 + MediaMaker.VIDEO_FPS), sync, "a key frame every second");
    for (int i = 0; i < samples.size(); i++) {
      List<byte[]> nals = nalUnits(samples.get(i));
      assertEquals(1, nals.size(), "one slice per sample");
      int type = nals.get(0)[0] & 0x1F;
      assertEquals(sync.contains(i + 1) ? 5 : 1, type, "sample " + (i + 1) + " NAL type");
    }
    // Parse the first IDR slice as a decoder would: every macroblock I_PCM, then the stop bit.
    BitReader slice = new BitReader(unescape(nalUnits(samples.get(0)).get(0)), 1);
    assertEquals(0, slice.ue(), "first_mb_in_slice");
    assertEquals(7, slice.ue(), "slice_type I");
    assertEquals(0, slice.ue(), "pic_parameter_set_id");
    assertEquals(0, slice.u(4), "frame_num");
    assertEquals(0, slice.ue(), "idr_pic_id");
    assertEquals(0, slice.u(2), "dec_ref_pic_marking flags");
    assertEquals(0, slice.se(), "slice_qp_delta");
    for (int mb = 0; mb < 16; mb++) {
      assertEquals(25, slice.ue(), "mb_type I_PCM, macroblock " + mb);
      slice.align();
      for (int s = 0; s < 384; s++) {
        int sample = slice.u(8);
        assertTrue(sample >= 16 && sample <= 240, "studio-range sample " + sample);
      }
    }
    assertEquals(1, slice.u(1), "rbsp_stop_one_bit");
    slice.align();
    assertTrue(slice.atEnd(), "nothing after the slice");
    // And a repeated picture: a P slice whose 16 macroblocks are all skipped.
    BitReader p = new BitReader(unescape(nalUnits(samples.get(1)).get(0)), 1);
    assertEquals(List.of(0, 5, 0, 1), List.of(p.ue(), p.ue(), p.ue(), p.u(4)));
    assertEquals(0, p.u(3), "no override, no list modification, sliding window");
    assertEquals(0, p.se());
    assertEquals(16, p.ue(), "mb_skip_run covers the picture");
    assertEquals(1, p.u(1));
  }

  @Test
  void mp3IsValidMpeg1LayerIiiFramesCoveringTheDuration() {
    for (int seconds : new int[] {1, 5, 30}) {
      byte[] mp3 = MediaMaker.mp3(seconds);
      int frames = Mp3Frames.count(mp3);

      assertEquals((int) Math.ceil(seconds * 44100.0 / 1152), frames, seconds + " s");
      double covered = frames * 1152.0 / 44100;
      assertTrue(
          covered >= seconds && covered < seconds + 1152.0 / 44100,
          "covers " + seconds + " s: " + covered);
      assertEquals(44100, Mp3Frames.sampleRate(mp3));
      assertEquals(32, Mp3Frames.bitrateKbps(mp3));
      // Constant bit rate: players estimate the duration from the size.
      assertEquals(32000.0 / 8 * covered, mp3.length, 105);
    }
  }

  private static BufferedImage decode(byte[] png) throws Exception {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertNotNull(image, "ImageIO decodes it");
    return image;
  }

  /** Width and height from the SPS in avcC, read bit by bit. */
  private static List<Integer> spsSize(Mp4Boxes mp4) {
    ByteBuffer avcC = mp4.payload("moov/trak/mdia/minf/stbl/stsd/avc1/avcC");
    assertEquals(1, avcC.get(5) & 0x1F, "one SPS");
    int spsLength = Short.toUnsignedInt(avcC.getShort(6));
    byte[] sps = new byte[spsLength];
    avcC.get(8, sps);
    assertEquals(7, sps[0] & 0x1F, "NAL type SPS");
    BitReader r = new BitReader(unescape(sps), 1);
    assertEquals(66, r.u(8));
    r.u(8);
    r.u(8);
    r.ue(); // seq_parameter_set_id
    r.ue(); // log2_max_frame_num_minus4
    assertEquals(2, r.ue(), "pic_order_cnt_type");
    r.ue(); // max_num_ref_frames
    r.u(1);
    int width = (r.ue() + 1) * 16;
    int height = (r.ue() + 1) * 16;
    assertEquals(1, r.u(1), "frame_mbs_only_flag");
    return List.of(width, height);
  }

  private static List<byte[]> nalUnits(byte[] sample) {
    List<byte[]> out = new ArrayList<>();
    ByteBuffer b = ByteBuffer.wrap(sample);
    while (b.hasRemaining()) {
      int length = b.getInt();
      byte[] nal = new byte[length];
      b.get(nal);
      out.add(nal);
    }
    return out;
  }

  /** Drops emulation prevention bytes (00 00 03 → 00 00). */
  private static byte[] unescape(byte[] nal) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int zeros = 0;
    for (byte b : nal) {
      int v = b & 0xFF;
      if (zeros >= 2 && v == 3) {
        zeros = 0;
        continue;
      }
      out.write(v);
      zeros = v == 0 ? zeros + 1 : 0;
    }
    return out.toByteArray();
  }

  private static final class BitReader {
    private final byte[] data;
    private long bit;

    BitReader(byte[] data, int skipBytes) {
      this.data = data;
      this.bit = skipBytes * 8L;
    }

    int u(int n) {
      int v = 0;
      for (int i = 0; i < n; i++) {
        if (bit >= data.length * 8L) {
          throw new AssertionError("read past the end");
        }
        v = (v << 1) | ((data[(int) (bit >> 3)] >> (7 - (bit & 7))) & 1);
        bit++;
      }
      return v;
    }

    int ue() {
      int zeros = 0;
      while (u(1) == 0) {
        zeros++;
      }
      return (1 << zeros) - 1 + u(zeros);
    }

    int se() {
      int k = ue();
      return (k & 1) == 1 ? (k + 1) / 2 : -(k / 2);
    }

    void align() {
      while ((bit & 7) != 0) {
        assertEquals(0, u(1), "alignment bits are zero");
      }
    }

    boolean atEnd() {
      return bit == data.length * 8L;
    }
  }
}
