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

package typealias UpstreamCompletion = @Sendable (Result<UpstreamReply, UpstreamError>) -> Void

/// A successful exchange's reply as the HTTP client read it: the 2xx body, not parsed yet, so a reply the
/// streaming path can translate (`Translator.streamedResponse`) is never built as a value tree.
package struct UpstreamReply: Sendable {
    package var body: ByteBuffer
    package var action: String
    /// Set when the body was already parsed (an envelope on a failure status), so it is not parsed twice.
    var parsed: JSONValue?

    package init(body: ByteBuffer, action: String, parsed: JSONValue? = nil) {
        self.body = body
        self.action = action
        self.parsed = parsed
    }

    /// The parsed envelope, or `malformedBody` when the body is not JSON.
    package func envelope() throws(UpstreamError) -> JSONValue {
        if let parsed { return parsed }
        do {
            return try HTTPParams.json(body)
        } catch {
            throw .malformedBody(action: action, reason: error.description)
        }
    }
}

extension UpstreamClient {
    package func send(_ call: UpstreamCall, on eventLoop: any EventLoop, completion: @escaping UpstreamCompletion) -> Bool {
        false
    }
}
