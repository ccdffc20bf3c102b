/// The compiled, immutable translation plan for one (client dialect, upstream dialect) pair.
///
/// Built once by `MappingCompiler`; the message path only reads it.
struct MappingPlan: Sendable {
    /// How IDs are written back to the client.
    enum IDStyle: String, Sendable {
        /// OB12: every ID is a string.
        case string
        /// OB11 and CoolQ: IDs stay as the upstream wrote them.
        case native
    }

    var clientDialect: String
    var upstreamDialect: String
    /// Client action name → plan. Also holds the hub actions the upstream table renames.
    var actions: [String: ActionPlan]
    /// Prefixes a client may put before any action (OB12's `qq.`); looked up without it.
    var actionPrefixes: [String]
    /// Hub ID fields and the JSON type the upstream wants each in.
    var requestIDTypes: [FieldOps.Conversion]
    /// ID fields converted to `idStyle` anywhere in response data.
    var responseIDFields: Set<String>
    var idStyle: IDStyle
    /// Upstream-wide error rows, then the hub's.
    var errorRules: [ErrorRule]
    var retcodes: [FailureKind: RetcodeChoice]
    var segments: SegmentTable?
    /// Client action names the pair supports, sorted (for `get_supported_actions`).
    var supportedActions: [String]
    /// Unknown actions: forwarded as named, with the upstream leg's dialect-wide rules.
    var passthroughRoute: Route
    /// `get_version` data.
    var versionData: JSONValue
}
