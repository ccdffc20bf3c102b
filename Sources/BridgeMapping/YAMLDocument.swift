import BridgeCore
import Yams

/// Reads a YAML document as JSON values, with the tables' rules (YAML 1.2 booleans, exact integers).
package enum YAMLDocument {
    /// Throws `MappingError` with the problems found, located by line.
    package static func json(_ text: String, file: String) throws(MappingError) -> JSONValue {
        var reader = TableReader(file: file)
        let node: Node?
        do {
            node = try Yams.compose(yaml: text, Resolver.yaml12)
        } catch {
            throw MappingError(issues: [MappingIssue(file: file, line: 0, keyPath: "", message: "not valid YAML: \(error)")])
        }
        guard let node else { return .null }
        let value = reader.json(node, "")
        if !reader.issues.isEmpty { throw MappingError(issues: reader.issues) }
        return value
    }
}
