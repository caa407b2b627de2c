package dev.atelier.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import java.io.BufferedWriter;
import java.io.File;
import java.io.OutputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HttpEntryPointTest {

  /** Answers, as headers, which loader built it and what context loaders it ran under. */
  public static final class Probe implements HttpFunction {
    private final ClassLoader startThreadContext;

    public Probe() throws InterruptedException {
      // As InstanceStart does: a start-up thread from the constructor.
      AtomicReference<ClassLoader> seen = new AtomicReference<>();
      Thread thread = new Thread(() -> seen.set(Thread.currentThread().getContextClassLoader()));
      thread.start();
      thread.join();
      this.startThreadContext = seen.get();
    }

    @Override
    public void service(HttpRequest request, HttpResponse response) {
      ClassLoader own = getClass().getClassLoader();
      response.appendHeader("loader", String.valueOf(own.getName()));
      response.appendHeader("parallel", String.valueOf(own.isRegisteredAsParallelCapable()));
      response.appendHeader(
          "context", String.valueOf(Thread.currentThread().getContextClassLoader() == own));
      response.appendHeader("start-thread-context", String.valueOf(startThreadContext == own));
    }
  }

  public static final class ProbeEntry extends HttpEntryPoint {
    public ProbeEntry() {
      super(Probe.class);
    }
  }

  public static final class Failing implements HttpFunction {
    public Failing() {
      throw new IllegalArgumentException("no FIRESTORE_EMULATOR_HOST");
    }

    @Override
    public void service(HttpRequest request, HttpResponse response) {}
  }

  public static final class FailingEntry extends HttpEntryPoint {
    public FailingEntry() {
      super(Failing.class);
    }
  }

  @Test
  void underTheInvokersSerialLoaderTheFunctionIsBuiltInAParallelOneOverTheSameJars()
      throws Exception {
    ClassLoader invokers = invokerLikeLoader();
    assertFalse(invokers.isRegisteredAsParallelCapable());
    HttpFunction entry =
        (HttpFunction)
            Class.forName(ProbeEntry.class.getName(), true, invokers)
                .getConstructor()
                .newInstance();

    Map<String, String> answer = call(entry);

    assertEquals("atelier-function", answer.get("loader"));
    assertEquals("true", answer.get("parallel"));
    // The entry point shares the Functions Framework API with the function it hands requests to.
    assertSame(HttpFunction.class, Class.forName(HttpFunction.class.getName(), false, invokers));
  }

  @Test
  void theFunctionAndItsStartUpThreadsRunWithItsOwnLoaderAsContextLoader() throws Exception {
    HttpFunction entry =
        (HttpFunction)
            Class.forName(ProbeEntry.class.getName(), true, invokerLikeLoader())
                .getConstructor()
                .newInstance();
    ClassLoader callers = Thread.currentThread().getContextClassLoader();

    Map<String, String> answer = call(entry);

    assertEquals("true", answer.get("context"));
    assertEquals("true", answer.get("start-thread-context"));
    assertSame(callers, Thread.currentThread().getContextClassLoader(), "restored after the call");
  }

  @Test
  void underAParallelCapableLoaderTheFunctionIsBuiltInPlace() throws Exception {
    ClassLoader tests = getClass().getClassLoader();
    Map<String, String> answer = call(new ProbeEntry());

    assertEquals(String.valueOf(tests.getName()), answer.get("loader"));
    assertEquals("true", answer.get("context"));
  }

  @Test
  void aFunctionThatFailsToStartFailsTheEntryPointWithItsOwnException() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, FailingEntry::new);
    assertEquals("no FIRESTORE_EMULATOR_HOST", e.getMessage());
  }

  /**
   * The invoker's arrangement: a URLClassLoader that is not parallel-capable over the function's
   * jars, under a loader that serves only the Functions Framework API (from this test's loader).
   */
  private static ClassLoader invokerLikeLoader() throws MalformedURLException {
    ClassLoader tests = HttpEntryPointTest.class.getClassLoader();
    ClassLoader apiOnly =
        new ClassLoader(ClassLoader.getPlatformClassLoader()) {
          @Override
          protected Class<?> findClass(String name) throws ClassNotFoundException {
            if (name.startsWith("com.google.cloud.functions.")) {
              return tests.loadClass(name);
            }
            throw new ClassNotFoundException(name);
          }
        };
    List<String> entries =
        Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
    URL[] jars = new URL[entries.size()];
    for (int i = 0; i < jars.length; i++) {
      jars[i] = new File(entries.get(i)).toURI().toURL();
    }
    return new URLClassLoader(jars, apiOnly) {};
  }

  private static Map<String, String> call(HttpFunction function) throws Exception {
    Headers response = new Headers(new LinkedHashMap<>());
    function.service(null, response);
    return response.first();
  }

  private record Headers(Map<String, List<String>> headers) implements HttpResponse {
    Map<String, String> first() {
      Map<String, String> first = new LinkedHashMap<>();
      headers.forEach((name, values) -> first.put(name, values.get(0)));
      return first;
    }

    @Override
    public void appendHeader(String header, String value) {
      headers.computeIfAbsent(header, k -> new java.util.ArrayList<>()).add(value);
    }

    @Override
    public Map<String, List<String>> getHeaders() {
      return headers;
    }

    @Override
    public void setStatusCode(int code) {}

    @Override
    public void setStatusCode(int code, String message) {}

    @Override
    public void setContentType(String contentType) {}

    @Override
    public Optional<String> getContentType() {
      return Optional.empty();
    }

    @Override
    public OutputStream getOutputStream() {
      throw new UnsupportedOperationException();
    }

    @Override
    public BufferedWriter getWriter() {
      throw new UnsupportedOperationException();
    }
  }
}
