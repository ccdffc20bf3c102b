import BridgeCore
import Foundation
import HummingbirdWSClient
import Synchronization

/// How often a simulated upstream pushes, the same knobs for every event channel (reverse WebSocket,
/// forward WebSocket, HTTP POST).
package struct SimulatorEventTiming: Sendable {
    package var eventIntervalMilliseconds: Int
    /// nil: events for ever (the demo); a number: stop pushing events after that many (heartbeats go on).
    package var eventCount: Int?
    /// 0 or less: no heartbeats.
    package var heartbeatMilliseconds: Int
    /// Unix seconds for each event's `time`; injectable so tests can pin it.
    package var clock: @Sendable () -> Int64

    package init(eventIntervalMilliseconds: Int = 3_000, eventCount: Int? = nil, heartbeatMilliseconds: Int = 15_000,
                 clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }) {
        self.eventIntervalMilliseconds = eventIntervalMilliseconds
        self.eventCount = eventCount
        self.heartbeatMilliseconds = heartbeatMilliseconds
        self.clock = clock
    }
}

/// What outlives one connection of a channel: the next event number, and how many connections came up.
///
/// Shared, so a channel that reconnects goes on where it stopped: message IDs never repeat, which
/// matters because the bridge drops events an upstream sends twice.
package final class SimulatorEventProgress: Sendable {
    private let state = Mutex<(nextEvent: Int, connections: Int)>((0, 0))

    package init() {}

    package var connections: Int { state.withLock { $0.connections } }

    func connected() { state.withLock { $0.connections += 1 } }

    /// The next event number, or nil once `limit` events have gone out.
    func claimEvent(limit: Int?) -> Int? {
        state.withLock { state in
            if let limit, state.nextEvent >= limit { return nil }
            defer { state.nextEvent += 1 }
            return state.nextEvent
        }
    }
}

/// The upstream's side of one OB11 WebSocket connection, whichever side dialed (onebot11.md §5):
/// lifecycle connect first, then the scripted events and heartbeats, and every action frame answered
/// with the scenario's reply and recorded.
///
/// One pump serves every connection of a channel; they share `progress`, so concurrent event
/// connections split the script between them (a bridge holds one).
package struct SimulatorEventPump: Sendable {
    package let scenario: SimulatorScenario
    package let recorder: SimulatorRecorder
    package let timing: SimulatorEventTiming
    package let script: SimulatorEventScript
    package let progress = SimulatorEventProgress()

    package init(scenario: SimulatorScenario, recorder: SimulatorRecorder, timing: SimulatorEventTiming) {
        self.scenario = scenario
        self.recorder = recorder
        self.timing = timing
        self.script = SimulatorEventScript(scenario: scenario, heartbeatMilliseconds: Int64(timing.heartbeatMilliseconds))
    }

    /// Serves one connection until the peer closes it. `sendsEvents` false is OB11's `/api` socket
    /// (no lifecycle, events or heartbeats); `answersActions` false is `/event` (frames are ignored).
    package func serve(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter,
                       sendsEvents: Bool = true, answersActions: Bool = true) async throws {
        progress.connected()
        let (script, progress, scenario, recorder, clock) = (script, progress, scenario, recorder, timing.clock)
        let (interval, count, beat) = (max(1, timing.eventIntervalMilliseconds), timing.eventCount, timing.heartbeatMilliseconds)
        // Written before anything else can be, so lifecycle connect is always the first frame.
        if sendsEvents { try await outbound.write(.text(script.lifecycleConnect(now: clock()).jsonText)) }
        // One writer: replies, events and heartbeats come from three tasks but must not interleave.
        let (frames, sink) = AsyncStream.makeStream(of: String.self)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await text in frames { try await outbound.write(.text(text)) }
            }
            if sendsEvents {
                group.addTask {
                    while true {
                        try await Task.sleep(for: .milliseconds(interval))
                        guard let number = progress.claimEvent(limit: count) else { return }
                        sink.yield(script.event(number: number, now: clock()).jsonText)
                    }
                }
            }
            if sendsEvents, beat > 0 {
                group.addTask {
                    while true {
                        try await Task.sleep(for: .milliseconds(beat))
                        sink.yield(script.heartbeat(now: clock()).jsonText)
                    }
                }
            }
            for try await message in inbound.messages(maxSize: 1 << 20) {
                guard answersActions, case .text(let text) = message else { continue }
                sink.yield(scenario.reply(toFrame: text, recorder: recorder).jsonText)
            }
            sink.finish()
            group.cancelAll()
        }
    }
}
