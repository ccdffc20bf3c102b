import Foundation

/// Finds the tables: the embedded defaults, or a folder given with `--mappings`.
package enum MappingLoader {
    /// Loads and checks the embedded tables. Throws `MappingError` only if the build shipped broken tables.
    package static func embedded() throws(MappingError) -> MappingSet {
        try MappingSet(tables: EmbeddedTables.files)
    }

    /// Loads every `*.yaml`, `*.yml` and `*.json` file in `directory` (JSON is read as YAML 1.2).
    package static func load(directory: String) throws(MappingError) -> MappingSet {
        try MappingSet(tables: tables(in: directory))
    }

    package static func tables(in directory: String) throws(MappingError) -> [(file: String, text: String)] {
        let url = URL(fileURLWithPath: directory)
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw MappingError(issues: [MappingIssue(file: directory, line: 0, keyPath: "",
                                                     message: "cannot read the folder: \(error.localizedDescription)")])
        }
        var tables: [(file: String, text: String)] = []
        var issues: [MappingIssue] = []
        for name in names.sorted() where [".yaml", ".yml", ".json"].contains(where: name.hasSuffix) {
            let path = url.appendingPathComponent(name).path
            do {
                tables.append((path, try String(contentsOfFile: path, encoding: .utf8)))
            } catch {
                issues.append(MappingIssue(file: path, line: 0, keyPath: "", message: "cannot read: \(error.localizedDescription)"))
            }
        }
        if !issues.isEmpty { throw MappingError(issues: issues) }
        return tables
    }
}
