package dev.atelier.storage.emulator;

import java.time.Instant;

/** A bucket; it only carries a name and a creation time (everything else reads as the defaults). */
record Bucket(String name, Instant timeCreated) {}
