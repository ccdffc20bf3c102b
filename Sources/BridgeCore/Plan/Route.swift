/// The fused path of one action from client to upstream and back, for one (client, upstream) pair.
///
/// The compiler builds it from both legs at load time, so the message path runs one route, not two tables.
package struct Route: Sendable, Equatable {
    package init(hubAction: String, upstreamAction: String, clientParams: [ParamSpec] = [],
                 clientRequestOps: FieldOps = .empty, upstreamRequestOps: FieldOps = .empty,
                 upstreamResponseOps: FieldOps = .empty, errorRules: [ErrorRule] = [],
                 unsupportedReason: String? = nil) {
        fields = CopyOnWrite(Fields(
            hubAction: hubAction, upstreamAction: upstreamAction, clientParams: clientParams,
            clientRequestOps: clientRequestOps, upstreamRequestOps: upstreamRequestOps,
            upstreamResponseOps: upstreamResponseOps, errorRules: errorRules, unsupportedReason: unsupportedReason))
    }

    private struct Fields: Sendable, Equatable {
        var hubAction: String
        var upstreamAction: String
        var clientParams: [ParamSpec]
        var clientRequestOps: FieldOps
        var upstreamRequestOps: FieldOps
        var upstreamResponseOps: FieldOps
        var errorRules: [ErrorRule]
        var unsupportedReason: String?
    }

    /// Every field behind one reference: each call copies its route into the upstream call (CopyOnWrite).
    private var fields: CopyOnWrite<Fields>

    /// The action's name in the hub (standard OneBot 11 and its common extensions).
    package var hubAction: String { _read { yield fields.value.hubAction } _modify { yield &fields.value.hubAction } }
    /// The action's name on the upstream's wire.
    package var upstreamAction: String {
        _read { yield fields.value.upstreamAction } _modify { yield &fields.value.upstreamAction }
    }
    /// Params checked once this route is chosen (for example `user_id` for private messages).
    package var clientParams: [ParamSpec] { _read { yield fields.value.clientParams } _modify { yield &fields.value.clientParams } }
    /// Client-leg operations specific to this route (for example one `send_message` detail type).
    package var clientRequestOps: FieldOps {
        _read { yield fields.value.clientRequestOps } _modify { yield &fields.value.clientRequestOps }
    }
    package var upstreamRequestOps: FieldOps {
        _read { yield fields.value.upstreamRequestOps } _modify { yield &fields.value.upstreamRequestOps }
    }
    package var upstreamResponseOps: FieldOps {
        _read { yield fields.value.upstreamResponseOps } _modify { yield &fields.value.upstreamResponseOps }
    }
    /// Upstream error rows for this action, searched before the dialect-wide ones.
    package var errorRules: [ErrorRule] { _read { yield fields.value.errorRules } _modify { yield &fields.value.errorRules } }
    /// Set when the upstream lacks this action: answered with `unsupported_action`, no upstream call.
    package var unsupportedReason: String? {
        _read { yield fields.value.unsupportedReason } _modify { yield &fields.value.unsupportedReason }
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
