package dev.atelier.store;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A closed set whose members are stored in Firestore under an exact spelling ({@link #wire()}),
 * which may differ from the Java constant name (e.g. {@code TEXT_TO_IMAGE} ↔ {@code
 * "text-to-image"}).
 */
public interface WireEnum {

  /** The value as stored in Firestore and sent over HTTP. */
  String wire();

  /**
   * The member of {@code type} spelled {@code value}.
   *
   * @throws IllegalArgumentException naming the set and its allowed spellings when nothing matches
   */
  static <E extends Enum<E> & WireEnum> E fromWire(Class<E> type, String value) {
    for (E e : type.getEnumConstants()) {
      if (e.wire().equals(value)) {
        return e;
      }
    }
    throw new IllegalArgumentException(
        "unknown "
            + type.getSimpleName()
            + " '"
            + value
            + "' (expected one of "
            + allowed(type)
            + ")");
  }

  /** The allowed spellings, for error messages. */
  static <E extends Enum<E> & WireEnum> String allowed(Class<E> type) {
    return Arrays.stream(type.getEnumConstants())
        .map(WireEnum::wire)
        .collect(Collectors.joining(", ", "[", "]"));
  }
}
