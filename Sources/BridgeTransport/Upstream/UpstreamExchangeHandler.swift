import NIOCore

/// One request, already rendered to bytes, and what to do with its reply.
struct UpstreamExchange {
    var request: ByteBuffer
    var deadline: NIODeadline
    /// Called once, on the connection's event loop.
    var completion: (Result<UpstreamReply, any Error>) -> Void
}

struct UpstreamReply: Sendable {
    var status: Int
    var body: ByteBuffer
    var keepAlive: Bool
}

enum UpstreamExchangeError: Error {
    case timedOut
    case closed
    case badResponse(String)
}

/// Writes one exchange at a time on a keep-alive connection and reads its response; fails it on
/// deadline, error, garbage or close.
///
/// States: idle → waiting (request written) → idle again after a whole response, or closed on any
/// failure. The pool calls `start` directly on the event loop. Bytes go straight to the socket and
/// responses are read by `HTTP1ResponseParser` (why by hand: see there).
final class UpstreamExchangeHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Replies larger than this are refused as garbage; a 10 000-member list is about 3 MB.
    static let maximumReplySize = 64 << 20

    private var context: ChannelHandlerContext?
    private var current: UpstreamExchange?
    private var parser = HTTP1ResponseParser(maximumBodySize: UpstreamExchangeHandler.maximumReplySize)
    /// Bytes of the response so far; nil between responses, so NIO can reuse its receive buffer.
    private var received: ByteBuffer?
    private var timer: NIOScheduledCallback?

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        fail(UpstreamExchangeError.closed)
        self.context = nil
    }

    /// Sends `exchange`; must be called on the channel's event loop.
    func start(_ exchange: UpstreamExchange) {
        guard current == nil, let context, context.channel.isActive else {
            exchange.completion(.failure(UpstreamExchangeError.closed))
            return
        }
        current = exchange
        // A scheduled callback, not a task: no promise per call (the handler itself is called back).
        timer = try? context.eventLoop.assumeIsolated().scheduleCallback(at: exchange.deadline, handler: self)
        context.writeAndFlush(wrapOutboundOut(exchange.request), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        if received == nil { received = bytes } else { received!.writeBuffer(&bytes) }
        guard current != nil else {
            // Bytes nobody asked for: the connection is out of step, so it is not reused.
            return fail(UpstreamExchangeError.badResponse("unsolicited bytes"))
        }
        do {
            guard let response = try parser.next(from: &received!) else { return }
            complete(with: response)
        } catch {
            fail(UpstreamExchangeError.badResponse("\(error)"))
        }
    }

    private func complete(with response: HTTP1ResponseParser.Response) {
        guard let exchange = current else { return }
        current = nil
        timer?.cancel()
        // Anything after the response means the server is out of step: do not reuse the connection.
        let keepAlive = response.keepAlive && (received?.readableBytes ?? 0) == 0
        if keepAlive { received = nil }
        exchange.completion(.success(UpstreamReply(status: response.status, body: response.body, keepAlive: keepAlive)))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if received != nil, let response = parser.finish(from: &received!) { complete(with: response) }
        fail(UpstreamExchangeError.closed)
        context.fireChannelInactive()
    }

    private func fail(_ error: any Error) {
        timer?.cancel()
        guard let exchange = current else {
            context?.close(promise: nil)
            return
        }
        current = nil
        exchange.completion(.failure(error))
        context?.close(promise: nil)
    }
}

extension UpstreamExchangeHandler: NIOScheduledCallbackHandler {
    /// The exchange's deadline passed.
    func handleScheduledCallback(eventLoop: some EventLoop) {
        fail(UpstreamExchangeError.timedOut)
    }
}
