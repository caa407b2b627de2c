package dev.atelier.functions.applyledgerentry;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the function under test logs (its JsonLog writes to the {@code System.out} it was built
 * with): counts lines by severity instead of printing thousands of them, and keeps the first ERROR
 * and WARNING lines. An ERROR line means the trigger dropped an event it could not handle
 * (FirestoreTrigger acknowledges those), so the property test treats it as a failure.
 */
final class LogTally {

  private static final int KEEP = 20;

  private final Map<String, Integer> bySeverity = new TreeMap<>();
  private final List<String> errors = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private final PrintStream stream;

  LogTally() {
    OutputStream sink =
        new OutputStream() {
          private final ByteArrayOutputStream line = new ByteArrayOutputStream();

          @Override
          public synchronized void write(int b) {
            if (b == '\n') {
              record(line.toString(StandardCharsets.UTF_8));
              line.reset();
            } else {
              line.write(b);
            }
          }
        };
    this.stream = new PrintStream(sink, true, StandardCharsets.UTF_8);
  }

  PrintStream stream() {
    return stream;
  }

  private synchronized void record(String line) {
    int at = line.indexOf("\"severity\":\"");
    String severity = at < 0 ? "OTHER" : line.substring(at + 12, line.indexOf('"', at + 12));
    bySeverity.merge(severity, 1, Integer::sum);
    if (severity.equals("ERROR") && errors.size() < KEEP) {
      errors.add(line);
    } else if (severity.equals("WARNING") && warnings.size() < KEEP) {
      warnings.add(line);
    }
  }

  synchronized List<String> errors() {
    return List.copyOf(errors);
  }

  synchronized List<String> warnings() {
    return List.copyOf(warnings);
  }

  synchronized Map<String, Integer> bySeverity() {
    return new TreeMap<>(bySeverity);
  }
}
