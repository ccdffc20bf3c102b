import BridgeCore
import Foundation
import BridgeMapping

/// How one simulated OneBot 11 server answers: the seeds' example data, in that dialect's shapes,
/// failing the way that dialect fails. Loaded from `simulator/common.yaml` plus `simulator/<dialect>.yaml`.
package struct SimulatorScenario: Sendable {
    struct Entry: Sendable {
        var required: [String]
        /// The `data` of a success, or a whole fixed envelope.
        var data: JSONValue
        var answer: JSONObject?
    }

    package let dialect: String
    let versionInfo: JSONValue
    let login: JSONValue
    let unknownAction: JSONObject
    let badParam: JSONObject
    let envelopeExtras: JSONObject
    let absent: Set<String>
    let actions: [String: Entry]

    /// The dialects the simulator can play.
    package static var dialects: [String] {
        EmbeddedScenarios.files.map { String($0.file.split(separator: "/").last ?? "").replacingOccurrences(of: ".yaml", with: "") }
            .filter { $0 != "common" }.sorted()
    }

    /// Loads a dialect's scenario from the embedded files. Throws `MappingError` for an unknown dialect.
    package static func named(_ dialect: String) throws(MappingError) -> SimulatorScenario {
        func text(_ name: String) throws(MappingError) -> JSONValue {
            guard let file = EmbeddedScenarios.files.first(where: { $0.file == "simulator/\(name).yaml" }) else {
                throw MappingError(issues: [MappingIssue(file: "simulator", line: 0, keyPath: "dialect",
                    message: "no simulated dialect '\(name)' (have: \(dialects.joined(separator: ", ")))")])
            }
            return try YAMLDocument.json(file.text, file: file.file)
        }
        return SimulatorScenario(common: try text("common"), dialect: try text(dialect))
    }

    init(common: JSONValue, dialect: JSONValue) {
        let top = dialect.objectValue ?? JSONObject()
        self.dialect = top["dialect"]?.stringValue ?? "onebot11"
        self.versionInfo = top["version_info"] ?? ["app_name": "onebot-bridge-simulator", "protocol_version": "v11"]
        self.login = top["login"] ?? ["user_id": 2_854_196_310, "nickname": "simulator"]
        self.unknownAction = top["unknown_action"]?.objectValue ?? ["status": "failed", "retcode": 1404, "data": nil]
        self.badParam = top["bad_param"]?.objectValue ?? ["status": "failed", "retcode": 1400, "data": nil]
        self.envelopeExtras = top["envelope_extras"]?.objectValue ?? JSONObject()
        self.absent = Set((top["absent"]?.arrayValue ?? []).compactMap(\.stringValue))
        var actions: [String: Entry] = [:]
        for source in [common, dialect] {
            for entry in source.objectValue?["actions"]?.objectValue?.entries ?? [] {
                let row = entry.value.objectValue ?? JSONObject()
                actions[entry.key] = Entry(required: (row["required"]?.arrayValue ?? []).compactMap(\.stringValue),
                                           data: row["data"] ?? .null, answer: row["answer"]?.objectValue)
            }
        }
        self.actions = actions
    }
}
