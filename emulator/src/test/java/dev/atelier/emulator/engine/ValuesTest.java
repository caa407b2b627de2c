package dev.atelier.emulator.engine;

import static dev.atelier.emulator.engine.V.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.firestore.v1.Value;
import org.junit.jupiter.api.Test;

class ValuesTest {

  private static void assertAscending(Value... values) {
    for (int k = 0; k + 1 < values.length; k++) {
      assertTrue(Values.compare(values[k], values[k + 1]) < 0, values[k] + " < " + values[k + 1]);
      assertTrue(Values.compare(values[k + 1], values[k]) > 0, values[k + 1] + " > " + values[k]);
    }
  }

  @Test
  void typesOrderNullBoolNanNumberTimestampStringBytesReferenceGeoArrayVectorMap() {
    assertAscending(
        nul(),
        bool(false),
        bool(true),
        d(Double.NaN),
        d(Double.NEGATIVE_INFINITY),
        i(-5),
        d(0.5),
        i(1),
        d(Double.POSITIVE_INFINITY),
        ts(0, 0),
        s(""),
        s("a"),
        bytes(0),
        ref("a/b"),
        geo(0, 0),
        arr(),
        vector(1),
        map());
  }

  @Test
  void integersAndDoublesCompareNumerically() {
    assertEquals(0, Values.compare(i(1), d(1.0)));
    assertTrue(Values.compare(i(2), d(1.5)) > 0);
    assertTrue(Values.compare(d(-0.5), i(0)) < 0);
  }

  @Test
  void largeIntegersAreNotRoundedThroughDouble() {
    assertTrue(Values.compare(i(Long.MAX_VALUE), d(9.223372036854775807E18)) < 0);
    assertTrue(Values.compare(i((1L << 53) + 1), d(1L << 53)) > 0);
  }

  @Test
  void negativeZeroEqualsZero() {
    assertEquals(0, Values.compare(d(-0.0), d(0.0)));
    assertEquals(0, Values.compare(d(-0.0), i(0)));
    assertTrue(Values.equal(d(-0.0), i(0)));
  }

  @Test
  void stringsCompareInUtf8ByteOrderNotUtf16() {
    // U+FF61 is a single UTF-16 unit above the surrogate U+D83D of U+1F600, but U+1F600 has the
    // larger UTF-8 encoding.
    assertAscending(s("\uFF61"), s("\uD83D\uDE00"));
    assertAscending(s("a"), s("aa"), s("b"));
    assertAscending(s("B"), s("a"));
  }

  @Test
  void bytesCompareUnsigned() {
    assertAscending(bytes(0x01), bytes(0x7f), bytes(0x80), bytes(0xff), bytes(0xff, 0x00));
  }

  @Test
  void timestampsCompareSecondsThenNanos() {
    assertAscending(ts(-1, 999), ts(0, 0), ts(0, 1), ts(1, 0));
  }

  @Test
  void referencesCompareSegmentBySegment() {
    // As plain strings "a/b" > "a-c/b" ('/' > '-'); segment-wise "a" < "a-c".
    assertAscending(ref("a/b"), ref("a-c/b"));
    assertAscending(ref("a/b"), ref("a/b/c/d"), ref("a/c"));
  }

  @Test
  void numericDocumentIdsSortBeforeStringIds() {
    assertAscending(ref("c/__id-9223372036854775808__"), ref("c/__id5__"), ref("c/0"), ref("c/A"));
  }

  @Test
  void geoPointsCompareLatitudeThenLongitude() {
    assertAscending(geo(-10, 50), geo(0, -10), geo(0, 10), geo(10, -50));
  }

  @Test
  void arraysCompareElementwiseThenByLength() {
    assertAscending(arr(), arr(i(1)), arr(i(1), i(2)), arr(i(2)));
    assertAscending(arr(i(1), s("a")), arr(i(1), arr()));
  }

  @Test
  void vectorsCompareByDimensionThenElements() {
    assertAscending(vector(9, 9), vector(1, 1, 1));
    assertAscending(vector(1, 2), vector(1, 3));
  }

  @Test
  void mapsCompareSortedKeysThenValues() {
    assertAscending(
        map(), map("a", i(1)), map("a", i(2)), map("a", i(2), "b", i(0)), map("b", i(0)));
    assertEquals(0, Values.compare(map("b", i(1), "a", i(2)), map("a", d(2.0), "b", i(1))));
  }

  @Test
  void equalityTreatsIntAndDoubleAlike() {
    assertTrue(Values.equal(i(1), d(1.0)));
    assertTrue(Values.equal(arr(i(1)), arr(d(1.0))));
    assertFalse(Values.equal(i(1), s("1")));
  }

  @Test
  void nanNeverEqualsNanButOrdersEqual() {
    assertFalse(Values.equal(d(Double.NaN), d(Double.NaN)));
    assertEquals(0, Values.compare(d(Double.NaN), d(Double.NaN)));
  }

  @Test
  void nullEqualsNull() {
    assertTrue(Values.equal(nul(), nul()));
  }

  @Test
  void compareIsATotalOrderAcrossAMixedSample() {
    Value[] sample = {
      nul(),
      bool(true),
      d(Double.NaN),
      d(-0.0),
      i(0),
      i(Long.MIN_VALUE),
      d(1e300),
      i(7),
      d(7.0),
      d(7.5),
      ts(1, 5),
      s(""),
      s("\uD83D\uDE00"),
      s("\uFF61"),
      bytes(0xff),
      ref("a/b"),
      ref("a/__id3__"),
      geo(1, 2),
      arr(),
      arr(d(Double.NaN)),
      arr(i(1), i(2)),
      vector(1),
      vector(0, 0),
      map(),
      map("a", i(1)),
      map("b", nul())
    };
    for (Value a : sample) {
      for (Value b : sample) {
        assertEquals(
            Integer.signum(Values.compare(a, b)),
            -Integer.signum(Values.compare(b, a)),
            a + " vs " + b);
        for (Value c : sample) {
          if (Values.compare(a, b) <= 0 && Values.compare(b, c) <= 0) {
            assertTrue(Values.compare(a, c) <= 0, a + " <= " + b + " <= " + c);
          }
        }
      }
    }
  }
}
