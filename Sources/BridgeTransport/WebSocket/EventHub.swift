import BridgeCore
import CoreMetrics
import Foundation
import Logging
import NIOCore
import Synchronization

/// Where upstream events go: translated once per client dialect, then fanned out to every connected
/// client, and kept in a bounded buffer for OB12 `get_latest_events`.
///
/// Each client has its own bounded queue. A connected client that falls a whole queue behind holds the
/// upstream back (`makeRoom()`, so nothing is lost to a burst) for at most `backpressureLimit`; a client
/// still stuck after that no longer slows the others, and what overflows its queue is dropped, counted
/// and logged until it catches up.
package final class EventHub: Sendable {
    /// What a client asked for: its dialect and, for OB11/CoolQ, the message form.
    package struct Interest: Sendable, Hashable {
        package var dialect: String
        package var messageFormat: MessageFormat
        /// CoolQ v1–v3's `post_type: "event"` form (the table's `legacy_events:`).
        package var usesLegacyFormat: Bool

        package init(dialect: String, messageFormat: MessageFormat = .array, usesLegacyFormat: Bool = false) {
            self.dialect = dialect
            self.messageFormat = messageFormat
            self.usesLegacyFormat = usesLegacyFormat
        }
    }

    private struct Subscriber: Sendable {
        var interest: Interest
        var queue: EventQueue
        /// Which client this is across reconnects (a dialed URL, a face's path); nil for one-off clients.
        var resumeKey: String?
        /// Parked: its client is away; the queue keeps filling until the client is back.
        var isParked = false
        /// Stayed full past `backpressureLimit`: it drops instead of holding the upstream back, until it
        /// is down to half a queue.
        var isOverflowing = false
    }

    private struct State: Sendable {
        var subscribers: [Int: Subscriber] = [:]
        var nextID = 0
        /// OB12 events for polling, as sent to OB12 clients, oldest first from `recentStart`.
        var recent: [ByteBuffer] = []
        var recentStart = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        /// Keys of recently accepted events in a ring, to drop what an upstream sends twice.
        var seenRing: [String] = []
        var seenNext = 0
        var seen: Set<String> = []
    }

    /// How many accepted events are remembered for duplicate detection.
    static let seenCapacity = 8192

    /// Events a client may fall behind by before the upstream is held back for it (4096 by default).
    package let queueCapacity: Int
    /// The longest the upstream is held back for one client that is a whole queue behind (5 s by default).
    package let backpressureLimit: Duration
    /// OB12 events kept for `get_latest_events` (OB12 §2.1: oldest dropped on overflow).
    package let recentCapacity: Int
    private let state = Mutex(State())
    private let translator: @Sendable (String) -> EventTranslator?
    private let logger: Logger
    private let metrics: BridgeMetrics?

    /// `translator` gives the current event translator of a client dialect (plans change on reload).
    package init(recentCapacity: Int = 1024, queueCapacity: Int = 4096, backpressureLimit: Duration = .seconds(5),
                 logger: Logger, metrics: BridgeMetrics?, translator: @escaping @Sendable (String) -> EventTranslator?) {
        self.recentCapacity = recentCapacity
        self.queueCapacity = queueCapacity
        self.backpressureLimit = backpressureLimit
        self.logger = logger
        self.metrics = metrics
        self.translator = translator
    }

    /// A queue of serialized events for one client; call `unsubscribe` with the id when it leaves.
    ///
    /// With a `resumeKey`, a parked queue of the same key (its client left with `keepsQueue`) is taken
    /// over with everything that arrived meanwhile: nothing is lost across a reconnect.
    package func subscribe(_ interest: Interest, resumeKey: String? = nil) -> (id: Int, queue: EventQueue) {
        state.withLock { state in
            if let resumeKey, let parked = state.subscribers.first(where: {
                $0.value.isParked && $0.value.resumeKey == resumeKey && $0.value.interest == interest
            }) {
                state.subscribers[parked.key]?.isParked = false
                return (parked.key, parked.value.queue)
            }
            state.nextID += 1
            let queue = EventQueue(capacity: queueCapacity)
            state.subscribers[state.nextID] = Subscriber(interest: interest, queue: queue, resumeKey: resumeKey)
            return (state.nextID, queue)
        }
    }

    /// The client left. With `keepsQueue` its queue stays (bounded) for the next client of the same key;
    /// one parked queue per key is kept, an older one is closed.
    package func unsubscribe(_ id: Int, keepsQueue: Bool = false) {
        let closed = state.withLock { state -> [EventQueue] in
            guard let subscriber = state.subscribers[id] else { return [] }
            guard keepsQueue, let key = subscriber.resumeKey else {
                state.subscribers.removeValue(forKey: id)
                return [subscriber.queue]
            }
            let older = state.subscribers.filter { $0.key != id && $0.value.isParked && $0.value.resumeKey == key }
            for old in older.keys { state.subscribers.removeValue(forKey: old) }
            state.subscribers[id]?.isParked = true
            return older.values.map(\.queue)
        }
        for queue in closed { queue.close() }
    }

    /// Takes one OB11 event from an upstream and delivers it, unless it was already accepted (an
    /// upstream that reconnects may send recent events again). `raw` is the event's JSON as it arrived: OB12
    /// clients get it translated from those bytes where the rows allow (`EventTranslator.streamedEvent`).
    package func publish(_ event: JSONValue, raw: ByteBuffer? = nil) {
        metrics?.events(.received).increment()
        guard isFirstSight(event) else {
            metrics?.events(.duplicate).increment()
            return
        }
        let subscribers = state.withLock { Array($0.subscribers.values) }
        // Translated once per client dialect and form. OB12 polling takes the OB12 clients' text: no second
        // translation, and an event has the same `id` however it is fetched.
        // A list, not a dictionary: there are one or two forms, and hashing each subscriber's cost more.
        var rendered: [(interest: Interest, output: Rendered?)] = []
        let context = EventContext(now: Date().timeIntervalSince1970, makeID: EventID.next)
        func output(for interest: Interest) -> Rendered? {
            if let done = rendered.first(where: { $0.interest == interest }) { return done.output }
            let output = render(event, raw: raw, for: interest, context: context)
            rendered.append((interest, output))
            return output
        }
        for subscriber in subscribers {
            guard let bytes = output(for: subscriber.interest)?.bytes else { continue }
            if !subscriber.queue.push(bytes) {
                metrics?.events(.dropped).increment()
                logger.warning("client too slow; event dropped", metadata: ["bridge.dialect": "\(subscriber.interest.dialect)"])
            } else {
                metrics?.events(.delivered).increment()
            }
        }
        if let polled = output(for: Self.polling), !polled.isMeta { rememberForPolling(polled.bytes) }
    }

    /// What OB12 `get_latest_events` returns: the OB12 form, as OB12 WebSocket clients get it.
    private static let polling = Interest(dialect: "onebot12")

    /// An event in one client's form.
    private struct Rendered {
        /// Serialized once, straight into the buffer every client's socket sends: no String in between.
        var bytes: ByteBuffer
        /// An OB12 meta event, which polling leaves out (OB12 §7.1).
        var isMeta: Bool
    }

    /// Called by an upstream's receive loop after each event: while a connected client's queue is full,
    /// the loop waits (it reads no more, so TCP slows the sender down), for up to `backpressureLimit`.
    /// A client still full then is marked overflowing and stops holding anyone back.
    package func makeRoom() async {
        let deadline = ContinuousClock.now + backpressureLimit
        while true {
            let blocked = state.withLock { state -> Bool in
                var blocked = false
                for (id, subscriber) in state.subscribers where !subscriber.isParked {
                    let depth = subscriber.queue.depth
                    if subscriber.isOverflowing {
                        if depth < queueCapacity / 2 { state.subscribers[id]?.isOverflowing = false }
                    } else if depth >= queueCapacity {
                        blocked = true
                    }
                }
                return blocked
            }
            guard blocked else { return }
            if ContinuousClock.now >= deadline {
                state.withLock { state in
                    for (id, subscriber) in state.subscribers where !subscriber.isParked
                        && subscriber.queue.depth >= queueCapacity {
                        state.subscribers[id]?.isOverflowing = true
                    }
                }
                logger.warning("a client stayed a whole queue behind; its events are dropped until it catches up")
                return
            }
            try? await Task.sleep(for: .milliseconds(2))
        }
    }

    /// Messages are known by (bot, message id); other non-meta events by their exact text. Meta events
    /// (heartbeats) repeat by nature and are never deduplicated.
    private func isFirstSight(_ event: JSONValue) -> Bool {
        guard case .object(let object) = event, object["post_type"]?.stringValue != "meta_event" else { return true }
        let key: String
        if let messageID = object["message_id"], object["post_type"]?.stringValue == "message" {
            key = "\(object["self_id"]?.jsonText ?? "")/m/\(messageID.jsonText)"
        } else {
            key = event.canonicalText()
        }
        return state.withLock { state in
            guard state.seen.insert(key).inserted else { return false }
            if state.seenRing.count < Self.seenCapacity {
                state.seenRing.append(key)
            } else {
                state.seen.remove(state.seenRing[state.seenNext])
                state.seenRing[state.seenNext] = key
                state.seenNext = (state.seenNext + 1) % Self.seenCapacity
            }
            return true
        }
    }

    private func render(_ event: JSONValue, raw: ByteBuffer?, for interest: Interest, context: EventContext) -> Rendered? {
        guard let translator = translator(interest.dialect) else { return nil }
        // Streamed events are never meta events (those take the tree path), so never the upstream's connect.
        if let raw, !interest.usesLegacyFormat,
            let bytes = raw.withUnsafeReadableBytes({ translator.streamedEvent($0, context: context) { ByteBuffer(bytes: $0) } }) {
            return Rendered(bytes: bytes, isMeta: false)
        }
        let options = EventOptions(messageFormat: interest.messageFormat, usesLegacyFormat: interest.usesLegacyFormat)
        switch translator.translated(event, options: options, context: context) {
        case .deliver(let translated):
            // Each connection announces itself with its own connect event; the upstream's is not theirs.
            if translated.isUpstreamConnect { return nil }
            return Rendered(bytes: translated.event.withSerialized(capacity: 1024) { ByteBuffer(bytes: $0) },
                            isMeta: translated.event.objectValue?["type"]?.stringValue == "meta")
        case .rejected(let reason):
            logger.debug("event not translated", metadata: ["error.message": "\(reason)"])
            return nil
        }
    }

    /// Keeps an OB12 event's bytes for polling; past `recentCapacity` the oldest is dropped (OB12 §2.1).
    /// Bytes, not the value tree: most events are never polled, and a buffer is one allocation to keep and
    /// free where a tree is dozens. Polling parses what it takes.
    private func rememberForPolling(_ bytes: ByteBuffer) {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.recent.append(bytes)
            if state.recent.count - state.recentStart > recentCapacity {
                state.recent[state.recentStart] = ByteBuffer()
                state.recentStart += 1
                // Compacted now and then, not on every event: removing the first element moves all the others.
                if state.recentStart >= recentCapacity {
                    state.recent.removeFirst(state.recentStart)
                    state.recentStart = 0
                }
            }
            guard !state.waiters.isEmpty else { return [] }
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// OB12 `get_latest_events`: takes up to `limit` buffered events (0 = all), oldest first; when
    /// there are none, waits up to `timeout` seconds for one.
    package func latest(limit: Int, timeout: Double) async -> [JSONValue] {
        if let events = take(limit), !events.isEmpty || timeout <= 0 { return events }
        let key = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let isReady = self.state.withLock { state -> Bool in
                        if state.recent.count > state.recentStart { return true }
                        state.waiters[key] = continuation
                        return false
                    }
                    if isReady { continuation.resume() }
                }
            }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(Int64(timeout * 1000)))
                self.state.withLock { $0.waiters.removeValue(forKey: key) }?.resume()
            }
            await group.next()
            group.cancelAll()
            self.state.withLock { $0.waiters.removeValue(forKey: key) }?.resume()
        }
        return take(limit) ?? []
    }

    private func take(_ limit: Int) -> [JSONValue]? {
        let taken = state.withLock { state in
            let available = state.recent.count - state.recentStart
            let count = limit > 0 ? min(limit, available) : available
            let taken = Array(state.recent[state.recentStart..<state.recentStart + count])
            state.recent.removeFirst(state.recentStart + count)
            state.recentStart = 0
            return taken
        }
        // The bridge wrote these itself, so they parse.
        return taken.compactMap { try? HTTPParams.json($0) }
    }
}
