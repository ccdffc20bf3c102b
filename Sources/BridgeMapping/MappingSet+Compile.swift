import BridgeCore

extension MappingSet {
    /// The bridge's own version, reported by OB12 `get_version`.
    package static let bridgeVersion = "0.1.0"

    /// Fuses the client leg, the hub and the upstream leg into one plan. Throws on unknown dialects.
    package func plan(client clientName: String, upstream upstreamName: String) throws(MappingError) -> MappingPlan {
        guard let client = clients[clientName] else {
            throw MappingError(issues: [MappingIssue(file: "mappings", line: 0, keyPath: "client dialect",
                message: "no client dialect '\(clientName)' (have: \(clientNames.joined(separator: ", ")))")])
        }
        guard let upstream = upstreams[upstreamName] else {
            throw MappingError(issues: [MappingIssue(file: "mappings", line: 0, keyPath: "upstream dialect",
                message: "no upstream dialect '\(upstreamName)' (have: \(upstreamNames.joined(separator: ", ")))")])
        }
        let fuser = RouteFuser(upstream: upstream)
        var plan = MappingPlan(
            clientDialect: client.dialect, upstreamDialect: upstream.dialect, idStyle: client.idStyle,
            retcodes: client.retcodes, passthroughRoute: Route(hubAction: "", upstreamAction: ""),
            versionData: ["impl": "onebot-bridge", "version": .string(Self.bridgeVersion), "onebot_version": "12"])
        plan.actionPrefixes = client.actionPrefixes
        plan.segments = client.segments
        plan.eventStyle = client.eventStyle
        plan.upstreamEvents = EventRuleTable(upstream.events)
        plan.clientEvents = EventRuleTable(client.events)
        plan.legacyEvents = client.legacyEvents.map { EventRuleTable($0) }
        plan.inboundSegments = client.inboundSegments
        plan.errorRules = upstream.errors + hub.errors
        let overrides = Dictionary(upstream.ids.map { ($0.key, $0.type) }, uniquingKeysWith: { first, _ in first })
        plan.requestIDTypes = hub.ids.map { FieldOps.Conversion(key: $0.key, type: overrides[$0.key] ?? $0.type) }
        plan.responseIDFields = hub.ids.map(\.key)

        var supported: [String] = []
        if client.side == .client {
            for row in client.actions {
                let actionPlan = fuser.clientPlan(row)
                plan.actions[row.name] = actionPlan
                if actionPlan.isAvailable { supported.append(row.name) }
            }
        }
        // Hub actions, and the upstream's own, are reachable by their hub names (OB12: also with `qq.`).
        let prefix = client.side == .client ? (client.actionPrefixes.first ?? "") : ""
        let hubNames = hub.actions.map(\.name) + upstream.actions.map(\.name) + upstream.unsupported.map(\.name)
        for name in hubNames where plan.actions[name] == nil {
            let hubRow = hub.actions.first { $0.name == name }
            let actionPlan = fuser.hubPlan(name: name, hubRow: hubRow)
            plan.actions[name] = actionPlan
            if actionPlan.isAvailable { supported.append(prefix + name) }
        }
        plan.supportedActions = supported.sorted()
        return plan
    }
}

/// Builds routes for one upstream table; pure.
package struct RouteFuser {
    package let upstream: MappingFile
    private let rows: [String: MappingFile.ActionRow]
    private let unsupported: [String: String]

    package init(upstream: MappingFile) {
        self.upstream = upstream
        self.rows = Dictionary(upstream.actions.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.unsupported = Dictionary(upstream.unsupported.map { ($0.name, $0.reason) },
                                      uniquingKeysWith: { first, _ in first })
    }

    package func route(hub hubAction: String, clientParams: [ParamSpec] = [], clientOps: FieldOps = .empty) -> Route {
        let row = rows[hubAction]
        let reason = unsupported[hubAction] ?? row?.unsupported
        return Route(hubAction: hubAction, upstreamAction: row?.upstream ?? hubAction, clientParams: clientParams,
                     clientRequestOps: clientOps, upstreamRequestOps: row?.request ?? .empty,
                     upstreamResponseOps: row?.response ?? .empty, errorRules: row?.errors ?? [],
                     unsupportedReason: reason.map { "\(upstream.dialect) has no '\(hubAction)': \($0)" })
    }

    package func clientPlan(_ row: MappingFile.ActionRow) -> ActionPlan {
        let choice: RouteChoice
        if let local = row.local {
            choice = .local(local)
        } else if let reason = row.unsupported {
            choice = .unsupported(reason: reason)
        } else if let dispatch = row.dispatch {
            var cases: [String: Route] = [:]
            for (value, caseRow) in dispatch.cases {
                cases[value] = route(hub: caseRow.hub ?? value, clientParams: caseRow.params, clientOps: caseRow.request)
            }
            choice = .dispatch(param: dispatch.param, cases: cases)
        } else {
            choice = .fixed(route(hub: row.hub ?? row.name))
        }
        return ActionPlan(clientAction: row.name, params: row.params, requestOps: row.request, route: choice,
                          responseOps: row.response, origin: .mapped)
    }

    package func hubPlan(name: String, hubRow: MappingFile.ActionRow?) -> ActionPlan {
        let fixed = route(hub: name)
        let hasRules = hubRow.map { !$0.params.isEmpty || !$0.request.isEmpty || !$0.response.isEmpty } ?? false
        let isMapped = hasRules || rows[name] != nil || fixed.unsupportedReason != nil
        return ActionPlan(clientAction: name, params: hubRow?.params ?? [], requestOps: hubRow?.request ?? .empty,
                          route: .fixed(fixed), responseOps: hubRow?.response ?? .empty,
                          origin: isMapped ? .mapped : .passthrough)
    }
}

extension ActionPlan {
    /// Whether calling it can reach the upstream or be answered by the bridge.
    package var isAvailable: Bool {
        switch route {
        case .local: true
        case .unsupported: false
        case .fixed(let route): route.unsupportedReason == nil
        case .dispatch(_, let cases): cases.values.contains { $0.unsupportedReason == nil }
        }
    }
}
