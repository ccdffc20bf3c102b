/// One problem in a mapping table, located by file, line and key path.
package struct MappingIssue: Sendable, Equatable, CustomStringConvertible {
    package var file: String
    package var line: Int
    package var keyPath: String
    package var message: String

    package init(file: String, line: Int, keyPath: String, message: String) {
        self.file = file
        self.line = line
        self.keyPath = keyPath
        self.message = message
    }

    /// `mappings/onebot12.yaml:42: actions.send_message.params: …`
    package var description: String {
        let path = keyPath.isEmpty ? "" : " \(keyPath):"
        return "\(file):\(line):\(path) \(message)"
    }
}

/// Every problem found while loading and compiling tables; nothing is checked later.
package struct MappingError: Error, Sendable, CustomStringConvertible {
    package var issues: [MappingIssue]

    package init(issues: [MappingIssue]) {
        self.issues = issues
    }

    package var description: String { issues.map(\.description).joined(separator: "\n") }
}
