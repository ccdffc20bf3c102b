import BridgeCore
import BridgeMapping
import Foundation
import Testing

@Suite struct MappingLoadingTests {
    @Test func shippedTablesLoadAndCompileForEveryPair() throws {
        let tables = try MappingLoader.load(directory: FixtureLoader.root.appendingPathComponent("mappings").path)
        #expect(tables.clientNames == ["coolq", "onebot11", "onebot12"])
        #expect(tables.upstreamNames == ["gocqhttp", "icqq", "lagrange", "napcat", "standard"])
        for client in tables.clientNames {
            for upstream in tables.upstreamNames { _ = try tables.plan(client: client, upstream: upstream) }
        }
    }

    @Test func embeddedTablesMatchTheFolder() throws {
        let folder = FixtureLoader.root.appendingPathComponent("mappings").path
        let onDisk = try MappingLoader.tables(in: folder).map { (URL(fileURLWithPath: $0.file).lastPathComponent, $0.text) }
        let embedded = EmbeddedTables.files.map { (URL(fileURLWithPath: $0.file).lastPathComponent, $0.text + "\n") }
        #expect(onDisk.map(\.0) == embedded.map(\.0), "run scripts/embed-tables")
        for (disk, built) in zip(onDisk, embedded) {
            #expect(disk.1 == built.1, "\(disk.0) changed: run scripts/embed-tables")
        }
    }

    /// A broken set of tables is refused with every problem, each located by file, line and key path.
    @Test func brokenTablesListEveryProblem() throws {
        let folder = FixtureLoader.fixtures.appendingPathComponent("mappings-invalid/broken").path
        let error = #expect(throws: MappingError.self) { try MappingLoader.load(directory: folder) }
        let lines = (error?.issues ?? []).map { issue in
            "\(URL(fileURLWithPath: issue.file).lastPathComponent):\(issue.line): \(issue.keyPath): \(issue.message)"
        }
        let expected = [
            "client.yaml:9: actions.get_self_info.response.rename: cyclic rename through 'a'",
            "client.yaml:9: actions.get_self_info.response.rename: cyclic rename through 'b'",
            "client.yaml:11: actions.get_user_info.response.transforms[0]: unknown value 'make_coffee' (expected one of: stamp_time, status_bots, message_segments, cq_to_array)",
            "client.yaml:11: actions.get_user_info.response.rename: two renames write 'user_name'",
            "hub.yaml:4: colour: unknown key (expected one of: action_prefixes, actions, auth_scheme, description, detect, dialect, errors, event_style, events, id_style, ids, inbound_segments, legacy_events, retcodes, segment_data_as_strings, segment_prefix, segments, side, unsupported)",
            "hub.yaml:8: retcodes.no_such_kind: unknown failure kind (see mappings/README.md)",
            "hub.yaml:10: actions.send_like.params.user_id.type: unknown value 'qq_number' (expected one of: id, int64, int, number, string, bool, object, array, message, any)",
            "upstream.yaml:5: errors[0].retcode: expected an integer, found a scalar",
            "upstream.yaml:6: errors[1]: an error row needs a 'kind'",
            "upstream.yaml:10: actions.set_self_longnick.request.drop: expected a list, found a scalar",
        ]
        for line in expected { #expect(lines.contains(line), "missing: \(line)\nall:\n\(lines.joined(separator: "\n"))") }
        #expect(lines.count == expected.count, "\(lines.joined(separator: "\n"))")
    }
}
