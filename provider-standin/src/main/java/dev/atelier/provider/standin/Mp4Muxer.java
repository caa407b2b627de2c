package dev.atelier.provider.standin;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One H.264 track in an ISO base media file ({@code ftyp}, {@code moov}, {@code mdat}, in that
 * order so a browser can start playing before the end arrives). Samples are AVC access units with
 * 4-byte NAL lengths.
 */
final class Mp4Muxer {
  private static final int MOVIE_TIMESCALE = 1000;

  /** One access unit: its length-prefixed NAL units and whether it starts with an IDR picture. */
  record Sample(byte[] data, boolean sync) {}

  private Mp4Muxer() {}

  /**
   * @param timescale media time units per second
   * @param sampleDelta each sample's duration in {@code timescale} units (constant frame rate)
   */
  static byte[] mux(
      int width,
      int height,
      byte[] sps,
      byte[] pps,
      List<Sample> samples,
      int timescale,
      int sampleDelta) {
    long mediaDuration = (long) samples.size() * sampleDelta;
    long movieDuration = mediaDuration * MOVIE_TIMESCALE / timescale;
    byte[] ftyp =
        box(
            "ftyp",
            ascii("isom"),
            u32(0x200),
            ascii("isom"),
            ascii("iso2"),
            ascii("avc1"),
            ascii("mp41"));
    // stco holds an absolute offset, so build moov once to learn its size (the offset's width never
    // changes).
    byte[] moov =
        moov(
            width,
            height,
            sps,
            pps,
            samples,
            timescale,
            sampleDelta,
            mediaDuration,
            movieDuration,
            0);
    long dataOffset = ftyp.length + moov.length + 8;
    moov =
        moov(
            width,
            height,
            sps,
            pps,
            samples,
            timescale,
            sampleDelta,
            mediaDuration,
            movieDuration,
            dataOffset);
    ByteArrayOutputStream mdat = new ByteArrayOutputStream();
    samples.forEach(sample -> mdat.writeBytes(sample.data()));
    ByteArrayOutputStream file =
        new ByteArrayOutputStream(ftyp.length + moov.length + mdat.size() + 8);
    file.writeBytes(ftyp);
    file.writeBytes(moov);
    file.writeBytes(box("mdat", mdat.toByteArray()));
    return file.toByteArray();
  }

  /** {@code nals} as one MP4 sample: each NAL unit preceded by its 4-byte big-endian length. */
  static byte[] lengthPrefixed(byte[]... nals) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] nal : nals) {
      out.writeBytes(u32(nal.length));
      out.writeBytes(nal);
    }
    return out.toByteArray();
  }

  private static byte[] moov(
      int width,
      int height,
      byte[] sps,
      byte[] pps,
      List<Sample> samples,
      int timescale,
      int sampleDelta,
      long mediaDuration,
      long movieDuration,
      long dataOffset) {
    byte[] mvhd =
        fullBox(
            "mvhd",
            0,
            0,
            u32(0),
            u32(0),
            u32(MOVIE_TIMESCALE),
            u32(movieDuration),
            u32(0x00010000),
            u16(0x0100),
            new byte[10],
            matrix(),
            new byte[24],
            u32(2));
    byte[] tkhd =
        fullBox(
            "tkhd",
            0,
            3,
            u32(0),
            u32(0),
            u32(1),
            u32(0),
            u32(movieDuration),
            new byte[8],
            u16(0),
            u16(0),
            u16(0),
            u16(0),
            matrix(),
            u32((long) width << 16),
            u32((long) height << 16));
    byte[] mdhd =
        fullBox(
            "mdhd",
            0,
            0,
            u32(0),
            u32(0),
            u32(timescale),
            u32(mediaDuration),
            u16(0x55C4) /* "und" */,
            u16(0));
    byte[] hdlr =
        fullBox("hdlr", 0, 0, u32(0), ascii("vide"), new byte[12], ascii("VideoHandler\0"));
    byte[] vmhd = fullBox("vmhd", 0, 1, u16(0), new byte[6]);
    byte[] dinf = box("dinf", fullBox("dref", 0, 0, u32(1), fullBox("url ", 0, 1)));
    byte[] avcC =
        box(
            "avcC",
            new byte[] {
              1,
              (byte) H264.PROFILE_BASELINE,
              (byte) H264.CONSTRAINT_FLAGS,
              (byte) H264.LEVEL,
              (byte) 0xFF /* 4-byte NAL lengths */,
              (byte) 0xE1 /* one SPS */
            },
            u16(sps.length),
            sps,
            new byte[] {1},
            u16(pps.length),
            pps);
    byte[] compressor = new byte[32];
    byte[] name = "Atelier stand-in".getBytes(StandardCharsets.US_ASCII);
    compressor[0] = (byte) name.length;
    System.arraycopy(name, 0, compressor, 1, name.length);
    byte[] avc1 =
        box(
            "avc1",
            new byte[6],
            u16(1),
            new byte[16],
            u16(width),
            u16(height),
            u32(0x00480000),
            u32(0x00480000),
            u32(0),
            u16(1),
            compressor,
            u16(0x0018),
            u16(0xFFFF),
            avcC);
    byte[] stsd = fullBox("stsd", 0, 0, u32(1), avc1);
    byte[] stts = fullBox("stts", 0, 0, u32(1), u32(samples.size()), u32(sampleDelta));
    ByteArrayOutputStream sync = new ByteArrayOutputStream();
    int syncCount = 0;
    ByteArrayOutputStream sizes = new ByteArrayOutputStream();
    for (int i = 0; i < samples.size(); i++) {
      sizes.writeBytes(u32(samples.get(i).data().length));
      if (samples.get(i).sync()) {
        sync.writeBytes(u32(i + 1));
        syncCount++;
      }
    }
    byte[] stss = fullBox("stss", 0, 0, u32(syncCount), sync.toByteArray());
    byte[] stsc = fullBox("stsc", 0, 0, u32(1), u32(1), u32(samples.size()), u32(1));
    byte[] stsz = fullBox("stsz", 0, 0, u32(0), u32(samples.size()), sizes.toByteArray());
    byte[] stco = fullBox("stco", 0, 0, u32(1), u32(dataOffset));
    byte[] stbl = box("stbl", stsd, stts, stss, stsc, stsz, stco);
    byte[] minf = box("minf", vmhd, dinf, stbl);
    byte[] mdia = box("mdia", mdhd, hdlr, minf);
    byte[] trak = box("trak", tkhd, mdia);
    return box("moov", mvhd, trak);
  }

  private static byte[] matrix() {
    ByteBuffer m = ByteBuffer.allocate(36);
    m.putInt(0x00010000)
        .putInt(0)
        .putInt(0)
        .putInt(0)
        .putInt(0x00010000)
        .putInt(0)
        .putInt(0)
        .putInt(0)
        .putInt(0x40000000);
    return m.array();
  }

  static byte[] box(String type, byte[]... parts) {
    int size = 8;
    for (byte[] part : parts) {
      size += part.length;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(size);
    out.writeBytes(u32(size));
    out.writeBytes(ascii(type));
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static byte[] fullBox(String type, int version, int flags, byte[]... parts) {
    byte[][] all = new byte[parts.length + 1][];
    all[0] = u32(((long) version << 24) | flags);
    System.arraycopy(parts, 0, all, 1, parts.length);
    return box(type, all);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] u32(long v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }

  private static byte[] u16(int v) {
    return new byte[] {(byte) (v >>> 8), (byte) v};
  }
}
