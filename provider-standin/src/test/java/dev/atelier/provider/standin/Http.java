package dev.atelier.provider.standin;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/** Raw HTTP over loopback, to see the stand-in's wire format as any client would. */
final class Http {
  static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  record Answer(int status, String body, HttpResponse<?> response) {
    JsonObject json() {
      return JsonParser.parseString(body).getAsJsonObject();
    }

    Optional<String> header(String name) {
      return response.headers().firstValue(name);
    }
  }

  private Http() {}

  static Answer get(String url) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(url)).GET(), Optional.empty());
  }

  static Answer get(String url, Optional<String> authorization)
      throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(url)).GET(), authorization);
  }

  static Answer post(String url, String json) throws IOException, InterruptedException {
    return post(url, json, Optional.empty());
  }

  static Answer post(String url, String json, Optional<String> authorization)
      throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)),
        authorization);
  }

  static HttpResponse<byte[]> bytes(String url) throws IOException, InterruptedException {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  /** {@code authorization} is the whole header value, e.g. {@code Bearer t}. */
  private static Answer send(HttpRequest.Builder builder, Optional<String> authorization)
      throws IOException, InterruptedException {
    authorization.ifPresent(value -> builder.header("Authorization", value));
    HttpResponse<String> response =
        CLIENT.send(
            builder.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), response.body(), response);
  }
}
