import BridgeCore
import CoreMetrics
import Metrics
import Prometheus
import Synchronization

/// The bridge's Prometheus metrics. Each bridge owns its registry, so several can run in one process.
///
/// Names: `onebot_bridge_requests_total{dialect,action,retcode}`, `onebot_bridge_added_latency_seconds`,
/// `onebot_bridge_upstream_latency_seconds`, `onebot_bridge_upstream_up`, `onebot_bridge_unmapped_actions_total`,
/// `onebot_bridge_mapping_reloads_total{result}`, `onebot_bridge_events_total{direction}`.
package final class BridgeMetrics: Sendable {
    package let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    /// Handles by label set: making one is a registry lookup under a lock, once per label set is enough.
    private let requestHandles = Mutex<[RequestLabels: (counter: CoreMetrics.Counter, added: CoreMetrics.Timer)]>([:])

    /// A label set as a key: hashing the parts needs no string built per request.
    private struct RequestLabels: Hashable {
        var dialect: String
        var action: String
        var retcode: Int64
    }
    /// Made once: making a counter validates its name and looks it up in the registry under a lock, which
    /// cost about 3 000 instructions per event when done for each one.
    private let eventsReceived, eventsDelivered, eventsDuplicate, eventsDropped: CoreMetrics.Counter
    private let upstreamTimer: CoreMetrics.Timer
    private let upGauge: CoreMetrics.Gauge

    package init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        let buckets: [Duration] = [.microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500),
                                   .milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10),
                                   .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
                                   .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10)]
        factory.defaultDurationHistogramBuckets = buckets
        self.factory = factory
        self.upstreamTimer = CoreMetrics.Timer(label: "onebot_bridge_upstream_latency_seconds", dimensions: [], factory: factory)
        self.upGauge = CoreMetrics.Gauge(label: "onebot_bridge_upstream_up", dimensions: [], factory: factory)
        eventsReceived = Self.eventCounter(.received, factory)
        eventsDelivered = Self.eventCounter(.delivered, factory)
        eventsDuplicate = Self.eventCounter(.duplicate, factory)
        eventsDropped = Self.eventCounter(.dropped, factory)
        // Registered up front, so a scrape shows them at zero before the first event.
        for flow in [EventFlow.received, .delivered, .dropped] { events(flow).increment(by: 0) }
        for result in ["ok", "rejected"] { CoreMetrics.Counter(label: "onebot_bridge_mapping_reloads_total", dimensions: [("result", result)], factory: factory).increment(by: 0) }
        setUpstreamUp(false)
    }

    /// One answered action. `action` is the plan's name, or "other" for unmapped ones (bounded labels).
    func recordRequest(dialect: String, action: String, retcode: Int64, total: Duration, upstream: Duration?) {
        let key = RequestLabels(dialect: dialect, action: action, retcode: retcode)
        let handles = requestHandles.withLock { cache in
            if let handles = cache[key] { return handles }
            let handles = (
                counter: CoreMetrics.Counter(label: "onebot_bridge_requests_total",
                                             dimensions: [("dialect", dialect), ("action", action), ("retcode", String(retcode))],
                                             factory: factory),
                added: CoreMetrics.Timer(label: "onebot_bridge_added_latency_seconds", dimensions: [("dialect", dialect)],
                                         factory: factory))
            cache[key] = handles
            return handles
        }
        handles.counter.increment()
        handles.added.recordNanoseconds((upstream.map { total - $0 } ?? total).nanoseconds)
        if let upstream { upstreamTimer.recordNanoseconds(upstream.nanoseconds) }
    }

    func recordUnmapped() {
        CoreMetrics.Counter(label: "onebot_bridge_unmapped_actions_total", dimensions: [], factory: factory).increment()
    }

    package func recordReload(succeeded: Bool) {
        CoreMetrics.Counter(label: "onebot_bridge_mapping_reloads_total", dimensions: [("result", succeeded ? "ok" : "rejected")],
                factory: factory).increment()
    }

    package func setUpstreamUp(_ isUp: Bool) {
        upGauge.record(isUp ? 1 : 0)
    }

    package func events(_ flow: EventFlow) -> CoreMetrics.Counter {
        switch flow {
        case .received: eventsReceived
        case .delivered: eventsDelivered
        case .duplicate: eventsDuplicate
        case .dropped: eventsDropped
        }
    }

    private static func eventCounter(_ flow: EventFlow, _ factory: PrometheusMetricsFactory) -> CoreMetrics.Counter {
        CoreMetrics.Counter(label: "onebot_bridge_events_total", dimensions: [("direction", flow.rawValue)], factory: factory)
    }

    /// The Prometheus text exposition.
    package func exposition() -> [UInt8] {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }
}

/// The `direction` label of `onebot_bridge_events_total`.
package enum EventFlow: String, Sendable {
    /// From an upstream.
    case received = "in"
    /// Queued for one client.
    case delivered = "out"
    /// Sent again by an upstream (after a reconnect) and not passed on.
    case duplicate
    /// Lost for one client whose queue was full.
    case dropped
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
