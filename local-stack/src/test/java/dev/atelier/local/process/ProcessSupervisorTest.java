package dev.atelier.local.process;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a crashed run leaves behind is stopped by the next start; nothing else is. */
class ProcessSupervisorTest {

  @TempDir Path dir;

  private Process sleeper(ProcessSupervisor supervisor, String name) throws Exception {
    return supervisor.start(
        name, List.of("bash", "-c", "sleep 60 & wait"), Map.of(), dir, dir.resolve(name + ".log"));
  }

  @Test
  void aLaterStartStopsTheProcessTreesACrashedRunLeft() throws Exception {
    ProcessSupervisor crashed = new ProcessSupervisor(dir.resolve("run"), line -> {});
    Process orphan = sleeper(crashed, "fn");
    Thread.sleep(200);
    List<ProcessHandle> children = orphan.descendants().toList();
    assertFalse(children.isEmpty(), "the sleeper has a child");

    new ProcessSupervisor(dir.resolve("run"), line -> {}).reapStale();

    assertTrue(orphan.waitFor(10, TimeUnit.SECONDS), "stale process stopped");
    children.forEach(
        child -> assertTrue(child.onExit().orTimeout(10, TimeUnit.SECONDS).join() != null));
    assertFalse(Files.exists(dir.resolve("run/fn.pid")));
  }

  @Test
  void aSecondLauncherIsRefusedWhileTheFirstIsAliveAndItsProcessesSurvive() throws Exception {
    Process otherLauncher = new ProcessBuilder("sleep", "60").start();
    try {
      Files.createDirectories(dir.resolve("run"));
      Files.writeString(
          dir.resolve("run/launcher.lock"),
          otherLauncher.pid() + "\n" + otherLauncher.info().startInstant().orElseThrow() + "\n");
      ProcessSupervisor running = new ProcessSupervisor(dir.resolve("run"), line -> {});
      Process function = sleeper(running, "fn");
      ProcessSupervisor second = new ProcessSupervisor(dir.resolve("run"), line -> {});
      assertThrows(IllegalStateException.class, second::claim);
      assertTrue(function.isAlive(), "the running stack's function is untouched");
      running.close();
    } finally {
      otherLauncher.destroyForcibly();
    }
  }

  @Test
  void aLockLeftByADeadLauncherIsTakenOver() throws Exception {
    Files.createDirectories(dir.resolve("run"));
    Files.writeString(dir.resolve("run/launcher.lock"), "999999999\n2001-01-01T00:00:00Z\n");
    ProcessSupervisor supervisor = new ProcessSupervisor(dir.resolve("run"), line -> {});
    supervisor.claim();
    assertTrue(
        Files.readString(dir.resolve("run/launcher.lock"))
            .startsWith(ProcessHandle.current().pid() + "\n"));
    supervisor.close();
    assertFalse(Files.exists(dir.resolve("run/launcher.lock")));
  }

  @Test
  void aPidFileWhoseStartTimeDoesNotMatchIsNotOurs() throws Exception {
    Process stranger = new ProcessBuilder("sleep", "60").start();
    try {
      Files.createDirectories(dir.resolve("run"));
      Files.writeString(dir.resolve("run/fn.pid"), stranger.pid() + "\n2001-01-01T00:00:00Z\n");
      new ProcessSupervisor(dir.resolve("run"), line -> {}).reapStale();
      assertFalse(stranger.waitFor(500, TimeUnit.MILLISECONDS), "a recycled pid is left alone");
      assertFalse(Files.exists(dir.resolve("run/fn.pid")));
    } finally {
      stranger.destroyForcibly();
    }
  }

  @Test
  void closeStopsEveryChildWithItsDescendants() throws Exception {
    ProcessSupervisor supervisor = new ProcessSupervisor(dir.resolve("run"), line -> {});
    Process a = sleeper(supervisor, "a");
    Thread.sleep(200);
    List<ProcessHandle> grandchildren = a.descendants().toList();
    supervisor.close();
    assertTrue(a.waitFor(10, TimeUnit.SECONDS));
    grandchildren.forEach(g -> assertFalse(g.isAlive(), "descendant " + g.pid() + " stopped"));
    assertFalse(Files.exists(dir.resolve("run/a.pid")));
  }
}
