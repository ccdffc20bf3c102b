import BridgeCore
import BridgeTransport
import Hummingbird
import HummingbirdWebSocket
import Logging

/// The simulator's forward-WebSocket server (onebot11.md §5.1) on its HTTP port: a bridge configured
/// with `upstream_ws_url` dials it, gets lifecycle connect, scripted events and heartbeats, and has its
/// action frames answered like HTTP calls.
///
/// A router middleware rather than `router.ws(path)`: NapCat and Lagrange take a WebSocket on any path,
/// which includes every `/<action>` the HTTP API already routes. Only GET requests asking for a
/// WebSocket upgrade are taken; everything else goes on to the HTTP routes.
package struct SimulatorForwardWebSocket<Context: WebSocketRequestContext>: RouterMiddleware {
    let token: String
    let pump: SimulatorEventPump
    let logger: Logger

    /// What a forward WebSocket on `path` serves in `dialect` (dialects.md §2.3); nil: no WebSocket there. Pure.
    ///
    /// OB11, go-cqhttp and icqq (unverified, so standard): `/` both, `/api` actions, `/event` events, each
    /// with or without a trailing `/`. Lagrange: the same, with both on any other path. NapCat: `/api`
    /// actions only, any other path (`/event` included) both.
    package static func services(dialect: String, path: String) -> (events: Bool, actions: Bool)? {
        let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        switch (dialect, trimmed) {
        case (_, "/api"): return (false, true)
        case ("napcat", _): return (true, true)
        case (_, "/event"): return (true, false)
        case ("lagrange", _), (_, "/"): return (true, true)
        default: return nil
        }
    }

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard request.method == .get, request.headers[.upgrade]?.lowercased() == "websocket" else {
            return try await next(request, context)
        }
        let dialect = pump.scenario.dialect
        guard let services = Self.services(dialect: dialect, path: request.uri.path) else { throw HTTPError(.notFound) }
        let verdict = SimulatorServer.verdict(authorization: request.headers[.authorization], token: token)
        // OB11 refuses before the upgrade with 401 / 403. Hummingbird answers every refused upgrade with a
        // bare 400 instead, so the status thrown here states the intent; the dialer sees a failed upgrade.
        if verdict != .accepted, dialect != "napcat" { throw HTTPError(verdict == .missing ? .unauthorized : .forbidden) }
        let (pump, logger) = (pump, logger)
        let upgrade = WebSocketUpgradeMiddleware<Context>(onUpgrade: { inbound, outbound, _ in
            guard verdict == .accepted else {
                // NapCat upgrades anyway, says why in a frame, then hangs up (dialects.md §2.3).
                let refusal: JSONValue = ["status": "failed", "retcode": 1403, "data": nil,
                                          "message": "token verify failed", "wording": "token verify failed"]
                try await outbound.write(.text(refusal.jsonText))
                // Let the frame reach the client before the close does, as it does from a real NapCat.
                try await Task.sleep(for: .milliseconds(200))
                return
            }
            logger.info("forward WebSocket connected", metadata: ["bridge.path": "\(request.uri.path)"])
            defer { logger.info("forward WebSocket closed", metadata: ["bridge.path": "\(request.uri.path)"]) }
            try await pump.serve(inbound: inbound, outbound: outbound,
                                 sendsEvents: services.events, answersActions: services.actions)
        })
        return try await upgrade.handle(request, context: context, next: next)
    }
}
