import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore

/// Hummingbird's child channel with one handler put in front of its whole pipeline (the inline
/// action path); setup and request handling are otherwise Hummingbird's own.
package struct FrontedChildChannel<Inner: ServerChildChannel>: ServerChildChannel {
    package typealias Value = Inner.Value

    let inner: Inner
    let makeFront: @Sendable () -> InlineHTTPFrontHandler

    package init(inner: Inner, makeFront: @escaping @Sendable () -> InlineHTTPFrontHandler) {
        self.inner = inner
        self.makeFront = makeFront
    }

    package func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        do {
            try channel.pipeline.syncOperations.addHandler(makeFront(), position: .first)
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return inner.setup(channel: channel, logger: logger)
    }

    package func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// Hummingbird's HTTP/1.1 server with WebSocket upgrades, behind the inline action path.
    package static func inlineActions<WSResponder: HTTPResponder>(
        _ routes: [InlineRoute], webSocketResponder: WSResponder, maxFrameSize: Int
    ) -> HTTPServerBuilder where WSResponder.Context: WebSocketRequestContext {
        HTTPServerBuilder { responder in
            FrontedChildChannel(
                inner: HTTP1WebSocketUpgradeChannel(responder: responder, webSocketResponder: webSocketResponder,
                                                    configuration: .init(ws: .init(maxFrameSize: maxFrameSize))),
                makeFront: { InlineHTTPFrontHandler(routes: routes) })
        }
    }
}
