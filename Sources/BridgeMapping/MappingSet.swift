import BridgeCore

/// Every table of one `mappings/` folder, read and cross-checked: the hub, the client dialects and the
/// upstream dialects. Compiles a `MappingPlan` for any (client, upstream) pair.
package struct MappingSet: Sendable {
    package var hub: MappingFile
    /// Client dialects by name; the hub is one of them, because OB11 bots speak it.
    package var clients: [String: MappingFile]
    package var upstreams: [String: MappingFile]

    package var clientNames: [String] { clients.keys.sorted() }
    package var upstreamNames: [String] { upstreams.keys.sorted() }

    /// Reads and checks `tables` (file name and text). Throws every problem at once.
    package init(tables: [(file: String, text: String)]) throws(MappingError) {
        var issues: [MappingIssue] = []
        var files: [MappingFile] = []
        for table in tables {
            if let file = MappingFile.read(yaml: table.text, file: table.file, issues: &issues) { files.append(file) }
        }
        let hubs = files.filter { $0.side == .hub }
        // Only when every table was readable: a hub that failed to read has already said why.
        if hubs.count != 1, issues.isEmpty {
            issues.append(MappingIssue(file: hubs.dropFirst().first?.file ?? "mappings", line: 1, keyPath: "side",
                                       message: "exactly one table must have side: hub, found \(hubs.count)"))
        }
        var clients: [String: MappingFile] = [:]
        var upstreams: [String: MappingFile] = [:]
        for file in files {
            let isDuplicate = clients[file.dialect] != nil || upstreams[file.dialect] != nil
            if isDuplicate {
                issues.append(MappingIssue(file: file.file, line: 1, keyPath: "dialect",
                                           message: "dialect '\(file.dialect)' is defined twice"))
            }
            if file.side == .upstream { upstreams[file.dialect] = file } else { clients[file.dialect] = file }
            issues += Self.sideIssues(file)
        }
        guard issues.isEmpty, let hub = hubs.first else { throw MappingError(issues: issues) }
        self.hub = hub
        self.clients = clients
        self.upstreams = upstreams
        // Compile every pair now, so a table that reads well but cannot be fused still fails at load.
        for client in clients.keys.sorted() {
            for upstream in upstreams.keys.sorted() {
                do throws(MappingError) {
                    _ = try plan(client: client, upstream: upstream)
                } catch {
                    issues += error.issues.filter { !issues.contains($0) }
                }
            }
        }
        if !issues.isEmpty { throw MappingError(issues: issues) }
    }

    /// Keys that make sense only on one side of the bridge.
    private static func sideIssues(_ file: MappingFile) -> [MappingIssue] {
        var issues: [MappingIssue] = []
        func add(_ line: Int, _ path: String, _ message: String) {
            issues.append(MappingIssue(file: file.file, line: line, keyPath: path, message: message))
        }
        for row in file.actions {
            let path = "actions.\(row.name)"
            if file.side == .upstream, row.hub != nil || row.dispatch != nil || row.local != nil || !row.params.isEmpty {
                add(row.line, path, "upstream tables rename with 'upstream:'; hub, dispatch, local and params belong to client tables")
            }
            if file.side != .upstream, row.upstream != nil {
                add(row.line, "\(path).upstream", "only upstream tables name wire actions")
            }
            if file.side == .upstream, file.unsupported.contains(where: { $0.name == row.name }) {
                add(row.line, path, "listed under 'unsupported' too")
            }
            let usesSegments = row.request.transforms.contains(.messageSegments)
                || (row.dispatch?.cases.contains { $0.row.request.transforms.contains(.messageSegments) } ?? false)
            if usesSegments, file.segments == nil {
                add(row.line, "\(path).request.transforms", "message_segments needs a 'segments' table in this file")
            }
        }
        if file.side != .upstream {
            let missing = FailureKind.allCases.filter { file.retcodes[$0] == nil }.map(\.rawValue)
            if !missing.isEmpty {
                add(1, "retcodes", "client dialects must give a retcode for every failure kind; missing: \(missing.joined(separator: ", "))")
            }
        }
        return issues
    }

    /// The upstream dialect whose `detect:` rows match `versionInfo`, and the row that matched.
    ///
    /// Rows on `app_name` are tried first in every table (go-cqhttp also carries CoolQ's fields).
    package func detectUpstream(_ versionInfo: JSONObject) -> (dialect: String, reason: String)? {
        for isAppName in [true, false] {
            for name in upstreamNames {
                for rule in upstreams[name]?.detect ?? [] where (rule.field == "app_name") == isAppName {
                    if rule.matches(versionInfo) {
                        let value = versionInfo[rule.field].map { ValueType.string.converted($0)?.stringValue ?? $0.jsonText } ?? ""
                        return (name, "get_version_info \(rule.field) is '\(value)'")
                    }
                }
            }
        }
        return nil
    }
}
