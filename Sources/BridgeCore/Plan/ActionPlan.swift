/// Everything the bridge does for one client action, compiled.
struct ActionPlan: Sendable, Equatable {
    /// Where the plan came from, for `mappings coverage` and `get_supported_actions`.
    enum Origin: String, Sendable {
        /// A table has a row for it.
        case mapped
        /// No table mentions it; it is forwarded under its own name with the global ID rules.
        case passthrough
    }

    var clientAction: String
    var params: [ParamSpec]
    var requestOps: FieldOps
    var route: RouteChoice
    var responseOps: FieldOps
    var origin: Origin
}
