extension FieldOps {
    /// Applies the operations to `object`. Pure.
    ///
    /// With `isStrict` (requests), a value that cannot be converted throws `badParamType`; in
    /// responses it is left as the upstream sent it, because losing data is worse than a loose type.
    package func apply(to object: inout JSONObject, scope: TransformScope) throws(TranslationError) {
        // Parsed objects are built at their exact size: without this, each added key would copy them again.
        let added = copies.count + defaults.count + sets.count
        if added > 0 { object.reserveCapacity(adding: added) }
        for pair in renames { object.renameKey(pair.from, to: pair.to) }
        for pair in copies {
            if let value = object[pair.from] { object[pair.to] = value }
        }
        for map in valueMaps {
            guard let value = object[map.key] else { continue }
            if let match = map.cases.first(where: { $0.from == value }) { object[map.key] = match.to }
        }
        for conversion in conversions {
            guard let value = object[conversion.key], !value.isNull else { continue }
            if let converted = conversion.type.converted(value) {
                object[conversion.key] = converted
            } else if scope.isStrict {
                throw .badParamType(action: scope.action, name: conversion.key,
                                    expected: conversion.type.expectation, got: value.typeName)
            }
        }
        for assignment in defaults where object[assignment.key]?.isNull ?? true {
            object[assignment.key] = assignment.value
        }
        for assignment in sets { object[assignment.key] = assignment.value }
        for key in drops { object.removeValue(forKey: key) }
        for inner in nested {
            guard var value = object[inner.key] else { continue }
            try inner.ops.apply(toValue: &value, scope: scope)
            object[inner.key] = value
        }
        for transform in transforms { try transform.apply(to: &object, scope: scope) }
    }

    /// Applies the operations to an object, or to every object element of a list.
    package func apply(toValue value: inout JSONValue, scope: TransformScope) throws(TranslationError) {
        guard !isEmpty else { return }
        if var object = value.takeObject() {
            try apply(to: &object, scope: scope)
            value = .object(object)
        } else if var elements = value.takeArray() {
            for index in elements.indices {
                try apply(toValue: &elements[index], scope: scope)
            }
            value = .array(elements)
        }
    }
}
