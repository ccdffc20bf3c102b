import NIOCore

/// One request, already rendered to bytes, and what to do with its reply.
struct UpstreamExchange {
    var request: ByteBuffer
    var deadline: NIODeadline
    /// Called once, on the connection's event loop.
    var completion: (Result<UpstreamHTTPReply, any Error>) -> Void
}

struct UpstreamHTTPReply: Sendable {
    var status: Int
    var body: ByteBuffer
    var keepAlive: Bool
}

enum UpstreamExchangeError: Error {
    case timedOut
    case closed
    /// The connection closed before a single byte of the reply: on a reused keep-alive connection, the
    /// server most likely closed it as idle just as the request went out, so it never saw the request.
    case closedBeforeReply
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
    /// Bytes of the response so far; nil between responses (so NIO can reuse its receive buffer), which
    /// also tells whether any byte of the current reply arrived.
    private var received: ByteBuffer?
    /// The deadline timer and when it fires. Armed lazily: an exchange that starts while the timer is
    /// pending for an earlier deadline leaves it be, and the timer re-arms for the exchange then in
    /// flight when it fires. So a busy connection schedules about one timer per timeout period instead of
    /// one per call (a scheduled task and its heap entry per call showed in the profile).
    private var timer: NIOScheduledCallback?
    private var timerDeadline = NIODeadline.distantFuture

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
            exchange.completion(.failure(UpstreamExchangeError.closedBeforeReply))
            return
        }
        current = exchange
        if timer == nil || exchange.deadline < timerDeadline { arm(at: exchange.deadline, on: context.eventLoop) }
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
        // Taken, not copied: a copy retains the request buffer and the completion, and releases them again.
        guard let exchange = current.take() else { return }
        // Anything after the response means the server is out of step: do not reuse the connection.
        let keepAlive = response.keepAlive && (received?.readableBytes ?? 0) == 0
        if keepAlive { received = nil }
        exchange.completion(.success(UpstreamHTTPReply(status: response.status, body: response.body, keepAlive: keepAlive)))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if received != nil, let response = parser.finish(from: &received!) { complete(with: response) }
        fail(received == nil ? UpstreamExchangeError.closedBeforeReply : UpstreamExchangeError.closed)
        context.fireChannelInactive()
    }

    private func arm(at deadline: NIODeadline, on eventLoop: any EventLoop) {
        timer?.cancel()
        timerDeadline = deadline
        // A scheduled callback, not a task: no promise (the handler itself is called back).
        timer = try? eventLoop.assumeIsolated().scheduleCallback(at: deadline, handler: self)
    }

    private func fail(_ error: any Error) {
        timer?.cancel()
        timer = nil
        guard let exchange = current.take() else {
            context?.close(promise: nil)
            return
        }
        exchange.completion(.failure(error))
        context?.close(promise: nil)
    }
}

extension UpstreamExchangeHandler: NIOScheduledCallbackHandler {
    /// A deadline passed: the exchange in flight timed out if it is its own; otherwise wait for that one's.
    func handleScheduledCallback(eventLoop: some EventLoop) {
        timer = nil
        guard let exchange = current else { return }
        if exchange.deadline <= .now() {
            fail(UpstreamExchangeError.timedOut)
        } else {
            arm(at: exchange.deadline, on: eventLoop)
        }
    }
}
