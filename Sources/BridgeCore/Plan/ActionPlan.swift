/// Everything the bridge does for one client action, compiled.
package struct ActionPlan: Sendable, Equatable {
    package init(clientAction: String, params: [ParamSpec], requestOps: FieldOps, route: RouteChoice,
                 responseOps: FieldOps, origin: Origin) {
        self.clientAction = clientAction
        self.params = params
        self.requestOps = requestOps
        self.route = route
        self.responseOps = responseOps
        self.origin = origin
    }

    /// Where the plan came from, for `mappings coverage` and `get_supported_actions`.
    package enum Origin: String, Sendable {
        /// A table has a row for it.
        case mapped
        /// No table mentions it; it is forwarded under its own name with the global ID rules.
        case passthrough
    }

    package var clientAction: String
    package var params: [ParamSpec]
    package var requestOps: FieldOps
    package var route: RouteChoice
    package var responseOps: FieldOps
    package var origin: Origin
}
