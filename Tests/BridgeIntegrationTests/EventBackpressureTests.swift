import BridgeCore
import BridgeMapping
import BridgeTransport
import NIOCore
import Synchronization
import Testing

/// A burst larger than a client's queue holds the upstream back instead of losing events; a client that
/// stays stuck stops holding it back after the limit, and only then drops.
@Suite struct EventBackpressureTests {
    private func event(_ number: Int) -> JSONValue {
        ["time": 1_700_000_000, "self_id": 10001, "post_type": "message", "message_type": "private", "sub_type": "friend",
         "message_id": .int(Int64(number)), "user_id": 20002, "message": "hi", "raw_message": "hi", "font": 0,
         "sender": ["user_id": 20002, "nickname": "n"]]
    }

    @Test func aFullQueueHoldsTheUpstreamBackThenDrops() async throws {
        let plan = try MappingLoader.embedded().plan(client: "onebot12", upstream: "napcat")
        let hub = EventHub(queueCapacity: 3, backpressureLimit: .milliseconds(300), logger: BridgeHarness.logger,
                           metrics: nil) { _ in EventTranslator(plan: plan) }
        let (_, queue) = hub.subscribe(.init(dialect: "onebot12"))
        for number in 0..<3 { hub.publish(event(number)) }
        #expect(queue.depth == 3)
        let returned = Mutex(false)
        let waiting = Task {
            await hub.makeRoom()
            returned.withLock { $0 = true }
        }
        try await Task.sleep(for: .milliseconds(100))
        #expect(returned.withLock { $0 } == false)  // full: the upstream is held back
        #expect(await queue.next() != nil)
        await waiting.value  // room again: it goes on
        hub.publish(event(3))
        #expect(queue.depth == 3)
        // Nobody reads now: after the limit the upstream goes on and this client starts dropping.
        await hub.makeRoom()
        hub.publish(event(4))
        #expect(queue.depth == 3)
        await hub.makeRoom()  // an overflowing client holds nobody back
        for _ in 0..<3 { #expect(await queue.next() != nil) }
        #expect(queue.depth == 0)
    }

    /// Polling keeps the newest `recentCapacity` OB12 events, in order, as OB12 clients got them: same text,
    /// same `id`, and no meta events.
    @Test func pollingKeepsTheNewestEventsAsClientsGotThem() async throws {
        let plan = try MappingLoader.embedded().plan(client: "onebot12", upstream: "napcat")
        let hub = EventHub(recentCapacity: 3, logger: BridgeHarness.logger, metrics: nil) { _ in EventTranslator(plan: plan) }
        let (_, queue) = hub.subscribe(.init(dialect: "onebot12"))
        for number in 0..<5 {
            // With the bytes as they came: the OB12 form is then streamed from them.
            hub.publish(event(number), raw: ByteBuffer(string: event(number).jsonText))
            hub.publish(["time": 1_700_000_000, "self_id": 10001, "post_type": "meta_event", "meta_event_type": "heartbeat",
                         "interval": 5000, "status": ["online": true, "good": true]])
        }
        var sent: [JSONValue] = []
        while queue.depth > 0, let bytes = await queue.next() { sent.append(try HTTPParams.json(bytes)) }
        #expect(sent.count == 10)
        let messages = sent.filter { $0.objectValue?["type"] == "message" }
        let polled = await hub.latest(limit: 0, timeout: 0)
        #expect(polled.map { $0.canonicalText() } == messages.suffix(3).map { $0.canonicalText() })
        #expect(polled.compactMap { $0.objectValue?["message_id"]?.stringValue } == ["2", "3", "4"])
        #expect(await hub.latest(limit: 0, timeout: 0).isEmpty, "polling takes what it returns")

        // Past the capacity several times over, with a limit: still the newest, oldest first.
        for number in 5..<20 { hub.publish(event(number)) }
        let limited = await hub.latest(limit: 2, timeout: 0)
        #expect(limited.compactMap { $0.objectValue?["message_id"]?.stringValue } == ["17", "18"])
        #expect(await hub.latest(limit: 5, timeout: 0).compactMap { $0.objectValue?["message_id"]?.stringValue } == ["19"])
    }

    @Test func eventIDsAreVersion4UUIDsAndUnique() {
        let ids = (0..<10_000).map { _ in EventID.next() }
        #expect(Set(ids).count == ids.count)
        for id in ids.prefix(100) {
            let parts = id.split(separator: "-").map(\.count)
            #expect(parts == [8, 4, 4, 4, 12], "\(id)")
            #expect(id == id.lowercased() && id.allSatisfy { $0.isHexDigit || $0 == "-" }, "\(id)")
            let characters = Array(id)
            #expect(characters[14] == "4", "version 4: \(id)")
            #expect("89ab".contains(characters[19]), "variant 10: \(id)")
        }
    }
}
