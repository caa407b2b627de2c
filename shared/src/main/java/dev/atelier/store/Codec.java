package dev.atelier.store;

import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/** Writes one record type to its document fields and reads it back; one per {@link DocumentKind}. */
final class Codec<T> {
  private final BiConsumer<T, DocWriter> write;
  private final BiFunction<DocumentKey, DocReader, T> read;

  private Codec(BiConsumer<T, DocWriter> write, BiFunction<DocumentKey, DocReader, T> read) {
    this.write = write;
    this.read = read;
  }

  static <T> Codec<T> of(BiConsumer<T, DocWriter> write, BiFunction<DocumentKey, DocReader, T> read) {
    return new Codec<>(write, read);
  }

  void write(T value, DocWriter w) {
    write.accept(value, w);
  }

  T read(DocumentKey key, DocReader r) {
    return read.apply(key, r);
  }
}
