package dev.atelier.local.sample;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;

/** A throwaway function for hosting tests: answers with its path and one env variable. */
public class SampleHttpFunction implements HttpFunction {

  @Override
  public void service(HttpRequest request, HttpResponse response) throws Exception {
    response.setContentType("text/plain");
    response
        .getWriter()
        .write(
            "sample "
                + request.getMethod()
                + " "
                + request.getPath()
                + " "
                + System.getenv("K_SERVICE"));
  }
}
