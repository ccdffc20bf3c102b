/// Translates actions and responses between one client dialect and one upstream dialect. Pure.
///
/// decode → `translatedRequest` → forward → `translatedResponse` → encode. Holds only the immutable
/// plan, so one value serves every connection.
package struct Translator: Sendable {
    /// The plan behind one reference: translators are copied into every call's bookkeeping, and a copy
    /// of the plan itself would retain each of its dozens of tables (a quarter of a call's CPU once).
    private final class PlanBox: Sendable {
        let plan: MappingPlan
        /// The response ID fields as the streaming reply path matches them; nil when IDs stay as they are.
        let streamIDFields: StreamNameSet?
        /// Made once here, not per event by whoever translates events.
        let events: EventTranslator
        /// List-element shapes kept from one streamed reply to the next.
        let shapes = ShapeMemo()

        init(_ plan: MappingPlan) {
            self.plan = plan
            streamIDFields = plan.idStyle == .string ? StreamNameSet(plan.responseIDFields) : nil
            events = EventTranslator(plan: plan)
        }
    }

    private let box: PlanBox
    package var plan: MappingPlan { _read { yield box.plan } }
    /// Read per call for metrics and logs; a direct accessor, so callers never copy the plan to get it.
    package var clientDialect: String { box.plan.clientDialect }
    var streamIDFields: StreamNameSet? { box.streamIDFields }
    var shapes: ShapeMemo { box.shapes }
    /// The event translator of the same plan.
    package var events: EventTranslator { box.events }

    package init(plan: MappingPlan) {
        box = PlanBox(plan)
    }

    /// Decides what to do with `request`: forward a translated call, or answer at once.
    ///
    /// Never throws: bad input becomes a failure answer in the client's dialect.
    package func translatedRequest(_ request: consuming ActionRequest, context: TranslationContext) -> RequestOutcome {
        let actionPlan = actionPlan(named: request.action)
        return translatedRequest(request, plan: actionPlan, context: context)
    }

    /// The same, with the action's plan already looked up by the caller (`actionPlan(named:)`).
    package func translatedRequest(_ request: consuming ActionRequest, plan actionPlan: ActionPlan?,
                                   context: TranslationContext) -> RequestOutcome {
        // Params leave the request, so the plan changes them in place instead of copying them first.
        let params = request.params
        request.params = JSONObject()
        do throws(TranslationError) {
            return try outcome(for: request, plan: actionPlan ?? passthroughPlan(for: request.action), params: params,
                               context: context)
        } catch {
            return .answer(failure(error.kind, message: error.message, echo: request.echo))
        }
    }

    /// The plan for `action`, trying it with each client prefix removed; nil when no table knows it.
    package func actionPlan(named action: String) -> ActionPlan? {
        if let plan = plan.actions[action] { return plan }
        for prefix in plan.actionPrefixes where action.hasPrefix(prefix) {
            if let plan = plan.actions[String(action.dropFirst(prefix.count))] { return plan }
        }
        return nil
    }

    /// Whether `action` is answered from the event buffer (OB12 `get_latest_events`).
    package func isEventPoll(_ action: String) -> Bool {
        actionPlan(named: action)?.route == .local(.latestEvents)
    }

    /// Whether answering `action` needs the bot's own ID (OB12 `get_status` lists it under `bots`).
    package func needsSelfID(_ action: String) -> Bool {
        actionPlan(named: action)?.responseOps.transforms.contains(.statusBots) ?? false
    }

    private func outcome(for request: borrowing ActionRequest, plan actionPlan: ActionPlan, params: consuming JSONObject,
                         context: TranslationContext) throws(TranslationError) -> RequestOutcome
    {
        let name = request.action
        var params = params
        for spec in actionPlan.params {
            try spec.check(&params, action: name, acceptsStrings: context.acceptsStringParams)
        }
        let scope = TransformScope(action: name, isStrict: true, context: context, segments: plan.segments)
        try actionPlan.requestOps.apply(to: &params, scope: scope)
        let route: Route
        switch actionPlan.route {
        case .local(let answer):
            return .answer(.ok(localData(answer), echo: request.echo))
        case .unsupported(let reason):
            throw .unavailableAction(action: name, reason: reason)
        case .fixed(let fixed):
            route = fixed
        case .dispatch(let param, let cases):
            guard let value = params.removeValue(forKey: param) else {
                throw .missingParam(action: name, name: param)
            }
            guard case .string(let key) = value, let chosen = cases[key] else {
                throw .badParamType(action: name, name: param,
                                    expected: "one of " + cases.keys.sorted().joined(separator: ", "),
                                    got: value.stringValue.map { "'\($0)'" } ?? value.typeName)
            }
            route = chosen
        }
        if let reason = route.unsupportedReason { throw .unavailableAction(action: name, reason: reason) }
        for spec in route.clientParams {
            try spec.check(&params, action: name, acceptsStrings: context.acceptsStringParams)
        }
        try route.clientRequestOps.apply(to: &params, scope: scope)
        try convertIDs(in: &params, action: name)
        try route.upstreamRequestOps.apply(to: &params, scope: scope)
        return .forward(UpstreamCall(action: route.upstreamAction, params: params, route: route,
                                     responseOps: actionPlan.responseOps, clientAction: name, echo: request.echo))
    }

    private func passthroughPlan(for action: String) -> ActionPlan {
        var route = plan.passthroughRoute
        // A prefixed unknown action (`qq.foo`) reaches the upstream under its bare name.
        var upstreamName = action
        for prefix in plan.actionPrefixes where action.hasPrefix(prefix) && action.count > prefix.count {
            upstreamName = String(action.dropFirst(prefix.count))
            break
        }
        route.hubAction = upstreamName
        route.upstreamAction = upstreamName
        return ActionPlan(clientAction: action, params: [], requestOps: .empty, route: .fixed(route),
                          responseOps: .empty, origin: .passthrough)
    }

    /// Converts hub ID params to the upstream's wire type: exact, and a non-numeric ID is refused.
    private func convertIDs(in params: inout JSONObject, action: String) throws(TranslationError) {
        for conversion in plan.requestIDTypes {
            guard let value = params[conversion.key], !value.isNull else { continue }
            guard let converted = conversion.type.converted(value) else {
                if case .string(let text) = value {
                    throw .idNotRepresentable(action: action, name: conversion.key, value: text)
                }
                throw .badParamType(action: action, name: conversion.key, expected: conversion.type.expectation,
                                    got: value.typeName)
            }
            params[conversion.key] = converted
        }
    }

    private func localData(_ answer: LocalAnswer) -> JSONValue {
        switch answer {
        case .supportedActions: .array(plan.supportedActions.map(JSONValue.string))
        case .bridgeVersion: plan.versionData
        case .latestEvents: .array([])
        }
    }

    /// A failure answer in the client's dialect for `kind`.
    package func failure(_ kind: FailureKind, message: String, echo: JSONValue?, upstreamRetcode: Int64? = nil,
                 data: JSONValue = .null) -> ActionResponse
    {
        let retcode: Int64
        switch plan.retcodes[kind] ?? .code(20002) {
        case .code(let code): retcode = code
        case .upstream: retcode = upstreamRetcode ?? 100
        }
        return ActionResponse(status: "failed", retcode: retcode, data: data, message: message, echo: echo,
                              failure: kind)
    }
}
