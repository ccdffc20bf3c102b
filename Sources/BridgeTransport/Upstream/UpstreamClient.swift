import BridgeCore

/// Sends one translated call to the upstream and returns its reply envelope. Implemented per transport.
package protocol UpstreamClient: Sendable {
    /// Throws `UpstreamError`; never waits longer than the client's per-call timeout.
    func send(_ call: UpstreamCall) async throws(UpstreamError) -> JSONValue
}
