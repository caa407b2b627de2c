package dev.atelier.emulator;

import com.google.firestore.v1.WriteResult;
import java.util.List;

/** A committed set of writes: its time, one result per write, and the documents that changed. */
record Commit(long commitMicros, List<WriteResult> writeResults, List<CommittedChange> changes) {}
