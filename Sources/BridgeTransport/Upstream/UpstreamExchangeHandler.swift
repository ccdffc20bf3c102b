import NIOCore
import NIOHTTP1

/// One request and the promise for its reply, handed to the connection's pipeline.
struct UpstreamExchange: @unchecked Sendable {
    // @unchecked: ByteBuffer and the head are values; the promise is thread-safe by design. Created
    // on the caller's thread and only read on the channel's event loop.
    var head: HTTPRequestHead
    var body: ByteBuffer
    var promise: EventLoopPromise<UpstreamReply>
    var deadline: NIODeadline
}

struct UpstreamReply: Sendable {
    var status: Int
    var body: ByteBuffer
    var keepAlive: Bool
}

enum UpstreamExchangeError: Error {
    case timedOut
    case closed
}

/// Writes one exchange at a time and collects its response; fails it on deadline, error or close.
///
/// States: idle → waiting (request written) → idle again after `.end`, or closed on any failure.
final class UpstreamExchangeHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = Never
    typealias OutboundOut = HTTPClientRequestPart

    /// Replies larger than this are refused as garbage; a 10 000-member list is about 3 MB.
    static let maximumReplySize = 64 << 20

    private var current: UpstreamExchange?
    private var status = 0
    private var keepAlive = true
    private var body: ByteBuffer?
    private var timer: Scheduled<Void>?

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let exchange = event as? UpstreamExchange else { return context.fireUserInboundEventTriggered(event) }
        guard current == nil, context.channel.isActive else {
            exchange.promise.fail(UpstreamExchangeError.closed)
            return
        }
        current = exchange
        status = 0
        body = nil
        let loopBoundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(deadline: exchange.deadline) { [weak self] in
            self?.fail(UpstreamExchangeError.timedOut, context: loopBoundContext.value)
        }
        context.write(wrapOutboundOut(.head(exchange.head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(exchange.body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = Int(head.status.code)
            keepAlive = head.isKeepAlive
        case .body(var part):
            if body == nil { body = part } else { body?.writeBuffer(&part) }
            if (body?.readableBytes ?? 0) > Self.maximumReplySize { fail(UpstreamExchangeError.closed, context: context) }
        case .end:
            guard let exchange = current else { return }
            current = nil
            timer?.cancel()
            exchange.promise.succeed(UpstreamReply(status: status, body: body ?? ByteBuffer(), keepAlive: keepAlive))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error, context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(UpstreamExchangeError.closed, context: context)
        context.fireChannelInactive()
    }

    private func fail(_ error: any Error, context: ChannelHandlerContext) {
        timer?.cancel()
        guard let exchange = current else { return }
        current = nil
        exchange.promise.fail(error)
        context.close(promise: nil)
    }
}
