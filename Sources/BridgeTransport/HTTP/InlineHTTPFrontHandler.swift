import HTTPTypes
import NIOCore

/// Answers the action faces' `POST`s straight from a connection's bytes, in front of the HTTP decoder.
///
/// Why by hand: Hummingbird runs each request as a Swift task through its router, and NIO's HTTP
/// codecs convert every request and response through three representations. Measured on this
/// project's machine, that was most of a proxied call's CPU (bench/README.md), more than nginx
/// spends on a whole proxied request. Here a request for an inline route is parsed, answered and
/// written as one buffer without leaving the event loop.
///
/// Everything else goes to Hummingbird untouched: at the first request that is not an inline
/// route (another path or method, a WebSocket upgrade, a chunked body, …) this handler hands over
/// every byte it holds and stays out of the way for the rest of the connection. So Hummingbird keeps
/// every rule it had, and answers stay in request order.
package final class InlineHTTPFrontHandler: ChannelInboundHandler, RemovableChannelHandler {
    package typealias InboundIn = ByteBuffer
    package typealias InboundOut = ByteBuffer
    package typealias OutboundOut = ByteBuffer

    private let routes: [InlineRoute]
    private let maximumBodySize: Int
    /// Bytes not yet answered; nil when drained, so NIO can reuse its receive buffer for the next read.
    private var received: ByteBuffer?
    /// Handed over to Hummingbird for the rest of the connection.
    private var passing = false
    /// An answer is being computed; requests behind it wait in `received`.
    private var answering = false
    /// Shutdown asked while an answer was in flight: close once it is written.
    private var closeWhenIdle = false
    /// Inside `serve`: an answer written synchronously must not start another `serve`.
    private var serving = false

    package init(routes: [InlineRoute], maximumBodySize: Int = HTTPParams.maximumBodySize) {
        self.routes = routes
        self.maximumBodySize = maximumBodySize
    }

    package func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !passing else { return context.fireChannelRead(data) }
        var bytes = unwrapInboundIn(data)
        if received == nil { received = bytes } else { received!.writeBuffer(&bytes) }
        if !answering { serve(context: context) }
    }

    /// Answers every complete request at the front of `received`, one at a time.
    private func serve(context: ChannelHandlerContext) {
        serving = true
        defer { serving = false }
        while !answering, !passing, let buffer = received {
            switch InlineRequestParser.parse(buffer, routes: routes, maximumBodySize: maximumBodySize) {
            case .needMore:
                return
            case .notMine:
                passing = true
                received = nil
                context.fireChannelRead(wrapInboundOut(buffer))
                context.fireChannelReadComplete()
            case .request(let request, let route, let body, let length):
                received!.moveReaderIndex(forwardBy: length)
                if received!.readableBytes == 0 { received = nil }
                answer(request, route: route, body: body, context: context)
            }
        }
    }

    private func answer(_ request: InlineRequest, route: InlineRoute, body: ByteBuffer, context: ChannelHandlerContext) {
        answering = true
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        // Only the flag is captured: the whole request would be copied into the closure, its strings retained.
        let closes = request.closes
        route.answer(request, body, context.eventLoop) { answer in
            let (handler, context) = bound.value
            handler.write(answer, closes: closes || handler.closeWhenIdle, context: context)
        }
    }

    private func write(_ answer: FaceAnswer, closes: Bool, context: ChannelHandlerContext) {
        answering = false
        guard context.channel.isActive else { return }
        context.writeAndFlush(wrapOutboundOut(answer.http1(closes: closes)), promise: nil)
        if closes {
            received = nil
            context.close(promise: nil)
        } else if !serving {
            // An answer given at once (a local action, a refused request) returns into `serve`, which goes on by itself.
            serve(context: context)
        }
    }

    package func channelInactive(context: ChannelHandlerContext) {
        // Hummingbird never saw a request here: to it the peer went away before asking anything, which is
        // what `inputClosed` says (it logs that at trace). Without it, its WebSocket upgrade handler, still
        // waiting for a first request when the pipeline is torn down, logged every connection that ended
        // without a clean close (a reset, a shutdown) as an error.
        if !passing { context.fireUserInboundEventTriggered(ChannelEvent.inputClosed) }
        context.fireChannelInactive()
    }

    package func channelReadComplete(context: ChannelHandlerContext) {
        if passing { context.fireChannelReadComplete() }
    }

    package func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // Graceful shutdown: a connection that Hummingbird never saw is ours to close, after its answer.
        if event is ChannelShouldQuiesceEvent, !passing {
            if answering { closeWhenIdle = true } else { context.close(promise: nil) }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}

extension FaceAnswer {
    private static let statusLineStart = Array("HTTP/1.1 ".utf8)
    private static let serverAndType = Array("\r\nServer: onebot-bridge\r\nContent-Type: ".utf8)
    private static let lengthField = Array("\r\nContent-Length: ".utf8)
    private static let keepOpen = Array("\r\n\r\n".utf8)
    private static let closing = Array("\r\nConnection: close\r\n\r\n".utf8)
    /// The head of nearly every answer (200, JSON) up to the length's digits, rendered once.
    private static let okJSONHead = Array("HTTP/1.1 200 OK\r\nServer: onebot-bridge\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ".utf8)

    /// The whole HTTP/1.1 response in one buffer.
    func http1(closes: Bool) -> ByteBuffer {
        let ending = closes ? Self.closing : Self.keepOpen
        if status == .ok, contentType == Self.jsonType {
            return .written(capacity: Self.okJSONHead.count + 20 + ending.count + body.count) { out in
                out.put(Self.okJSONHead)
                out.putDecimal(body.count)
                out.put(ending)
                body.withUnsafeBufferPointer { out.put($0) }
            }
        }
        let reason = Array(status.reasonPhrase.utf8)
        let type = Array(contentType.utf8)
        let capacity = Self.statusLineStart.count + 4 + reason.count + Self.serverAndType.count + type.count
            + Self.lengthField.count + 20 + ending.count + body.count
        return .written(capacity: capacity) { out in
            out.put(Self.statusLineStart)
            out.putDecimal(status.code)
            out.put(UInt8(ascii: " "))
            out.put(reason)
            out.put(Self.serverAndType)
            out.put(type)
            out.put(Self.lengthField)
            out.putDecimal(body.count)
            out.put(ending)
            body.withUnsafeBufferPointer { out.put($0) }
        }
    }
}
