import BridgeCore
import BridgeMapping
import Testing

/// Runs every row of `Tests/Fixtures/cases/*.yaml` through the shipped tables and the pure translator.
@Suite struct GoldenTests {
    static let tables: MappingSet = {
        do { return try MappingLoader.embedded() } catch { preconditionFailure("\(error)") }
    }()
    static let context = TranslationContext(now: 1_700_000_000.5, selfID: "2854196310")

    @Test(arguments: FixtureLoader.cases())
    func golden(_ row: FixtureLoader.Case) throws {
        let plan = try Self.tables.plan(client: row.client, upstream: row.upstream)
        let translator = Translator(plan: plan)
        let request = try ActionRequest(envelope: row.request, requiresParams: row.client == "onebot12")
        // OB11 and CoolQ params may arrive as strings (query, form) and become the declared types.
        var context = Self.context
        context.acceptsStringParams = row.client != "onebot12"
        let response: ActionResponse
        switch translator.translatedRequest(request, context: context) {
        case .answer(let answer):
            #expect(row.expectUpstream == nil, "\(row.why): answered locally, but a forward was expected")
            response = answer
        case .forward(let call):
            let sent: JSONValue = ["action": .string(call.action), "params": .object(call.params)]
            #expect(sent.canonicalText() == row.expectUpstream?.canonicalText(), "\(row.why)")
            response = translator.translatedResponse(row.upstreamReply ?? .null, for: call, context: context)
        }
        #expect(Self.matches(response.envelope(), row.expectResponse), "\(row.why)\n got: \(response.envelope().canonicalText())")
    }

    /// Equal, except that an expected `message_contains` checks the message by substring.
    static func matches(_ actual: JSONValue, _ expected: JSONValue) -> Bool {
        guard case .object(var wanted) = expected, case .object(var got) = actual else { return actual == expected }
        if case .string(let part)? = wanted.removeValue(forKey: "message_contains") {
            guard case .string(let message)? = got.removeValue(forKey: "message"), message.contains(part) else {
                return false
            }
        }
        return JSONValue.object(got).canonicalText() == JSONValue.object(wanted).canonicalText()
    }
}
