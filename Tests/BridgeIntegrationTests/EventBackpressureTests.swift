import BridgeCore
import BridgeMapping
import BridgeTransport
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
}
