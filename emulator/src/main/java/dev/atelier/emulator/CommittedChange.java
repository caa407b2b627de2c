package dev.atelier.emulator;

import com.google.firestore.v1.Document;
import java.util.Optional;

/** One document changed by a commit: its state before and after. */
record CommittedChange(String name, Optional<Document> before, Optional<Document> after) {}
