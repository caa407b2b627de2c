package dev.atelier.platform;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;

/**
 * The deployed entry point of a client-facing HTTP function: builds the function in a class loader
 * of its own that loads classes in parallel, over the same jars, and hands it every request.
 *
 * <p>Why: the invoker's function class loader is not parallel-capable, so every class load takes
 * one lock. On a cold start the start-up threads ({@link InstanceStart}) load ~3,600 classes
 * between them and took turns: JFR counted ~330 ms of the Firestore client's thread (the critical
 * path) waiting for that lock. Loaded here, the six HTTP functions started faster in 26 of 36
 * paired rounds (bench/README.md). The Functions Framework's API classes still come from the
 * invoker's loader, so both sides share {@code HttpFunction}, {@code HttpRequest} and {@code
 * HttpResponse}.
 *
 * <p>Where the loader already is parallel-capable (tests, or a runtime that fixes it), the function
 * is built in it directly.
 */
public abstract class HttpEntryPoint implements HttpFunction {

  private final ClassLoader loader;
  private final HttpFunction function;

  /** {@code function} needs a public no-arg constructor, as any entry point does. */
  protected HttpEntryPoint(Class<? extends HttpFunction> function) {
    ClassLoader invokers = getClass().getClassLoader();
    this.loader =
        invokers instanceof URLClassLoader jars && !invokers.isRegisteredAsParallelCapable()
            ? new ParallelLoader(jars.getURLs(), invokers)
            : invokers;
    // The start-up threads the function's constructor starts inherit the context loader.
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      this.function =
          (HttpFunction)
              Class.forName(function.getName(), true, loader).getConstructor().newInstance();
    } catch (InvocationTargetException e) {
      // The function's own constructor failed: rethrown as the invoker would have seen it.
      throw e.getCause() instanceof RuntimeException cause
          ? cause
          : new IllegalStateException(function.getName() + " failed to start", e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(function.getName() + " cannot be built", e);
    } finally {
      thread.setContextClassLoader(before);
    }
  }

  @Override
  public final void service(HttpRequest request, HttpResponse response) throws Exception {
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      function.service(request, response);
    } finally {
      thread.setContextClassLoader(before);
    }
  }

  /** Our jars, loaded in parallel; the JDK below them; the Functions Framework API beside them. */
  static final class ParallelLoader extends URLClassLoader {

    static {
      registerAsParallelCapable();
    }

    private final ClassLoader invokers;

    ParallelLoader(URL[] jars, ClassLoader invokers) {
      super("atelier-function", jars, ClassLoader.getPlatformClassLoader());
      this.invokers = invokers;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (name.startsWith("com.google.cloud.functions.") || name.startsWith("io.cloudevents.")) {
        return invokers.loadClass(name);
      }
      return super.loadClass(name, resolve);
    }
  }
}
