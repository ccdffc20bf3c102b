import BridgeCore
import NIOCore

/// Sends one translated call to the upstream and returns its reply envelope. Implemented per transport.
package protocol UpstreamClient: Sendable {
    /// Throws `UpstreamError`; never waits longer than the client's per-call timeout.
    func send(_ call: UpstreamCall) async throws(UpstreamError) -> JSONValue

    /// The same call answered on `eventLoop` with no Swift task, or nil when this client cannot do that
    /// for this call (the caller then uses `send(_:)`). A failed future carries an `UpstreamError`.
    func send(_ call: UpstreamCall, on eventLoop: any EventLoop) -> EventLoopFuture<JSONValue>?
}

extension UpstreamClient {
    package func send(_ call: UpstreamCall, on eventLoop: any EventLoop) -> EventLoopFuture<JSONValue>? {
        nil
    }
}
