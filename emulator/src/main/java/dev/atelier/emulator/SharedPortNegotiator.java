package dev.atelier.emulator;

import io.grpc.netty.shaded.io.grpc.netty.GrpcHttp2ConnectionHandler;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiator;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiators;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.util.AsciiString;

/**
 * Plaintext gRPC that also serves the admin HTTP/1.1 API on the same port, as Google's emulator
 * does: each connection starts with a {@link ConnectionSniffer}.
 */
final class SharedPortNegotiator implements InternalProtocolNegotiator.ProtocolNegotiator {
  private final InternalProtocolNegotiator.ProtocolNegotiator plaintext =
      InternalProtocolNegotiators.serverPlaintext();
  private final AdminHttp admin;

  SharedPortNegotiator(AdminHttp admin) {
    this.admin = admin;
  }

  @Override
  public AsciiString scheme() {
    return plaintext.scheme();
  }

  @Override
  public ChannelHandler newHandler(GrpcHttp2ConnectionHandler grpcHandler) {
    return new ConnectionSniffer(plaintext.newHandler(grpcHandler), admin);
  }

  @Override
  public void close() {
    plaintext.close();
  }
}
