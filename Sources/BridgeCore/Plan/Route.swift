/// The fused path of one action from client to upstream and back, for one (client, upstream) pair.
///
/// The compiler builds it from both legs at load time, so the message path runs one route, not two tables.
package struct Route: Sendable, Equatable {
    package init(hubAction: String, upstreamAction: String, clientParams: [ParamSpec] = [],
                 clientRequestOps: FieldOps = .empty, upstreamRequestOps: FieldOps = .empty,
                 upstreamResponseOps: FieldOps = .empty, errorRules: [ErrorRule] = [],
                 unsupportedReason: String? = nil) {
        storage = Storage(Fields(hubAction: hubAction, upstreamAction: upstreamAction, clientParams: clientParams,
                                 clientRequestOps: clientRequestOps, upstreamRequestOps: upstreamRequestOps,
                                 upstreamResponseOps: upstreamResponseOps, errorRules: errorRules,
                                 unsupportedReason: unsupportedReason))
    }

    struct Fields: Sendable, Equatable {
        var hubAction: String
        var upstreamAction: String
        var clientParams: [ParamSpec]
        var clientRequestOps: FieldOps
        var upstreamRequestOps: FieldOps
        var upstreamResponseOps: FieldOps
        var errorRules: [ErrorRule]
        var unsupportedReason: String?
    }

    /// The fields in one immutable shared box: every call copies its route (out of the plan, into an
    /// `UpstreamCall`), and one reference costs one retain where eight fields cost eight.
    private final class Storage: Sendable {
        let fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private var storage: Storage

    /// Routes change only while the compiler builds them (and for pass-through calls), so a change builds a new box.
    private mutating func update(_ change: (inout Fields) -> Void) {
        var fields = storage.fields
        change(&fields)
        storage = Storage(fields)
    }

    /// The action's name in the hub (standard OneBot 11 and its common extensions).
    package var hubAction: String {
        get { storage.fields.hubAction }
        set { update { $0.hubAction = newValue } }
    }
    /// The action's name on the upstream's wire.
    package var upstreamAction: String {
        get { storage.fields.upstreamAction }
        set { update { $0.upstreamAction = newValue } }
    }
    /// Params checked once this route is chosen (for example `user_id` for private messages).
    package var clientParams: [ParamSpec] {
        get { storage.fields.clientParams }
        set { update { $0.clientParams = newValue } }
    }
    /// Client-leg operations specific to this route (for example one `send_message` detail type).
    package var clientRequestOps: FieldOps {
        get { storage.fields.clientRequestOps }
        set { update { $0.clientRequestOps = newValue } }
    }
    package var upstreamRequestOps: FieldOps {
        get { storage.fields.upstreamRequestOps }
        set { update { $0.upstreamRequestOps = newValue } }
    }
    package var upstreamResponseOps: FieldOps {
        get { storage.fields.upstreamResponseOps }
        set { update { $0.upstreamResponseOps = newValue } }
    }
    /// Upstream error rows for this action, searched before the dialect-wide ones.
    package var errorRules: [ErrorRule] {
        get { storage.fields.errorRules }
        set { update { $0.errorRules = newValue } }
    }
    /// Set when the upstream lacks this action: answered with `unsupported_action`, no upstream call.
    package var unsupportedReason: String? {
        get { storage.fields.unsupportedReason }
        set { update { $0.unsupportedReason = newValue } }
    }

    package static func == (lhs: Route, rhs: Route) -> Bool {
        lhs.storage === rhs.storage || lhs.storage.fields == rhs.storage.fields
    }
}

/// How a client action reaches the upstream.
package enum RouteChoice: Sendable, Equatable {
    case fixed(Route)
    /// Chosen by the value of one param, e.g. `send_message` by `detail_type`.
    case dispatch(param: String, cases: [String: Route])
    /// Answered by the bridge itself.
    case local(LocalAnswer)
    case unsupported(reason: String)
}

/// Actions the bridge answers without the upstream.
package enum LocalAnswer: String, Sendable, CaseIterable {
    /// OB12 `get_supported_actions`, computed from the plan.
    case supportedActions = "supported_actions"
    /// OB12 `get_version`: the bridge is the OB12 implementation.
    case bridgeVersion = "bridge_version"
    /// OB12 `get_latest_events`: answered from the transport's event buffer (the core holds no state).
    case latestEvents = "latest_events"
}
