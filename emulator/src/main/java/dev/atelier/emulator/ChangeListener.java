package dev.atelier.emulator;

import com.google.firestore.v1.Document;
import com.google.protobuf.Timestamp;
import java.util.Optional;

/**
 * Receives every committed document change, once per changed document per commit, after the commit
 * and in commit order (on the emulator's single dispatch thread). Writes that change nothing are
 * not reported.
 */
@FunctionalInterface
public interface ChangeListener {
  void onChange(
      String documentName,
      Optional<Document> before,
      Optional<Document> after,
      Timestamp commitTime);
}
