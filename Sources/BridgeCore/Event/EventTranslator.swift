/// Translates OneBot 11 events from the upstream into the client's dialect. Pure.
///
/// upstream event → the upstream table's `events:` row (back to standard OB11) → the client table's row
/// (`events:`, or `legacy_events:` when asked) → the client's envelope (`event_style`). Each table's row is
/// its most specific match (`notice/notify/poke`, then `notice/notify`, then `notice`); an event no row
/// matches passes through. Holds only the immutable plan, so one value serves every connection.
package struct EventTranslator: Sendable {
    /// Everything behind one reference: the hub takes a translator per event and client form, and a copy of
    /// the plan itself would retain each of its dozens of tables.
    final class Box: Sendable {
        let plan: MappingPlan
        let scope: EventScope
        /// The response ID fields as the streamed event path matches them; nil when IDs stay as they are.
        let streamIDFields: StreamNameSet?
        /// Field operations that do nothing, for the reader's two rule slots (a row's own are applied by hand).
        let noOps = StreamedFieldOps(FieldOps.Steps())!

        init(_ plan: MappingPlan) {
            self.plan = plan
            scope = EventScope(versionData: plan.versionData, inboundSegments: plan.inboundSegments)
            streamIDFields = plan.idStyle == .string ? StreamNameSet(plan.responseIDFields) : nil
        }
    }

    let box: Box
    package var plan: MappingPlan { _read { yield box.plan } }
    private var scope: EventScope { box.scope }

    package init(plan: MappingPlan) {
        box = Box(plan)
    }

    /// The client's form of `event`, or `rejected` when it is not an OB11 event (not an object, or no
    /// string `post_type`). Never throws.
    package func translated(_ event: consuming JSONValue, options: EventOptions = EventOptions(),
                            context: EventContext) -> EventOutcome
    {
        // Taken out of `event`, so the rows change the object in place instead of copying it first.
        guard let object = event.takeObject() else {
            return .rejected(reason: "an event must be a JSON object, not \(event.typeName)")
        }
        guard case .string(let postType)? = object["post_type"], !postType.isEmpty else {
            return .rejected(reason: "the event has no string 'post_type'")
        }
        var draft = EventDraft(object: object)
        let isUpstreamConnect = draft.key == Self.lifecycleConnect
        do throws(TranslationError) {
            if let rule = plan.upstreamEvents.rule(for: draft.key) {
                try apply(rule, to: &draft)
                draft.writeOneBot11Discriminators()
            }
            let rows = options.usesLegacyFormat ? (plan.legacyEvents ?? plan.clientEvents) : plan.clientEvents
            if let rule = rows.rule(for: draft.key) { try apply(rule, to: &draft) }
        } catch {
            return .rejected(reason: "\(draft.key): \(error.message)")
        }
        switch plan.eventStyle {
        case .onebot12:
            var output = JSONValue.object((consume draft).oneBot12Object(context: context))
            if plan.idStyle == .string { Translator.stringifyIDs(in: &output, fields: plan.responseIDFields) }
            return .deliver(TranslatedEvent(event: output, isUpstreamConnect: isUpstreamConnect))
        case .onebot11:
            draft.writeOneBot11Discriminators()
            draft.convertMessage(to: options.messageFormat)
            return .deliver(TranslatedEvent(event: .object(draft.object), isUpstreamConnect: isUpstreamConnect))
        }
    }

    /// Lenient, as for responses. Only named transforms read the scope, and the reader refuses them in event rows.
    private static let fieldScope = TransformScope(action: "event", isStrict: false,
                                                   context: TranslationContext(now: 0), segments: nil)

    private static let lifecycleConnect = EventKey(postType: "meta_event", detailType: "lifecycle", subType: "connect")

    /// Targets first, from the discriminators as the event arrived at this row; then operations, then transforms.
    private func apply(_ rule: EventRule, to draft: inout EventDraft) throws(TranslationError) {
        if rule.hasTargets {
            let targets = Self.targets(of: rule, for: draft.object)
            draft.type = targets.type ?? draft.type
            draft.detailType = targets.detailType ?? draft.detailType
            draft.subType = targets.subType ?? draft.subType
        }
        if !rule.ops.isEmpty { try rule.ops.apply(to: &draft.object, scope: Self.fieldScope) }
        for transform in rule.transforms { transform.apply(to: &draft, scope: scope) }
    }

    static func targets(of rule: EventRule, for object: JSONObject)
        -> (type: String?, detailType: String?, subType: String?)
    {
        let value: (String) -> String? = { object[$0].flatMap { ValueType.string.converted($0)?.stringValue } }
        return (rule.type?.rendered(value), rule.detailType?.rendered(value), rule.subType?.rendered(value))
    }
}
