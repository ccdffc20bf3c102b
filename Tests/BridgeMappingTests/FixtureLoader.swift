import BridgeCore
import Foundation
import Yams

/// Reads the golden case tables under `Tests/Fixtures/`, found through `#filePath`.
enum FixtureLoader {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")
    /// The repository root.
    static let root = fixtures.deletingLastPathComponent().deletingLastPathComponent()

    /// One row of a case table: an action through the bridge and what each side must see.
    struct Case: Sendable, CustomStringConvertible {
        var file: String
        var name: String
        var client: String
        var upstream: String
        var request: JSONValue
        var expectUpstream: JSONValue?
        var upstreamReply: JSONValue?
        var expectResponse: JSONValue
        var why: String

        var description: String { "\(file): \(name) [\(client) → \(upstream)]" }
    }

    /// Every case of every table in `cases/`, one per listed upstream.
    static func cases() -> [Case] {
        let folder = fixtures.appendingPathComponent("cases")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().filter { $0.hasSuffix(".yaml") }.flatMap { name in
            cases(in: folder.appendingPathComponent(name))
        }
    }

    static func cases(in url: URL) -> [Case] {
        guard let text = try? String(contentsOf: url, encoding: .utf8),
            let root = (try? Yams.load(yaml: text)) as? [String: Any],
            let client = root["client"] as? String,
            let rows = root["cases"] as? [[String: Any]]
        else {
            preconditionFailure("unreadable case table \(url.path)")
        }
        return rows.flatMap { row -> [Case] in
            let upstreams = (row["upstream"] as? [String]) ?? [(row["upstream"] as? String) ?? "napcat"]
            return upstreams.map { upstream in
                Case(file: url.lastPathComponent, name: row["name"] as? String ?? "?", client: client,
                     upstream: upstream, request: json(row["request"]),
                     expectUpstream: row["expect_upstream"].map(json), upstreamReply: row["upstream_reply"].map(json),
                     expectResponse: json(row["expect_response"]), why: row["why"] as? String ?? "")
            }
        }
    }

    /// Converts Yams' Foundation values to `JSONValue`, keeping integers exact.
    static func json(_ value: Any?) -> JSONValue {
        switch value {
        case nil, is NSNull: return .null
        case let flag as Bool: return .bool(flag)
        case let number as Int: return .int(Int64(number))
        case let number as Double: return .double(number)
        case let text as String: return .string(text)
        case let list as [Any]: return .array(list.map(json))
        case let map as [String: Any]:
            var object = JSONObject()
            for key in map.keys.sorted() { object[key] = json(map[key]) }
            return .object(object)
        default: return .string("\(value!)")
        }
    }
}
