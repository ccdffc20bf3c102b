import ArgumentParser
import BridgeCore
import BridgeMapping
import Foundation

/// `onebot-bridge translate`: show what the bridge would send upstream for one request.
struct Translate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the upstream request the bridge would send for an action request (from FILE or stdin).")

    @Option(help: "The client dialect.") var from = "onebot12"
    @Option(help: "The upstream dialect.") var to = "napcat"
    @Option(help: "A folder of mapping tables to use instead of the built-in ones.") var mappings: String?
    @Argument(help: "A JSON file with the action request; standard input when omitted.") var file: String?

    func run() async throws {
        let tables = try exitOnError(65) { try loadTables(mappings) }
        let plan = try exitOnError(65) { try tables.plan(client: from, upstream: to) }
        let data = try exitOnError(66) {
            if let file { return try Data(contentsOf: URL(fileURLWithPath: file)) }
            return FileHandle.standardInput.readDataToEndOfFile()
        }
        let outcome = try exitOnError(65) {
            let envelope = try JSONParser.parse(Array(data))
            let request = try ActionRequest(envelope: envelope, requiresParams: from == "onebot12")
            return Translator(plan: plan).translatedRequest(request, context: TranslationContext(now: Date().timeIntervalSince1970))
        }
        switch outcome {
        case .forward(let call):
            let output: JSONValue = ["action": .string(call.action), "params": .object(call.params)]
            print("POST /\(call.action)")
            print(output.canonicalText())
        case .answer(let response):
            print("answered by the bridge, nothing sent upstream:")
            print(response.envelope().canonicalText())
        }
    }
}
