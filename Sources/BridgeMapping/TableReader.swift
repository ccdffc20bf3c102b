import BridgeCore
import Yams

/// Walks one YAML document, converting nodes and collecting every problem with its line and key path.
package struct TableReader {
    package let file: String
    private(set) var issues: [MappingIssue] = []

    package init(file: String) {
        self.file = file
    }

    package mutating func report(_ node: Node?, _ path: String, _ message: String) {
        issues.append(MappingIssue(file: file, line: node?.mark?.line ?? 0, keyPath: path, message: message))
    }

    /// The pairs of a mapping node, in order; reports keys outside `allowed` and non-string keys.
    package mutating func mapping(_ node: Node, _ path: String, allowed: Set<String>? = nil) -> [(String, Node)]? {
        guard case .mapping(let mapping) = node else {
            report(node, path, "expected a mapping, found \(Self.kind(node))")
            return nil
        }
        var pairs: [(String, Node)] = []
        var seen: Set<String> = []
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else {
                report(keyNode, path, "keys must be plain strings")
                continue
            }
            let childPath = Self.join(path, key)
            if let allowed, !allowed.contains(key) {
                report(keyNode, childPath, "unknown key (expected one of: \(allowed.sorted().joined(separator: ", ")))")
                continue
            }
            if !seen.insert(key).inserted {
                report(keyNode, childPath, "duplicate key")
                continue
            }
            pairs.append((key, value))
        }
        return pairs
    }

    package mutating func sequence(_ node: Node, _ path: String) -> [Node]? {
        guard case .sequence(let sequence) = node else {
            report(node, path, "expected a list, found \(Self.kind(node))")
            return nil
        }
        return Array(sequence)
    }

    package mutating func string(_ node: Node, _ path: String) -> String? {
        guard case .scalar(let scalar) = node, node.null == nil else {
            report(node, path, "expected a string, found \(Self.kind(node))")
            return nil
        }
        return scalar.string
    }

    package mutating func strings(_ node: Node, _ path: String) -> [String] {
        guard let items = sequence(node, path) else { return [] }
        return items.enumerated().compactMap { string($0.element, "\(path)[\($0.offset)]") }
    }

    package mutating func integer(_ node: Node, _ path: String) -> Int64? {
        guard case .scalar = node, let value = node.int else {
            report(node, path, "expected an integer, found \(Self.kind(node))")
            return nil
        }
        return Int64(value)
    }

    /// Parses `raw` into a case of `T`, reporting the allowed spellings when it is not one.
    package mutating func enumValue<T: RawRepresentable & CaseIterable>(_ node: Node, _ path: String, as type: T.Type) -> T?
    where T.RawValue == String {
        guard let raw = string(node, path) else { return nil }
        if let value = T(rawValue: raw) { return value }
        report(node, path, "unknown value '\(raw)' (expected one of: \(T.allCases.map(\.rawValue).joined(separator: ", ")))")
        return nil
    }

    /// Any YAML value as JSON: plain scalars keep their YAML type, quoted ones stay strings.
    package mutating func json(_ node: Node, _ path: String) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain {
                if node.null != nil { return .null }
                if let flag = node.bool { return .bool(flag) }
                if let number = node.int { return .int(Int64(number)) }
                if let number = node.float { return .double(number) }
            }
            return .string(scalar.string)
        case .sequence(let sequence):
            return .array(sequence.enumerated().map { json($0.element, "\(path)[\($0.offset)]") })
        case .mapping(let mapping):
            var object = JSONObject()
            for (key, value) in mapping {
                let name = key.scalar?.string ?? ""
                object[name] = json(value, Self.join(path, name))
            }
            return .object(object)
        case .alias:
            report(node, path, "aliases are not supported")
            return .null
        }
    }

    package static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    package static func kind(_ node: Node) -> String {
        switch node {
        case .scalar: node.null == nil ? "a scalar" : "null"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }
}
