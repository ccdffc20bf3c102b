import BridgeCore
import CoreMetrics
import Foundation
import Logging
import Synchronization

/// Where upstream events go: translated once per client dialect, then fanned out to every connected
/// client, and kept in a bounded buffer for OB12 `get_latest_events`.
///
/// A slow client does not slow the others: each has its own bounded queue, and what overflows it is
/// dropped, counted and logged.
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
        var continuation: AsyncStream<String>.Continuation
    }

    private struct State: Sendable {
        var subscribers: [Int: Subscriber] = [:]
        var nextID = 0
        var recent: [JSONValue] = []
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    /// Events a client may fall behind by before its newest are dropped.
    package static let queueCapacity = 4096
    /// OB12 events kept for `get_latest_events` (OB12 §2.1: oldest dropped on overflow).
    package let recentCapacity: Int
    private let state = Mutex(State())
    private let translator: @Sendable (String) -> EventTranslator?
    private let logger: Logger
    private let metrics: BridgeMetrics?

    /// `translator` gives the current event translator of a client dialect (plans change on reload).
    package init(recentCapacity: Int = 1024, logger: Logger, metrics: BridgeMetrics?,
                 translator: @escaping @Sendable (String) -> EventTranslator?) {
        self.recentCapacity = recentCapacity
        self.logger = logger
        self.metrics = metrics
        self.translator = translator
    }

    /// A stream of serialized events for one client; call `unsubscribe` with the id when it leaves.
    package func subscribe(_ interest: Interest) -> (id: Int, events: AsyncStream<String>) {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self,
                                                            bufferingPolicy: .bufferingOldest(Self.queueCapacity))
        let id = state.withLock { state in
            state.nextID += 1
            state.subscribers[state.nextID] = Subscriber(interest: interest, continuation: continuation)
            return state.nextID
        }
        return (id, stream)
    }

    package func unsubscribe(_ id: Int) {
        state.withLock { $0.subscribers.removeValue(forKey: id) }?.continuation.finish()
    }

    /// Takes one OB11 event from an upstream and delivers it.
    package func publish(_ event: JSONValue) {
        metrics?.events("in").increment()
        let subscribers = state.withLock { Array($0.subscribers.values) }
        var rendered: [Interest: String] = [:]
        let context = EventContext(now: Date().timeIntervalSince1970, makeID: { UUID().uuidString.lowercased() })
        for interest in Set(subscribers.map(\.interest)) {
            if let text = render(event, for: interest, context: context) { rendered[interest] = text }
        }
        for subscriber in subscribers {
            guard let text = rendered[subscriber.interest] else { continue }
            if case .dropped = subscriber.continuation.yield(text) {
                metrics?.events("dropped").increment()
                logger.warning("client too slow; event dropped", metadata: ["bridge.dialect": "\(subscriber.interest.dialect)"])
            } else {
                metrics?.events("out").increment()
            }
        }
        rememberForPolling(event, context: context)
    }

    private func render(_ event: JSONValue, for interest: Interest, context: EventContext) -> String? {
        guard let translator = translator(interest.dialect) else { return nil }
        let options = EventOptions(messageFormat: interest.messageFormat, usesLegacyFormat: interest.usesLegacyFormat)
        switch translator.translated(event, options: options, context: context) {
        case .deliver(let translated):
            // Each connection announces itself with its own connect event; the upstream's is not theirs.
            return translated.isUpstreamConnect ? nil : translated.event.jsonText
        case .rejected(let reason):
            logger.debug("event not translated", metadata: ["error.message": "\(reason)"])
            return nil
        }
    }

    /// OB12 polling keeps non-meta events only (OB12 §7.1).
    private func rememberForPolling(_ event: JSONValue, context: EventContext) {
        guard let translator = translator("onebot12"),
            case .deliver(let translated) = translator.translated(event, context: context),
            translated.event.objectValue?["type"]?.stringValue != "meta"
        else { return }
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.recent.append(translated.event)
            if state.recent.count > recentCapacity { state.recent.removeFirst(state.recent.count - recentCapacity) }
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
                        if !state.recent.isEmpty { return true }
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
        state.withLock { state in
            let count = limit > 0 ? min(limit, state.recent.count) : state.recent.count
            defer { state.recent.removeFirst(count) }
            return Array(state.recent.prefix(count))
        }
    }
}
