package dev.atelier.emulator;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Sends response headers as soon as a streaming call starts, as production does. Without them an
 * error on a stream (an invalid query) goes out "trailers-only", which google-gax's Node retry
 * wrapper takes for "no response" and re-sends the request twice with backoff: a bad query took ~7
 * s to fail.
 */
final class EagerHeaders implements ServerInterceptor {

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata requestHeaders, ServerCallHandler<ReqT, RespT> next) {
    if (call.getMethodDescriptor().getType().serverSendsOneMessage()) {
      return next.startCall(call, requestHeaders);
    }
    call.sendHeaders(new Metadata());
    // The stub sends headers again before its first message; they are already out.
    return next.startCall(
        new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
          @Override
          public void sendHeaders(Metadata headers) {}
        },
        requestHeaders);
  }
}
