/// The fused path of one action from client to upstream and back, for one (client, upstream) pair.
///
/// The compiler builds it from both legs at load time, so the message path runs one route, not two tables.
struct Route: Sendable, Equatable {
    /// The action's name in the hub (standard OneBot 11 and its common extensions).
    var hubAction: String
    /// The action's name on the upstream's wire.
    var upstreamAction: String
    /// Client-leg operations specific to this route (for example one `send_message` detail type).
    var clientRequestOps: FieldOps
    var upstreamRequestOps: FieldOps
    var upstreamResponseOps: FieldOps
    /// Upstream error rows for this action, searched before the dialect-wide ones.
    var errorRules: [ErrorRule]
    /// Set when the upstream lacks this action: answered with `unsupported_action`, no upstream call.
    var unsupportedReason: String?
}

/// How a client action reaches the upstream.
enum RouteChoice: Sendable, Equatable {
    case fixed(Route)
    /// Chosen by the value of one param, e.g. `send_message` by `detail_type`.
    case dispatch(param: String, cases: [String: Route])
    /// Answered by the bridge itself.
    case local(LocalAnswer)
    case unsupported(reason: String)
}

/// Actions the bridge answers without the upstream.
enum LocalAnswer: String, Sendable, CaseIterable {
    /// OB12 `get_supported_actions`, computed from the plan.
    case supportedActions = "supported_actions"
    /// OB12 `get_version`: the bridge is the OB12 implementation.
    case bridgeVersion = "bridge_version"
}
