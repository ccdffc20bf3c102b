import BridgeCore

/// One table from `mappings/`, read and checked but not yet fused with the others.
package struct MappingFile: Sendable {
    /// Which end of the bridge a table describes.
    package enum Side: String, Sendable, CaseIterable {
        /// A dialect bots speak to the bridge (OB12, CoolQ).
        case client
        /// Standard OneBot 11: every other table is written against it, and OB11 bots speak it.
        case hub
        /// A QQ server's departures from the hub.
        case upstream
    }

    /// One row under `actions:`.
    package struct ActionRow: Sendable {
        package var name: String
        package var line: Int
        /// Client side: the hub action this becomes.
        package var hub: String?
        /// Upstream side: the action's name on that server's wire.
        package var upstream: String?
        package var params: [ParamSpec] = []
        package var request = FieldOps.empty
        package var response = FieldOps.empty
        package var errors: [ErrorRule] = []
        package var dispatch: Dispatch?
        package var local: LocalAnswer?
        package var unsupported: String?
    }

    /// One `detect:` row: how `get_version_info` reveals this upstream (dialects.md §1).
    package struct DetectRule: Sendable {
        package var field: String
        package var equals: String?
        package var contains: String?

        /// Whether `versionInfo` (the `get_version_info` data) matches this row.
        package func matches(_ versionInfo: JSONObject) -> Bool {
            guard let value = versionInfo[field] else { return false }
            let text = ValueType.string.converted(value)?.stringValue ?? value.jsonText
            if let equals, text != equals { return false }
            if let contains, !text.lowercased().contains(contains.lowercased()) { return false }
            return true
        }
    }

    /// `dispatch:` — choose the hub action by the value of one param.
    package struct Dispatch: Sendable {
        package var param: String
        package var cases: [(value: String, row: ActionRow)]
    }

    package var file: String
    package var dialect: String
    package var side: Side
    package var description: String = ""
    package var actionPrefixes: [String] = []
    package var idStyle: MappingPlan.IDStyle = .native
    /// Hub: every ID field and its wire type. Upstream: the fields whose wire type differs.
    package var ids: [(key: String, type: ValueType)] = []
    package var errors: [ErrorRule] = []
    package var retcodes: [FailureKind: RetcodeChoice] = [:]
    package var segments: SegmentTable?
    /// Upstream: the word before the token in `Authorization` (dialects.md §2.1).
    package var authScheme: String = "Bearer"
    /// Upstream: hub actions it lacks, with the reason given to callers.
    package var unsupported: [(name: String, reason: String)] = []
    package var actions: [ActionRow] = []
    /// Upstream: how auto-detection recognises it; rows on `app_name` are tried before the others.
    package var detect: [DetectRule] = []
    /// Client: how its bots read events.
    package var eventStyle: EventStyle = .onebot11
    /// Client and upstream: `events:` rows, keyed by the OB11 discriminators.
    package var events: [EventRule] = []
    /// Client: rows used instead of `events:` when a connection asks for the legacy format (CQHTTP v1–v3).
    package var legacyEvents: [EventRule]?
    /// Client: OB11 segments in events → the client's segments.
    package var inboundSegments: InboundSegmentTable?
}
