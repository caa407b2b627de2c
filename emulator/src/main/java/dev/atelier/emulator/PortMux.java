package dev.atelier.emulator;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves gRPC and the admin HTTP API on one port, like Google's emulator: a connection opening with
 * the HTTP/2 preface is piped to the internal gRPC server; anything else is HTTP/1.1 for {@link
 * AdminHttp}.
 */
final class PortMux implements AutoCloseable {
  private static final byte[] PREFACE_START = "PRI".getBytes(StandardCharsets.US_ASCII);
  private static final int BUFFER = 64 * 1024;
  private static final int PREFACE_LENGTH = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".length();
  /**
   * After the client's GOAWAY (its channel is shutting down) in-flight calls get this long before
   * the connection is closed: the client's close() waits for open Listen streams, which the server
   * would otherwise never end.
   */
  private static final long GOAWAY_GRACE_MILLIS = 300;

  private final ServerSocket server;
  private final int grpcPort;
  private final AdminHttp http;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final ExecutorService threads =
      Executors.newCachedThreadPool(DaemonThreads.named("firestore-emulator-connection"));

  PortMux(InetSocketAddress bind, int grpcPort, AdminHttp http) throws IOException {
    this.server = new ServerSocket();
    this.server.setReuseAddress(true);
    this.server.bind(bind, 256);
    this.grpcPort = grpcPort;
    this.http = http;
    DaemonThreads.named("firestore-emulator-accept").newThread(this::acceptLoop).start();
  }

  int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        open.add(client);
        threads.execute(() -> serve(client));
      } catch (IOException e) {
        if (server.isClosed()) {
          return;
        }
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      client.setTcpNoDelay(true);
      InputStream in = client.getInputStream();
      byte[] head = new byte[PREFACE_START.length];
      int read = 0;
      while (read < head.length) {
        int n = in.read(head, read, head.length - read);
        if (n < 0) {
          return;
        }
        read += n;
      }
      if (Arrays.equals(head, PREFACE_START)) {
        pipeToGrpc(client, head);
      } else {
        http.serve(
            new BufferedInputStream(new SequenceInputStream(new ByteArrayInputStream(head), in)),
            new BufferedOutputStream(client.getOutputStream()));
      }
    } catch (IOException e) {
      // The peer went away; nothing to report.
    } finally {
      open.remove(client);
    }
  }

  private void pipeToGrpc(Socket client, byte[] head) throws IOException {
    try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), grpcPort)) {
      open.add(upstream);
      upstream.setTcpNoDelay(true);
      upstream.getOutputStream().write(head);
      threads.execute(() -> pump(upstream, client, null));
      pump(client, upstream, new Http2GoAwayDetector(PREFACE_LENGTH - head.length));
    } finally {
      open.removeIf(Socket::isClosed);
    }
  }

  /** Copies bytes until either side ends, then closes both so the other pump ends too. */
  private void pump(Socket from, Socket to, Http2GoAwayDetector goAway) {
    byte[] buffer = new byte[BUFFER];
    boolean closing = false;
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        out.write(buffer, 0, n);
        if (goAway != null && !closing && goAway.feed(buffer, 0, n)) {
          closing = true;
          closeLater(from, to);
        }
      }
    } catch (IOException e) {
      // Either side closed.
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private void closeLater(Socket a, Socket b) {
    threads.execute(() -> {
      try {
        Thread.sleep(GOAWAY_GRACE_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      closeQuietly(a);
      closeQuietly(b);
    });
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Already closed.
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // Already closed.
    }
    open.forEach(PortMux::closeQuietly);
    threads.shutdownNow();
  }
}
