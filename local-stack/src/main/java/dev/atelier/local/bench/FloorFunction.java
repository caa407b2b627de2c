package dev.atelier.local.bench;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import java.io.IOException;

/**
 * The cold-start floor: an HttpFunction that does nothing, served by the same invoker with the same
 * JVM flags as the real functions. What a function costs above this is our own code.
 */
public final class FloorFunction implements HttpFunction {

  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    // Read the body as every real function does (an unread body makes Jetty drop the connection).
    request.getInputStream().readAllBytes();
    response.setContentType("application/json");
    response.getWriter().write("{}");
  }
}
