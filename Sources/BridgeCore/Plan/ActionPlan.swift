/// Everything the bridge does for one client action, compiled.
package struct ActionPlan: Sendable, Equatable {
    package init(clientAction: String, params: [ParamSpec], requestOps: FieldOps, route: RouteChoice,
                 responseOps: FieldOps, origin: Origin) {
        storage = Storage(clientAction: clientAction, params: params, requestOps: requestOps, route: route,
                          responseOps: responseOps, origin: origin)
    }

    /// Where the plan came from, for `mappings coverage` and `get_supported_actions`.
    package enum Origin: String, Sendable {
        /// A table has a row for it.
        case mapped
        /// No table mentions it; it is forwarded under its own name with the global ID rules.
        case passthrough
    }

    /// The fields behind one reference: a plan is looked up for every call, and copying the fields
    /// themselves retained each of them (a dozen retains and releases per call).
    private final class Storage: Sendable {
        let clientAction: String
        let params: [ParamSpec]
        let requestOps: FieldOps
        let route: RouteChoice
        let responseOps: FieldOps
        let origin: Origin

        init(clientAction: String, params: [ParamSpec], requestOps: FieldOps, route: RouteChoice,
             responseOps: FieldOps, origin: Origin) {
            self.clientAction = clientAction
            self.params = params
            self.requestOps = requestOps
            self.route = route
            self.responseOps = responseOps
            self.origin = origin
        }
    }

    private let storage: Storage

    package var clientAction: String { storage.clientAction }
    package var params: [ParamSpec] { storage.params }
    package var requestOps: FieldOps { storage.requestOps }
    package var route: RouteChoice { storage.route }
    package var responseOps: FieldOps { storage.responseOps }
    package var origin: Origin { storage.origin }

    package static func == (lhs: ActionPlan, rhs: ActionPlan) -> Bool {
        lhs.storage === rhs.storage
            || (lhs.clientAction == rhs.clientAction && lhs.params == rhs.params && lhs.requestOps == rhs.requestOps
                && lhs.route == rhs.route && lhs.responseOps == rhs.responseOps && lhs.origin == rhs.origin)
    }
}
