import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// A face's path answered inline: the answer for a request head and its complete body.
package struct InlineRoute: Sendable {
    package var method: HTTPRequest.Method
    package var path: String
    package var answer: @Sendable (HTTPRequest, Result<ByteBuffer, any Error>, any EventLoop) -> EventLoopFuture<FaceAnswer>

    package init(method: HTTPRequest.Method, path: String,
                 answer: @escaping @Sendable (HTTPRequest, Result<ByteBuffer, any Error>, any EventLoop) -> EventLoopFuture<FaceAnswer>) {
        self.method = method
        self.path = path
        self.answer = answer
    }
}

/// The body of an inline request was larger than `HTTPParams.maximumBodySize`.
struct InlineBodyTooLarge: Error, CustomStringConvertible {
    var description: String { "the body is larger than \(HTTPParams.maximumBodySize) bytes" }
}

/// Answers the action faces' requests on the connection's event loop, ahead of Hummingbird's router.
///
/// Why by hand: Hummingbird runs every request in a Swift task through the router, which measured about
/// 31 µs of CPU per request on this project's machine (31.7k/s for `/healthz` on one core), more than
/// nginx spends proxying a call (bench/README.md). Here a request for an inline route is read, answered
/// and written without leaving the event loop. Everything else passes through untouched (other paths and
/// methods, WebSocket upgrades, and any request that arrives while Hummingbird still owes an answer on
/// the same connection), so Hummingbird keeps every rule it had and answers stay in request order.
package final class InlineAnswerHandler: ChannelDuplexHandler, RemovableChannelHandler {
    package typealias InboundIn = HTTPRequestPart
    package typealias InboundOut = HTTPRequestPart
    package typealias OutboundIn = HTTPResponsePart
    package typealias OutboundOut = HTTPResponsePart

    private struct Reading {
        var head: HTTPRequest
        var route: InlineRoute
        var body: ByteBuffer?
        var tooLarge = false
    }

    private let routes: [InlineRoute]
    private let serverName: String
    /// The inline request being read.
    private var reading: Reading?
    /// An inline answer is being computed; parts that arrive meanwhile wait, to keep answers in order.
    private var answering = false
    private var waiting = CircularBuffer<HTTPRequestPart>()
    /// Requests handed to Hummingbird whose answer has not ended yet.
    private var passedThrough = 0
    /// A shutdown request held back until the inline answer in progress is written.
    private var heldQuiesce: Any?

    package init(routes: [InlineRoute], serverName: String) {
        self.routes = routes
        self.serverName = serverName
    }

    package func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if answering || !waiting.isEmpty {
            waiting.append(part)
        } else {
            handle(part, context: context)
        }
    }

    private func handle(_ part: HTTPRequestPart, context: ChannelHandlerContext) {
        switch part {
        case .head(let head):
            if passedThrough == 0, let route = route(for: head) {
                reading = Reading(head: head, route: route)
            } else {
                passedThrough += 1
                context.fireChannelRead(wrapInboundOut(part))
            }
        case .body(var chunk):
            guard var request = reading else { return context.fireChannelRead(wrapInboundOut(part)) }
            reading = nil  // keeps the buffer uniquely referenced while it grows
            if !request.tooLarge {
                if request.body == nil { request.body = chunk } else { request.body!.writeBuffer(&chunk) }
                if request.body!.readableBytes > HTTPParams.maximumBodySize {
                    request.tooLarge = true
                    request.body = nil
                }
            }
            reading = request
        case .end:
            guard let request = reading else { return context.fireChannelRead(wrapInboundOut(part)) }
            reading = nil
            answer(request, context: context)
        }
    }

    private func route(for head: HTTPRequest) -> InlineRoute? {
        guard let target = head.path else { return nil }
        let path = target.utf8.firstIndex(of: UInt8(ascii: "?")).map { target[..<$0] } ?? target[...]
        return routes.first { $0.method == head.method && $0.path == path }
    }

    private func answer(_ request: Reading, context: ChannelHandlerContext) {
        answering = true
        let body: Result<ByteBuffer, any Error> = request.tooLarge
            ? .failure(InlineBodyTooLarge()) : .success(request.body ?? ByteBuffer())
        let closes = request.head.headerFields[.connection]?.lowercased() == "close"
        request.route.answer(request.head, body, context.eventLoop)
            .hop(to: context.eventLoop).assumeIsolated()
            .whenComplete { result in
                switch result {
                case .success(let answer): self.write(answer, closes: closes, context: context)
                case .failure(let error):
                    self.write(.text("internal error: \(error)", status: .internalServerError), closes: closes, context: context)
                }
            }
    }

    private func write(_ answer: FaceAnswer, closes: Bool, context: ChannelHandlerContext) {
        var fields = HTTPFields()
        fields[.contentType] = answer.contentType
        fields[.contentLength] = String(answer.body.readableBytes)
        fields[.server] = serverName
        if closes { fields[.connection] = "close" }
        context.write(wrapOutboundOut(.head(HTTPResponse(status: answer.status, headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(answer.body)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        answering = false
        if closes {
            waiting.removeAll()
            context.close(promise: nil)
            return
        }
        while !answering, let part = waiting.popFirst() {
            handle(part, context: context)
        }
        if !answering, reading == nil, let event = heldQuiesce {
            heldQuiesce = nil
            context.fireUserInboundEventTriggered(event)
        }
    }

    package func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), passedThrough > 0 { passedThrough -= 1 }
        context.write(data, promise: promise)
    }

    package func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent, answering || reading != nil {
            heldQuiesce = event
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    package func channelInactive(context: ChannelHandlerContext) {
        waiting.removeAll()
        reading = nil
        context.fireChannelInactive()
    }
}
