package dev.atelier.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package structure of the model module as the compiled classes have it (the JDK's jdeps, not a
 * hand-kept list): dependencies point one way (no cycles), the store and the platform depend on no
 * feature, and no feature imports the HTTP layer (features refuse with {@code Refusal}; HTTP maps
 * it).
 */
class PackageDependenciesTest {

  private static final String ROOT = "dev.atelier.";
  private static final Pattern EDGE =
      Pattern.compile("^\\s+(dev\\.atelier\\.\\S+)\\s+->\\s+(dev\\.atelier\\.\\S+)\\s");
  private static final Map<String, Set<String>> GRAPH = new TreeMap<>();

  @BeforeAll
  static void readTheCompiledClasses() {
    Path classes = Path.of("target", "classes");
    assertTrue(Files.isDirectory(classes), "compile the module first: " + classes.toAbsolutePath());
    ToolProvider jdeps =
        ToolProvider.findFirst("jdeps")
            .orElseThrow(() -> new AssertionError("no jdeps in this JDK"));
    StringWriter out = new StringWriter();
    int exit =
        jdeps.run(
            new PrintWriter(out),
            new PrintWriter(out),
            "-verbose:package",
            "-e",
            "dev\\.atelier\\..*",
            classes.toString());
    assertEquals(0, exit, out.toString());
    for (String line : out.toString().split("\n")) {
      Matcher m = EDGE.matcher(line);
      if (m.find() && !m.group(1).equals(m.group(2))) {
        GRAPH.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
        GRAPH.computeIfAbsent(m.group(2), k -> new TreeSet<>());
      }
    }
    assertTrue(GRAPH.size() > 10, "jdeps found the packages: " + GRAPH.keySet());
  }

  @Test
  void packageDependenciesHaveNoCycle() {
    List<Set<String>> cycles = stronglyConnected().stream().filter(c -> c.size() > 1).toList();
    assertTrue(cycles.isEmpty(), "package cycles: " + cycles + "\n" + describe(cycles));
  }

  @Test
  void storeAndPlatformDependOnNoFeature() {
    for (String base : List.of("store", "platform")) {
      // dev.atelier.firestore is our Firestore client (module atelier-firestore-client): below
      // both.
      Set<String> allowed = Set.of(ROOT + "store", ROOT + "platform", ROOT + "firestore");
      Set<String> deps = GRAPH.getOrDefault(ROOT + base, Set.of());
      assertTrue(allowed.containsAll(deps), ROOT + base + " depends on " + deps);
    }
  }

  @Test
  void noFeatureImportsTheHttpLayer() {
    List<String> offenders = new ArrayList<>();
    GRAPH.forEach(
        (from, deps) -> {
          if (!from.equals(ROOT + "http") && deps.contains(ROOT + "http")) {
            offenders.add(from);
          }
        });
    assertTrue(offenders.isEmpty(), "packages importing dev.atelier.http: " + offenders);
  }

  /** Tarjan's strongly connected components. */
  private static List<Set<String>> stronglyConnected() {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new TreeSet<>();
    List<Set<String>> out = new ArrayList<>();
    int[] counter = {0};
    for (String v : GRAPH.keySet()) {
      if (!index.containsKey(v)) {
        connect(v, index, low, stack, onStack, out, counter);
      }
    }
    return out;
  }

  private static void connect(
      String v,
      Map<String, Integer> index,
      Map<String, Integer> low,
      Deque<String> stack,
      Set<String> onStack,
      List<Set<String>> out,
      int[] counter) {
    index.put(v, counter[0]);
    low.put(v, counter[0]++);
    stack.push(v);
    onStack.add(v);
    for (String w : GRAPH.getOrDefault(v, Set.of())) {
      if (!index.containsKey(w)) {
        connect(w, index, low, stack, onStack, out, counter);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      Set<String> component = new TreeSet<>();
      String w;
      do {
        w = stack.pop();
        onStack.remove(w);
        component.add(w);
      } while (!w.equals(v));
      out.add(component);
    }
  }

  private static String describe(List<Set<String>> cycles) {
    StringBuilder b = new StringBuilder();
    for (Set<String> cycle : cycles) {
      for (String p : cycle) {
        Set<String> inside = new TreeSet<>(GRAPH.get(p));
        inside.retainAll(cycle);
        b.append("  ").append(p).append(" -> ").append(inside).append('\n');
      }
    }
    return b.toString();
  }
}
