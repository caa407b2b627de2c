package dev.atelier.store;

/** A stored document does not have the shape its {@link DocumentKind} requires. */
public final class MappingException extends RuntimeException {
  public MappingException(String message) {
    super(message);
  }
}
