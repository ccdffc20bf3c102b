import BridgeCore
import Logging
import NIOCore
import Synchronization

/// The upstream's WebSocket connections (it dialed `/upstream/ws`), and the calls waiting on them.
///
/// The bridge gives every call its own echo, so replies from several callers on one socket cannot be
/// confused; a reply that comes after its deadline, or twice, is dropped.
package final class UpstreamSockets: Sendable {
    /// One connection, writable while it lasts.
    package struct Socket: Sendable {
        package var id: Int
        package var selfID: String?
        /// `API`, `Event` or `Universal` (X-Client-Role; Lagrange spells it `Api`).
        package var role: String
        package var write: @Sendable (String) async throws -> Void

        var carriesActions: Bool { role.lowercased() != "event" }
    }

    private struct Pending: Sendable {
        var socketID: Int
        var continuation: CheckedContinuation<JSONValue, any Error>
    }

    private struct State: Sendable {
        var sockets: [Socket] = []
        /// Distinct X-Self-IDs in connection order, kept current on attach and detach (read per call).
        var accounts: [String] = []
        var pending: [String: Pending] = [:]
        var nextID = 0
    }

    private let state = Mutex(State())
    private let logger: Logger

    package init(logger: Logger) {
        self.logger = logger
    }

    package var isConnected: Bool { state.withLock { $0.sockets.contains { $0.carriesActions } } }

    /// The distinct bot accounts connected (from X-Self-ID), in connection order.
    package var selfIDs: [String] { state.withLock { $0.accounts } }

    private static func accounts(of sockets: [Socket]) -> [String] {
        var seen: [String] = []
        for id in sockets.compactMap(\.selfID) where !seen.contains(id) { seen.append(id) }
        return seen
    }

    /// Registers a socket; returns its id for `detach`.
    package func attach(selfID: String?, role: String, write: @escaping @Sendable (String) async throws -> Void) -> Int {
        state.withLock { state in
            state.nextID += 1
            state.sockets.append(Socket(id: state.nextID, selfID: selfID, role: role, write: write))
            state.accounts = Self.accounts(of: state.sockets)
            return state.nextID
        }
    }

    /// Forgets a socket and fails the calls still waiting on it.
    package func detach(_ id: Int) {
        let orphans = state.withLock { state -> [Pending] in
            state.sockets.removeAll { $0.id == id }
            state.accounts = Self.accounts(of: state.sockets)
            let orphans = state.pending.filter { $0.value.socketID == id }
            for key in orphans.keys { state.pending.removeValue(forKey: key) }
            return Array(orphans.values)
        }
        for call in orphans { call.continuation.resume(throwing: UpstreamExchangeError.closed) }
    }

    /// Resolves the call a reply frame answers. Returns false when no call waits for it (late or unknown).
    @discardableResult
    package func receive(reply: JSONObject) -> Bool {
        guard let echo = reply["echo"]?.stringValue,
            let call = state.withLock({ $0.pending.removeValue(forKey: echo) })
        else { return false }
        call.continuation.resume(returning: .object(reply))
        return true
    }

    /// Sends `call` on an action-carrying socket and waits for its reply, at most `timeoutMilliseconds`.
    package func send(_ call: UpstreamCall, timeoutMilliseconds: Int64) async throws(UpstreamError) -> JSONValue {
        let (socket, echo) = state.withLock { state -> (Socket?, String) in
            state.nextID += 1
            let candidates = state.sockets.filter { $0.carriesActions && (call.selfID == nil || $0.selfID == call.selfID) }
            return (candidates.last, "bridge-\(state.nextID)")
        }
        guard let socket else { throw .connectFailed(action: call.action, reason: "no upstream WebSocket is connected") }
        let frame = call.frame(echo: .string(echo)).jsonText
        do {
            return try await withThrowingTaskGroup(of: JSONValue.self) { group in
                group.addTask {
                    try await withCheckedThrowingContinuation { continuation in
                        self.state.withLock { $0.pending[echo] = Pending(socketID: socket.id, continuation: continuation) }
                        Task {
                            do { try await socket.write(frame) } catch {
                                self.state.withLock { $0.pending.removeValue(forKey: echo) }?.continuation.resume(throwing: error)
                            }
                        }
                    }
                }
                group.addTask {
                    try await Task.sleep(for: .milliseconds(timeoutMilliseconds))
                    self.state.withLock { $0.pending.removeValue(forKey: echo) }?.continuation
                        .resume(throwing: UpstreamExchangeError.timedOut)
                    throw UpstreamExchangeError.timedOut
                }
                defer { group.cancelAll() }
                guard let reply = try await group.next() else { throw UpstreamExchangeError.closed }
                return reply
            }
        } catch UpstreamExchangeError.timedOut {
            throw .timedOut(action: call.action, afterMilliseconds: timeoutMilliseconds)
        } catch {
            throw .connectFailed(action: call.action, reason: "the upstream WebSocket closed: \(error)")
        }
    }
}

/// Sends each call over the upstream's WebSocket while one is connected, over HTTP otherwise.
package struct RoutingUpstreamClient: UpstreamClient {
    let sockets: UpstreamSockets
    let http: any UpstreamClient
    let timeoutMilliseconds: Int64

    package init(sockets: UpstreamSockets, http: any UpstreamClient, timeoutMilliseconds: Int64) {
        self.sockets = sockets
        self.http = http
        self.timeoutMilliseconds = timeoutMilliseconds
    }

    package func send(_ call: UpstreamCall) async throws(UpstreamError) -> JSONValue {
        if sockets.isConnected { return try await sockets.send(call, timeoutMilliseconds: timeoutMilliseconds) }
        return try await http.send(call)
    }

    package func send(_ call: UpstreamCall, on eventLoop: any EventLoop, completion: @escaping UpstreamCompletion) -> Bool {
        !sockets.isConnected && http.send(call, on: eventLoop, completion: completion)
    }
}
