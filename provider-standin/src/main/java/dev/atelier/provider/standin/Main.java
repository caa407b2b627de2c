package dev.atelier.provider.standin;

import dev.atelier.generations.MediaKind;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * Standalone stand-in provider:
 *
 * <pre>
 * java -jar provider-standin/target/atelier-provider-standin.jar --port 7070 --webhook-secret whsec_… \
 *     --model black-forest-labs/flux-schnell=image --model minimax/video-01=video --model meta/musicgen=audio \
 *     [--api-token T] [--completion-delay-ms 1000] [--slow-delay-ms 10000] [--oversize-bytes N] [--verbose]
 * </pre>
 *
 * Prints one line, {@code Stand-in provider listening on http://127.0.0.1:PORT}, then serves until
 * stopped. Without {@code --webhook-secret} a secret is generated and printed on stderr.
 */
public final class Main {
  static final String USAGE =
      "usage: atelier-provider-standin [--port N] [--webhook-secret whsec_...] "
          + "[--api-token T] [--model OWNER/NAME=image|video|audio]... [--completion-delay-ms MS] [--slow-delay-ms MS] "
          + "[--oversize-bytes N] [--verbose]";

  private Main() {}

  public static void main(String[] args) throws Exception {
    StandInOptions options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    StandInProvider provider = StandInProvider.start(options);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  provider.close();
                  stopped.countDown();
                }));
    System.out.println("Stand-in provider listening on " + provider.url());
    if (options.webhookSecret().isEmpty()) {
      System.err.println(
          "Stand-in provider webhook secret (generated): " + provider.webhookSecret());
    }
    stopped.await();
  }

  /** The options the arguments ask for ({@code --flag value} or {@code --flag=value}). */
  static StandInOptions parse(String[] args) {
    StandInOptions options = StandInOptions.defaults();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String flag = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        flag = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (flag.equals("--verbose")) {
        options = options.withLog(line -> System.out.println("[standin] " + line));
        continue;
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(flag + " needs a value");
        }
        value = args[++i];
      }
      try {
        options =
            switch (flag) {
              case "--port" -> options.withPort(Integer.parseInt(value));
              case "--webhook-secret" -> options.withWebhookSecret(value);
              case "--api-token" -> options.withApiToken(value);
              case "--model" -> model(options, value);
              case "--completion-delay-ms" ->
                  options.withCompletionDelay(Duration.ofMillis(Long.parseLong(value)));
              case "--slow-delay-ms" ->
                  options.withSlowDelay(Duration.ofMillis(Long.parseLong(value)));
              case "--oversize-bytes" -> options.withOversizeBytes(Long.parseLong(value));
              default -> throw new IllegalArgumentException("unknown option " + flag);
            };
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(flag + " needs a number, got " + value);
      }
    }
    return options;
  }

  private static StandInOptions model(StandInOptions options, String spec) {
    int eq = spec.lastIndexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException("--model needs OWNER/NAME=image|video|audio, got " + spec);
    }
    String kind = spec.substring(eq + 1).toUpperCase(Locale.ROOT);
    if (!kind.equals("IMAGE") && !kind.equals("VIDEO") && !kind.equals("AUDIO")) {
      throw new IllegalArgumentException("--model kind must be image, video or audio, got " + spec);
    }
    return options.withModel(spec.substring(0, eq), MediaKind.valueOf(kind));
  }
}
