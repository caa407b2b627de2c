package dev.atelier.local.host;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.MultiPartConfig;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.EagerContentHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The invoker's own server assembly ({@code Invoker.startServer}) with one change: the connector
 * binds 127.0.0.1. Everything function-facing comes from the invoker jar itself, through its
 * package-private API: argument and env parsing, the isolated function class loader, signature
 * deduction, the request timeout handler, the error handler and the favicon/robots handler.
 * SO_REUSEPORT is left off so a stale process on the same port makes start-up fail instead of
 * silently sharing the port.
 *
 * <p>Arguments as the invoker's: {@code --target <class> --classpath <jar> --port <port>} (or env
 * FUNCTION_TARGET, PORT). Runs on the classpath {@code java-function-invoker.jar:<this module's
 * jar>}.
 */
public final class LoopbackFunctionHost {

  public static final String LOOPBACK = "127.0.0.1";
  private static final String INVOKER = "com.google.cloud.functions.invoker.runner.Invoker";

  private LoopbackFunctionHost() {}

  public static void main(String[] args) throws Exception {
    Class<?> invokerClass = Class.forName(INVOKER);
    Optional<?> parsed =
        (Optional<?>)
            method(invokerClass, "makeInvoker", Map.class, String[].class)
                .invoke(null, System.getenv(), args);
    if (parsed.isEmpty()) {
      return; // --help was printed
    }
    Object invoker = parsed.get();
    int port = (Integer) method(invokerClass, "getPort").invoke(invoker);

    Server server = new Server(new QueuedThreadPool(1024));
    server.setErrorHandler(
        (Request.Handler)
            constructor(Class.forName(INVOKER + "$1"), invokerClass).newInstance(invoker));
    ServerConnector connector = new ServerConnector(server);
    connector.setHost(LOOPBACK);
    connector.setPort(port);
    connector.setReuseAddress(true);
    server.addConnector(connector);

    Class<?> functionClass = (Class<?>) method(invokerClass, "loadFunctionClass").invoke(invoker);
    Handler handler =
        (Handler)
            method(invokerClass, "handlerForDeducedSignatureType", Class.class)
                .invoke(invoker, functionClass);
    server.setHandler(
        (Handler)
            method(invokerClass, "addTimerHandlerForRequestTimeout", Handler.class)
                .invoke(invoker, handler));
    server.insertHandler(
        new EagerContentHandler(
            new EagerContentHandler.MultiPartContentLoaderFactory(
                new MultiPartConfig.Builder().maxMemoryPartSize(-1).build())));
    server.insertHandler(
        (Handler.Singleton) constructor(Class.forName(INVOKER + "$NotFoundHandler")).newInstance());
    server.start();
    System.out.println(
        "Serving function "
            + functionClass.getName()
            + " on http://"
            + LOOPBACK
            + ":"
            + connector.getLocalPort()
            + "/");
    server.join();
  }

  private static Method method(Class<?> owner, String name, Class<?>... parameters)
      throws NoSuchMethodException {
    Method method = owner.getDeclaredMethod(name, parameters);
    method.setAccessible(true);
    return method;
  }

  private static Constructor<?> constructor(Class<?> owner, Class<?>... parameters)
      throws NoSuchMethodException {
    Constructor<?> constructor = owner.getDeclaredConstructor(parameters);
    constructor.setAccessible(true);
    return constructor;
  }
}
