package dev.atelier.storage.emulator;

/**
 * An error answered in the JSON API's error shape: {@code
 * {"error":{"code","message","errors":[{reason…}]}}}.
 */
final class GcsException extends RuntimeException {
  private final int status;
  private final String reason;

  GcsException(int status, String reason, String message) {
    super(message);
    this.status = status;
    this.reason = reason;
  }

  int status() {
    return status;
  }

  String reason() {
    return reason;
  }

  static GcsException noSuchObject(String bucket, String name) {
    return new GcsException(404, "notFound", "No such object: " + bucket + "/" + name);
  }

  static GcsException noSuchBucket(String bucket) {
    return new GcsException(404, "notFound", "The specified bucket does not exist.");
  }

  static GcsException conditionNotMet() {
    return new GcsException(
        412, "conditionNotMet", "At least one of the pre-conditions you specified did not hold.");
  }

  static GcsException invalid(String message) {
    return new GcsException(400, "invalid", message);
  }
}
