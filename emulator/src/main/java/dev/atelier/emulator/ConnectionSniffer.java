package dev.atelier.emulator;

import io.grpc.netty.shaded.io.grpc.netty.ProtocolNegotiationEvent;
import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpObjectAggregator;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpServerCodec;
import io.grpc.netty.shaded.io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * First handler of every connection on the emulator's port. A connection opening with the HTTP/2
 * preface continues to gRPC; anything else is HTTP/1.1 for the admin API. On gRPC connections it
 * stays as a pass-through that watches for the client's GOAWAY: the client's close() waits for its
 * open Listen streams, which a server never ends by itself, so the connection is closed shortly
 * after the client announces its shutdown.
 */
final class ConnectionSniffer extends ChannelInboundHandlerAdapter {
  private static final byte[] PREFACE_START = "PRI".getBytes(StandardCharsets.US_ASCII);
  private static final int PREFACE_LENGTH = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".length();
  private static final long GOAWAY_GRACE_MILLIS = 300;
  private static final int MAX_ADMIN_BODY = 1024 * 1024;

  private final ChannelHandler grpcNegotiation;
  private final AdminHttp admin;
  private ProtocolNegotiationEvent negotiationEvent;
  private ByteBuf head;
  private Http2GoAwayDetector goAway;
  private boolean closing;

  ConnectionSniffer(ChannelHandler grpcNegotiation, AdminHttp admin) {
    this.grpcNegotiation = grpcNegotiation;
    this.admin = admin;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (goAway == null && event instanceof ProtocolNegotiationEvent negotiation) {
      negotiationEvent = negotiation; // handed to gRPC once we know the connection is HTTP/2
      return;
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (goAway != null) {
      watchForGoAway(ctx, (ByteBuf) msg);
      ctx.fireChannelRead(msg);
      return;
    }
    ByteBuf bytes = (ByteBuf) msg;
    head = head == null ? bytes : ctx.alloc().compositeBuffer().addComponents(true, head, bytes);
    if (head.readableBytes() < PREFACE_START.length) {
      return;
    }
    ByteBuf buffered = head;
    head = null;
    if (startsWithPreface(buffered)) {
      goAway = new Http2GoAwayDetector(PREFACE_LENGTH);
      ctx.pipeline().addAfter(ctx.name(), null, grpcNegotiation);
      if (negotiationEvent != null) {
        ctx.fireUserEventTriggered(negotiationEvent);
      }
      watchForGoAway(ctx, buffered);
      ctx.fireChannelRead(buffered);
    } else {
      ctx.pipeline()
          .addAfter(ctx.name(), null, new AdminHttpHandler(admin))
          .addAfter(ctx.name(), null, new HttpObjectAggregator(MAX_ADMIN_BODY))
          .addAfter(ctx.name(), null, new HttpServerCodec());
      ctx.fireChannelRead(buffered);
      ctx.pipeline().remove(this);
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (head != null) {
      ReferenceCountUtil.release(head);
      head = null;
    }
  }

  private static boolean startsWithPreface(ByteBuf bytes) {
    for (int i = 0; i < PREFACE_START.length; i++) {
      if (bytes.getByte(bytes.readerIndex() + i) != PREFACE_START[i]) {
        return false;
      }
    }
    return true;
  }

  private void watchForGoAway(ChannelHandlerContext ctx, ByteBuf bytes) {
    if (closing) {
      return;
    }
    byte[] copy = new byte[bytes.readableBytes()];
    bytes.getBytes(bytes.readerIndex(), copy);
    if (goAway.feed(copy, 0, copy.length)) {
      closing = true;
      // ctx.close() starts below gRPC's HTTP/2 handler, whose own close would wait for the streams.
      ctx.executor().schedule(() -> ctx.close(), GOAWAY_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }
  }
}
