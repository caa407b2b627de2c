package dev.atelier.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.cloud.functions.HttpRequest;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClientInfoTest {

  /** Just the headers of a request, as the Functions Framework hands them over. */
  private record Headers(Map<String, List<String>> headers) implements HttpRequest {
    @Override
    public String getMethod() {
      return "POST";
    }

    @Override
    public String getUri() {
      return "/";
    }

    @Override
    public String getPath() {
      return "/";
    }

    @Override
    public Optional<String> getQuery() {
      return Optional.empty();
    }

    @Override
    public Map<String, List<String>> getQueryParameters() {
      return Map.of();
    }

    @Override
    public Map<String, HttpPart> getParts() {
      return Map.of();
    }

    @Override
    public Optional<String> getContentType() {
      return Optional.empty();
    }

    @Override
    public long getContentLength() {
      return 0;
    }

    @Override
    public Optional<String> getCharacterEncoding() {
      return Optional.empty();
    }

    @Override
    public InputStream getInputStream() {
      return new ByteArrayInputStream(new byte[0]);
    }

    @Override
    public BufferedReader getReader() {
      return new BufferedReader(new StringReader(""));
    }

    @Override
    public Map<String, List<String>> getHeaders() {
      return headers;
    }
  }

  private static Optional<String> ip(String forwardedFor) {
    return ClientInfo.from(new Headers(Map.of("X-Forwarded-For", List.of(forwardedFor)))).ip();
  }

  @Test
  void clientIpIsTheRightMostForwardedForAddressTheFrontEndAppended() {
    assertEquals(Optional.of("198.51.100.7"), ip("203.0.113.5, 198.51.100.7"));
    assertEquals(Optional.of("198.51.100.7"), ip("1.1.1.1, 2.2.2.2 ,198.51.100.7 "));
    assertEquals(Optional.of("2001:db8::1"), ip("spoofed, 2001:db8::1"));
  }

  @Test
  void aForgedOrEmptyHeaderGivesNoIp() {
    assertEquals(Optional.empty(), ip(""));
    assertEquals(Optional.empty(), ip("203.0.113.5, "));
    assertEquals(Optional.empty(), ip("x".repeat(100)));
  }
}
