package dev.atelier.emulator;

import com.google.firestore.v1.Document;
import java.util.Map;
import java.util.Optional;

/**
 * Runs inside a commit, under the commit lock, before anything is installed: sees every written
 * document before and after the commit's writes (preconditions not yet checked) and may refuse the
 * commit by throwing. The security rules' write check.
 */
@FunctionalInterface
interface CommitCheck {
  CommitCheck NONE = (before, after, commitMicros) -> {};

  void check(
      Map<String, Optional<Document>> before,
      Map<String, Optional<Document>> after,
      long commitMicros);
}
