extension Translator {
    /// Translates the upstream's reply to `call` into the client's dialect. Never throws.
    ///
    /// A reply that is not a OneBot envelope becomes an `upstream_bad_response` failure. Takes `reply`, so
    /// the data is changed in place; a caller that keeps using its own copy pays for one copy here.
    package func translatedResponse(_ reply: consuming JSONValue, for call: UpstreamCall, context: TranslationContext)
        -> ActionResponse
    {
        // Taken out of `reply`, or every change to `data` below would copy it first.
        let typeName = reply.typeName
        guard var envelope = reply.takeObject(), envelope["retcode"] != nil || envelope["status"] != nil else {
            return failure(.upstreamBadResponse,
                           message: "\(call.clientAction): the upstream answered \(typeName), not a OneBot envelope",
                           echo: call.echo)
        }
        let status = envelope["status"]?.stringValue ?? ""
        let retcode = envelope["retcode"].flatMap(Self.integer) ?? 0
        var data = envelope.removeValue(forKey: "data") ?? .null
        // OB11: ok ⇔ retcode 0, async ⇔ retcode 1. Lagrange answers failures as {ok, 1} and {failed, 0},
        // so both fields must agree before a reply counts as success.
        let isSuccess = ((status == "ok" || status.isEmpty) && retcode == 0) || (status == "async" && retcode == 1)
        guard isSuccess else {
            let text = Self.failureText(envelope)
            // Rows match on every text field: go-cqhttp puts its symbolic code in `msg`, prose in `wording`.
            let searchable = ["msg", "wording", "message"].compactMap { envelope[$0]?.stringValue } + [text]
            let kind = classify(retcode: retcode, status: status, message: searchable.joined(separator: "\n"),
                                route: call.route)
            let shown = text.isEmpty ? "upstream failed" : text
            return failure(kind, message: "\(shown) (upstream retcode \(retcode), status '\(status)')",
                           echo: call.echo, upstreamRetcode: retcode, data: data)
        }
        let scope = TransformScope(action: call.clientAction, isStrict: false, context: context,
                                   segments: plan.segments)
        do throws(TranslationError) {
            try call.route.upstreamResponseOps.apply(toValue: &data, scope: scope)
            try call.responseOps.apply(toValue: &data, scope: scope)
        } catch {
            return failure(.upstreamBadResponse, message: error.message, echo: call.echo)
        }
        if plan.idStyle == .string { Self.stringifyIDs(in: &data, fields: plan.responseIDFields) }
        return .ok(data, echo: call.echo)
    }

    /// A handful of names: a length check and a compare beat hashing every key of a large response.
    @inline(__always)
    static func isIDField(_ key: String, _ fields: [String]) -> Bool {
        let count = key.utf8.count
        for field in fields where field.utf8.count == count && field == key { return true }
        return false
    }

    /// The failure kind for an upstream failure: this action's rows, the dialect's, then the hub's.
    package func classify(retcode: Int64, status: String, message: String, route: Route) -> FailureKind {
        for rule in route.errorRules where rule.matches(retcode: retcode, status: status, message: message) {
            return rule.kind
        }
        for rule in plan.errorRules where rule.matches(retcode: retcode, status: status, message: message) {
            return rule.kind
        }
        return .unclassified
    }

    /// The upstream's human text: go-cqhttp and NapCat put the best one in `wording`.
    package static func failureText(_ envelope: JSONObject) -> String {
        for key in ["wording", "message", "msg"] {
            if case .string(let text)? = envelope[key], !text.isEmpty { return text }
        }
        if case .object(let data)? = envelope["data"], case .string(let text)? = data["errMsg"] { return text }
        return ""
    }

    package static func integer(_ value: JSONValue) -> Int64? {
        switch value {
        case .int(let number): number
        case .string(let text): ValueType.exactInteger(text)
        default: nil
        }
    }

    /// Writes every integer under an ID key as a decimal string, at any depth.
    package static func stringifyIDs(in value: inout JSONValue, fields: [String]) {
        // Keys whose length no ID field has (most of them) are passed over without a compare.
        var lengths: UInt64 = 0
        for field in fields { lengths |= 1 << UInt64(min(field.utf8.count, 63)) }
        stringifyIDs(in: &value, fields: fields, lengths: lengths)
    }

    private static func stringifyIDs(in value: inout JSONValue, fields: [String], lengths: UInt64) {
        if var object = value.takeObject() {
            // Reads first, writes only what changes: handing each key to a closure beside its value copied it.
            for index in object.entries.indices {
                switch object.entries[index].value {
                case .int(let number):
                    let count = object.entries[index].key.utf8.count
                    guard lengths & (1 << UInt64(min(count, 63))) != 0, isIDField(object.entries[index].key, fields)
                    else { continue }
                    object.setValue(.string(JSONValue.decimalText(number)), at: index)
                case .object, .array:
                    object.modifyValue(at: index) { stringifyIDs(in: &$0, fields: fields, lengths: lengths) }
                default:
                    continue
                }
            }
            value = .object(object)
        } else if var elements = value.takeArray() {
            for index in elements.indices {
                switch elements[index] {
                case .object, .array: stringifyIDs(in: &elements[index], fields: fields, lengths: lengths)
                default: continue
                }
            }
            value = .array(elements)
        }
    }
}
