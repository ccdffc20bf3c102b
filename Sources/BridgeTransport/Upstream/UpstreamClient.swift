import BridgeCore
import NIOCore

/// Sends one translated call to the upstream and returns its reply envelope. Implemented per transport.
package protocol UpstreamClient: Sendable {
    /// Throws `UpstreamError`; never waits longer than the client's per-call timeout.
    func send(_ call: UpstreamCall) async throws(UpstreamError) -> JSONValue

    /// The same call answered on `eventLoop` with no Swift task and no future: `completion` runs once, on
    /// that loop. Returns false when this client cannot do that for this call; then `completion` is never
    /// called and the caller uses `send(_:)`.
    func send(_ call: UpstreamCall, on eventLoop: any EventLoop, completion: @escaping UpstreamCompletion) -> Bool
}

package typealias UpstreamCompletion = @Sendable (Result<JSONValue, UpstreamError>) -> Void

extension UpstreamClient {
    package func send(_ call: UpstreamCall, on eventLoop: any EventLoop, completion: @escaping UpstreamCompletion) -> Bool {
        false
    }
}
