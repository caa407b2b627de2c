package dev.atelier.provider.standin;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A small ISO BMFF reader for tests: the box tree, and the sample table of the (single) track. */
record Mp4Boxes(byte[] file, List<Box> top) {
  private static final Set<String> CONTAINERS =
      Set.of("moov", "trak", "mdia", "minf", "stbl", "dinf", "edts");

  /**
   * A box: its type, where its payload starts and ends in the file, and its children when it is a
   * container.
   */
  record Box(String type, int start, int end, List<Box> children) {
    int size() {
      return end - start;
    }
  }

  static Mp4Boxes parse(byte[] file) {
    return new Mp4Boxes(file, boxes(file, 0, file.length));
  }

  private static List<Box> boxes(byte[] file, int from, int to) {
    List<Box> out = new ArrayList<>();
    int at = from;
    while (at < to) {
      if (to - at < 8) {
        throw new AssertionError("truncated box header at " + at);
      }
      long size = ByteBuffer.wrap(file, at, 4).getInt() & 0xFFFFFFFFL;
      String type = new String(file, at + 4, 4, StandardCharsets.US_ASCII);
      if (size < 8 || at + size > to) {
        throw new AssertionError("box " + type + " at " + at + " has a bad size " + size);
      }
      int start = at + 8;
      int end = (int) (at + size);
      List<Box> children =
          CONTAINERS.contains(type)
              ? boxes(file, start, end)
              : type.equals("stsd")
                  ? boxes(file, start + 8, end) // version/flags, entry_count
                  : type.equals("avc1")
                      ? boxes(file, start + 78, end) // VisualSampleEntry fields
                      : List.of();
      out.add(new Box(type, start, end, children));
      at = end;
    }
    return out;
  }

  /** The box at a path such as {@code moov/trak/mdia/mdhd}. */
  Optional<Box> find(String path) {
    List<Box> level = top;
    Box found = null;
    for (String type : path.split("/")) {
      found = level.stream().filter(b -> b.type().equals(type)).findFirst().orElse(null);
      if (found == null) {
        return Optional.empty();
      }
      level = found.children();
    }
    return Optional.of(found);
  }

  Box require(String path) {
    return find(path).orElseThrow(() -> new AssertionError("no " + path + " box"));
  }

  ByteBuffer payload(String path) {
    Box box = require(path);
    return ByteBuffer.wrap(file, box.start(), box.size()).slice();
  }

  double durationSeconds() {
    ByteBuffer mdhd = payload("moov/trak/mdia/mdhd");
    long timescale = mdhd.getInt(12) & 0xFFFFFFFFL;
    long duration = mdhd.getInt(16) & 0xFFFFFFFFL;
    return duration / (double) timescale;
  }

  int timescale() {
    return payload("moov/trak/mdia/mdhd").getInt(12);
  }

  List<Integer> sampleSizes() {
    ByteBuffer stsz = payload("moov/trak/mdia/minf/stbl/stsz");
    int fixed = stsz.getInt(4);
    int count = stsz.getInt(8);
    List<Integer> sizes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      sizes.add(fixed != 0 ? fixed : stsz.getInt(12 + 4 * i));
    }
    return sizes;
  }

  /** Σ sample_count of stts, and each entry's delta. */
  List<int[]> timeToSample() {
    ByteBuffer stts = payload("moov/trak/mdia/minf/stbl/stts");
    int entries = stts.getInt(4);
    List<int[]> out = new ArrayList<>();
    for (int i = 0; i < entries; i++) {
      out.add(new int[] {stts.getInt(8 + 8 * i), stts.getInt(12 + 8 * i)});
    }
    return out;
  }

  List<Integer> syncSamples() {
    ByteBuffer stss = payload("moov/trak/mdia/minf/stbl/stss");
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < stss.getInt(4); i++) {
      out.add(stss.getInt(8 + 4 * i));
    }
    return out;
  }

  /**
   * Each sample's bytes, read through stco/stsc (one chunk holding every sample, as the muxer
   * writes).
   */
  List<byte[]> samples() {
    ByteBuffer stco = payload("moov/trak/mdia/minf/stbl/stco");
    if (stco.getInt(4) != 1) {
      throw new AssertionError("expected one chunk, got " + stco.getInt(4));
    }
    int offset = stco.getInt(8);
    List<byte[]> out = new ArrayList<>();
    for (int size : sampleSizes()) {
      byte[] sample = new byte[size];
      System.arraycopy(file, offset, sample, 0, size);
      out.add(sample);
      offset += size;
    }
    return out;
  }
}
