package dev.atelier.emulator;

import java.util.concurrent.ThreadFactory;

/** Emulator threads never keep a JVM alive on their own. */
final class DaemonThreads {
  private DaemonThreads() {}

  static ThreadFactory named(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
