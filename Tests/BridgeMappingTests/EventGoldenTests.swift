import BridgeCore
import BridgeMapping
import Foundation
import Testing
import Yams

/// Runs every row of `Tests/Fixtures/events/*.yaml` through the shipped tables and the pure `EventTranslator`.
@Suite struct EventGoldenTests {
    static let eventID = "evt-0001"
    static let context = EventContext(now: 1_700_000_000.5, makeID: { EventGoldenTests.eventID }, selfID: "2854196310")

    /// One row of an event case table, for one upstream.
    struct Case: Sendable, CustomStringConvertible {
        var file: String
        var name: String
        var client: String
        var upstream: String
        var options: EventOptions
        var input: JSONValue
        var expect: JSONValue?
        var expectRejected: String?
        var isUpstreamConnect: Bool
        var why: String

        var description: String { "\(file): \(name) [\(upstream) → \(client)]" }
    }

    @Test(arguments: Self.cases())
    func golden(_ row: Case) throws {
        let translator = EventTranslator(plan: try GoldenTests.tables.plan(client: row.client, upstream: row.upstream))
        let outcome = translator.translated(row.input, options: row.options, context: Self.context)
        switch outcome {
        case .rejected(let reason):
            let expected = try #require(row.expectRejected, "\(row.why): rejected (\(reason)), expected an event")
            #expect(reason.contains(expected), "\(row.why): reason was '\(reason)'")
        case .deliver(let translated):
            #expect(row.expectRejected == nil, "\(row.why): delivered, expected a rejection")
            let expected = Self.expectation(for: row)
            #expect(translated.event.canonicalText() == expected.canonicalText(), "\(row.why)")
            #expect(translated.isUpstreamConnect == row.isUpstreamConnect, "\(row.why)")
        }
    }

    /// OB12 rows leave out `id` and `time`: they must be the injected ID and the input's time as a float.
    static func expectation(for row: Case) -> JSONValue {
        guard row.client == "onebot12", case .object(var expected)? = row.expect else { return row.expect ?? .null }
        if expected["id"] == nil { expected["id"] = .string(eventID) }
        if expected["time"] == nil, case .int(let seconds)? = row.input.objectValue?["time"] {
            expected["time"] = .double(Double(seconds))
        }
        return .object(expected)
    }

    /// Every case of every table in `events/`, one per listed upstream.
    static func cases() -> [Case] {
        let folder = FixtureLoader.fixtures.appendingPathComponent("events")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().filter { $0.hasSuffix(".yaml") }.flatMap { cases(in: folder.appendingPathComponent($0)) }
    }

    static func cases(in url: URL) -> [Case] {
        guard let text = try? String(contentsOf: url, encoding: .utf8),
            let root = (try? Yams.load(yaml: text)) as? [String: Any],
            let client = root["client"] as? String,
            let rows = root["cases"] as? [[String: Any]]
        else {
            preconditionFailure("unreadable event case table \(url.path)")
        }
        return rows.flatMap { row -> [Case] in
            let upstreams = (row["upstream"] as? [String]) ?? [(row["upstream"] as? String) ?? "napcat"]
            let format = (row["format"] as? String).flatMap(MessageFormat.init(rawValue:)) ?? .string
            let options = EventOptions(messageFormat: format, usesLegacyFormat: row["legacy"] as? Bool ?? false)
            return upstreams.map { upstream in
                Case(file: url.lastPathComponent, name: row["name"] as? String ?? "?", client: client,
                     upstream: upstream, options: options, input: FixtureLoader.json(row["input"]),
                     expect: row["expect"].map(FixtureLoader.json),
                     expectRejected: row["expect_rejected"] as? String,
                     isUpstreamConnect: row["upstream_connect"] as? Bool ?? false, why: row["why"] as? String ?? "")
            }
        }
    }
}
