package dev.atelier.emulator;

import dev.atelier.emulator.engine.IndexRules;
import dev.atelier.emulator.rules.lang.RulesSyntaxException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Standalone emulator: {@code java -jar atelier-emulator.jar [--port 8080] [--host 127.0.0.1]
 * [--indexes firestore.indexes.json] [--rules firestore.rules] [--lock-lease-ms 5000] [--warmup-ms
 * 3000]}. With {@code --rules}, requests carrying a Firebase ID token (or none) are decided by the
 * rules and {@code Bearer owner} bypasses them; a rules file that does not parse stops the start
 * with its line and column. The warm-up runs before the port opens; the ready line is printed once
 * it serves.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    FirestoreEmulator.Builder builder = FirestoreEmulator.builder().port(8080);
    Duration warmup = Duration.ofSeconds(3);
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      String value;
      if (flag.contains("=")) {
        value = flag.substring(flag.indexOf('=') + 1);
        flag = flag.substring(0, flag.indexOf('='));
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        usage("Missing value for " + flag);
        return;
      }
      switch (flag) {
        case "--port" -> builder.port(Integer.parseInt(value));
        case "--host" -> builder.host(value);
        case "--indexes" -> builder.indexRules(IndexRules.fromJson(readIndexes(value)));
        case "--rules" -> rules(builder, value);
        case "--lock-lease-ms" -> builder.lockLease(Duration.ofMillis(Long.parseLong(value)));
        case "--warmup-ms" -> warmup = Duration.ofMillis(Long.parseLong(value));
        default -> usage("Unknown option " + flag);
      }
    }
    if (!warmup.isZero()) {
      Warmup.run(warmup);
    }
    FirestoreEmulator emulator = builder.start();
    Runtime.getRuntime().addShutdownHook(new Thread(emulator::close));
    System.out.println("Firestore emulator listening on " + emulator.hostAndPort());
    System.out.flush();
    Thread.currentThread().join();
  }

  private static void rules(FirestoreEmulator.Builder builder, String path) {
    try {
      builder.rules(Path.of(path));
    } catch (IOException e) {
      usage("Cannot read rules file " + path + " (" + e.getClass().getSimpleName() + ")");
    } catch (RulesSyntaxException e) {
      System.err.println("Invalid security rules: " + e.getMessage());
      System.exit(2);
    }
  }

  private static String readIndexes(String path) {
    try {
      return Files.readString(Path.of(path), StandardCharsets.UTF_8);
    } catch (IOException e) {
      usage("Cannot read indexes file " + path + " (" + e.getClass().getSimpleName() + ")");
      return "";
    }
  }

  private static void usage(String problem) {
    System.err.println(problem);
    System.err.println(
        "Usage: java -jar atelier-emulator.jar [--port 8080] [--host 127.0.0.1]"
            + " [--indexes firestore.indexes.json] [--rules firestore.rules] [--lock-lease-ms 5000]"
            + " [--warmup-ms 3000]");
    System.exit(2);
  }
}
