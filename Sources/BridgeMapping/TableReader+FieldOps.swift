import BridgeCore
import Yams

extension TableReader {
    package static let fieldOpKeys: Set<String> = ["rename", "copy", "map", "convert", "default", "set", "drop", "nested",
                                           "transforms"]

    /// Reads a block of field operations (`FieldOps` documents each key).
    package mutating func fieldOps(_ node: Node, _ path: String, extraKeys: Set<String> = []) -> FieldOps {
        var ops = FieldOps()
        guard let pairs = mapping(node, path, allowed: Self.fieldOpKeys.union(extraKeys)) else { return ops }
        for (key, value) in pairs where !extraKeys.contains(key) {
            let keyPath = Self.join(path, key)
            switch key {
            case "rename": ops.renames = pairsOfStrings(value, keyPath)
            case "copy": ops.copies = pairsOfStrings(value, keyPath)
            case "map": ops.valueMaps = valueMaps(value, keyPath)
            case "convert":
                ops.conversions = (mapping(value, keyPath) ?? []).compactMap { field, typeNode in
                    enumValue(typeNode, Self.join(keyPath, field), as: ValueType.self)
                        .map { FieldOps.Conversion(key: field, type: $0) }
                }
            case "default": ops.defaults = assignments(value, keyPath)
            case "set": ops.sets = assignments(value, keyPath)
            case "drop": ops.drops = strings(value, keyPath)
            case "nested":
                ops.nested = (mapping(value, keyPath) ?? []).map { field, inner in
                    FieldOps.Nested(key: field, ops: fieldOps(inner, Self.join(keyPath, field)))
                }
            case "transforms":
                ops.transforms = (sequence(value, keyPath) ?? []).enumerated().compactMap {
                    enumValue($0.element, "\(keyPath)[\($0.offset)]", as: NamedTransform.self)
                }
            default: preconditionFailure("mapping(allowed:) already refused '\(key)'")
            }
        }
        checkRenames(ops.renames, node: node, path: Self.join(path, "rename"))
        return ops
    }

    private mutating func pairsOfStrings(_ node: Node, _ path: String) -> [FieldOps.Pair] {
        (mapping(node, path) ?? []).compactMap { from, toNode in
            string(toNode, Self.join(path, from)).map { FieldOps.Pair(from: from, to: $0) }
        }
    }

    private mutating func assignments(_ node: Node, _ path: String) -> [FieldOps.Assignment] {
        (mapping(node, path) ?? []).map { key, value in
            FieldOps.Assignment(key: key, value: json(value, Self.join(path, key)))
        }
    }

    private mutating func valueMaps(_ node: Node, _ path: String) -> [FieldOps.ValueMap] {
        (mapping(node, path) ?? []).map { field, casesNode in
            let casesPath = Self.join(path, field)
            var cases: [(from: JSONValue, to: JSONValue)] = []
            if case .mapping(let pairs) = casesNode {
                for (from, to) in pairs { cases.append((json(from, casesPath), json(to, casesPath))) }
            } else {
                report(casesNode, casesPath, "expected a mapping of old value: new value")
            }
            return FieldOps.ValueMap(key: field, cases: cases)
        }
    }

    /// Two renames into one key, or a rename chain that loops, cannot mean anything sensible.
    private mutating func checkRenames(_ renames: [FieldOps.Pair], node: Node, path: String) {
        var targets: Set<String> = []
        for pair in renames where !targets.insert(pair.to).inserted {
            report(node, path, "two renames write '\(pair.to)'")
        }
        let next = Dictionary(renames.map { ($0.from, $0.to) }, uniquingKeysWith: { first, _ in first })
        for pair in renames {
            var seen: Set<String> = [pair.from]
            var current = pair.to
            while let following = next[current] {
                if !seen.insert(current).inserted || following == pair.from {
                    report(node, path, "cyclic rename through '\(pair.from)'")
                    break
                }
                current = following
            }
        }
    }

    /// Reads `params:`: `name: type`, or `name: {type, required, default}`.
    package mutating func params(_ node: Node, _ path: String) -> [ParamSpec] {
        (mapping(node, path) ?? []).compactMap { name, spec in
            let specPath = Self.join(path, name)
            if case .scalar = spec {
                return enumValue(spec, specPath, as: ValueType.self)
                    .map { ParamSpec(name: name, type: $0, isRequired: false, defaultValue: nil) }
            }
            guard let pairs = mapping(spec, specPath, allowed: ["type", "required", "default", "minimum"]) else { return nil }
            var param = ParamSpec(name: name, type: .any, isRequired: false, defaultValue: nil)
            for (key, value) in pairs {
                switch key {
                case "type": param.type = enumValue(value, Self.join(specPath, key), as: ValueType.self) ?? .any
                case "required": param.isRequired = value.bool ?? false
                case "minimum": param.minimum = integer(value, Self.join(specPath, key))
                default: param.defaultValue = json(value, Self.join(specPath, key))
                }
            }
            if param.isRequired, param.defaultValue != nil {
                report(spec, specPath, "a param with a default cannot also be required")
            }
            return param
        }
    }

    /// Reads `errors:`, a list of `{retcode, status, message_contains, kind}` rows.
    package mutating func errorRules(_ node: Node, _ path: String) -> [ErrorRule] {
        (sequence(node, path) ?? []).enumerated().compactMap { offset, row in
            let rowPath = "\(path)[\(offset)]"
            guard let pairs = mapping(row, rowPath, allowed: ["retcode", "status", "message_contains", "kind"])
            else { return nil }
            var rule = ErrorRule(kind: .unclassified)
            var hasKind = false
            for (key, value) in pairs {
                let keyPath = Self.join(rowPath, key)
                switch key {
                case "retcode": rule.retcode = integer(value, keyPath)
                case "status": rule.status = string(value, keyPath)
                case "message_contains": rule.messageContains = string(value, keyPath)
                default:
                    hasKind = true
                    rule.kind = enumValue(value, keyPath, as: FailureKind.self) ?? .unclassified
                }
            }
            if !hasKind { report(row, rowPath, "an error row needs a 'kind'") }
            return rule
        }
    }
}
