/// The compiled, immutable translation plan for one (client dialect, upstream dialect) pair.
///
/// Built once by `MappingCompiler`; the message path only reads it.
package struct MappingPlan: Sendable {
    /// How IDs are written back to the client.
    package enum IDStyle: String, Sendable, CaseIterable {
        /// OB12: every ID is a string.
        case string
        /// OB11 and CoolQ: IDs stay as the upstream wrote them.
        case native
    }

    package var clientDialect: String
    package var upstreamDialect: String
    /// Client action name → plan. Also holds the hub actions the upstream table renames.
    package var actions: [String: ActionPlan]
    /// Prefixes a client may put before any action (OB12's `qq.`); looked up without it.
    package var actionPrefixes: [String]
    /// Hub ID fields and the JSON type the upstream wants each in.
    package var requestIDTypes: [FieldOps.Conversion]
    /// ID fields converted to `idStyle` anywhere in response data.
    package var responseIDFields: [String]
    package var idStyle: IDStyle
    /// Upstream-wide error rows, then the hub's.
    package var errorRules: [ErrorRule]
    package var retcodes: [FailureKind: RetcodeChoice]
    package var segments: SegmentTable?
    /// Client action names the pair supports, sorted (for `get_supported_actions`).
    package var supportedActions: [String]
    /// Unknown actions: forwarded as named, with the upstream leg's dialect-wide rules.
    package var passthroughRoute: Route
    /// `get_version` data.
    package var versionData: JSONValue
    /// How the client reads events (`event_style` of the client table).
    package var eventStyle: EventStyle = .onebot11
    /// The upstream table's `events:` rows: its departures from standard OB11 events, run first.
    package var upstreamEvents = EventRuleTable()
    /// The client table's `events:` rows.
    package var clientEvents = EventRuleTable()
    /// The client table's `legacy_events:` rows, for connections that ask for the legacy format; nil when none.
    package var legacyEvents: EventRuleTable?
    /// OB11 segments → the client's, for the `inbound_segments` event transform.
    package var inboundSegments: InboundSegmentTable?
}

extension MappingPlan {
    /// A plan with no actions yet; the compiler fills it in.
    package init(clientDialect: String, upstreamDialect: String, idStyle: IDStyle, retcodes: [FailureKind: RetcodeChoice],
                 passthroughRoute: Route, versionData: JSONValue) {
        self.clientDialect = clientDialect
        self.upstreamDialect = upstreamDialect
        self.actions = [:]
        self.actionPrefixes = []
        self.requestIDTypes = []
        self.responseIDFields = []
        self.idStyle = idStyle
        self.errorRules = []
        self.retcodes = retcodes
        self.segments = nil
        self.supportedActions = []
        self.passthroughRoute = passthroughRoute
        self.versionData = versionData
    }
}
