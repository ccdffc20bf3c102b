import ArgumentParser
import BridgeCore
import BridgeMapping
import Foundation

/// `onebot-bridge mappings check|coverage`.
struct Mappings: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Lint the mapping tables, or show which actions each upstream dialect supports.",
        subcommands: [Check.self, Coverage.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Load, check and compile every table; list every problem.")

        @Option(help: "A folder of tables; the built-in ones when omitted.") var mappings: String?

        func run() async throws {
            do {
                let tables = try loadTables(mappings)
                let pairs = tables.clientNames.count * tables.upstreamNames.count
                print("ok: \(tables.clients.count + tables.upstreams.count) tables, \(pairs) client × upstream plans")
            } catch let error as MappingError {
                print(error.description)
                print("\(error.issues.count) problem(s)")
                throw ExitCode(65)
            }
        }
    }

    struct Coverage: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print action × upstream dialect: mapped, passthrough, local or unsupported.")

        @Option(help: "The client dialect.") var client = "onebot12"
        @Option(help: "A folder of tables; the built-in ones when omitted.") var mappings: String?

        func run() async throws {
            let tables = try exitOnError(65) { try loadTables(mappings) }
            let upstreams = tables.upstreamNames
            let plans = try exitOnError(65) { try upstreams.map { try tables.plan(client: client, upstream: $0) } }
            let names = Set(plans.flatMap { $0.actions.keys }).sorted()
            let width = max(names.map(\.count).max() ?? 10, 10)
            let pad = { (text: String, count: Int) in text + String(repeating: " ", count: max(count - text.count, 0)) }
            print(pad("action", width) + "  " + upstreams.map { pad($0, 12) }.joined(separator: " "))
            var totals = [String: Int]()
            for name in names {
                let cells = plans.map { $0.actions[name].map(Self.status) ?? "passthrough" }
                for cell in cells { totals[cell, default: 0] += 1 }
                print(pad(name, width) + "  " + cells.map { pad($0, 12) }.joined(separator: " "))
            }
            print("\n\(names.count) actions; any other action name is passed through with the global ID rules.")
            print(totals.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", "))
        }

        static func status(_ plan: ActionPlan) -> String {
            switch plan.route {
            case .local: return "local"
            case .unsupported: return "unsupported"
            case .fixed(let route) where route.unsupportedReason != nil: return "unsupported"
            case .dispatch(_, let cases) where cases.values.contains(where: { $0.unsupportedReason != nil }):
                return "partial"
            default: return plan.origin == .mapped ? "mapped" : "passthrough"
            }
        }
    }
}
