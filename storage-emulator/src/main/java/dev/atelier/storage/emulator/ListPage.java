package dev.atelier.storage.emulator;

import java.util.List;
import java.util.Optional;

/**
 * One page of objects.list: objects, the prefixes folded by the delimiter, and where the next page
 * starts.
 */
record ListPage(List<StoredObject> items, List<String> prefixes, Optional<String> nextPageToken) {}
