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
    private let requestHandles = Mutex<[RequestLabels: (counter: CoreMetrics.Counter, added: ValueHistogram)]>([:])

    /// A label set as a key: hashing the parts needs no string built per request.
    private struct RequestLabels: Hashable {
        var dialect: String
        var action: String
        var retcode: Int64

        /// The dialect is one per bridge face and rarely tells label sets apart, so only the action and retcode
        /// are hashed (equality still compares all three): one string hashed per request, not two.
        func hash(into hasher: inout Hasher) {
            hasher.combine(action)
            hasher.combine(retcode)
        }
    }
    /// Latencies in seconds, as `Double`: the library's `Duration` histograms compared 128-bit values per
    /// bucket, about 800 instructions per record, two records per request.
    private static let latencyBuckets: [Double] = [0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01,
                                                   0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    private static var addedLatency: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "onebot_bridge", metricName: "added_latency", unitName: "seconds",
                             helpText: "Time the bridge adds to an action call: the call less the upstream's part")
    }
    /// Made once: making a counter validates its name and looks it up in the registry under a lock, which
    /// cost about 3 000 instructions per event when done for each one.
    private let eventsReceived, eventsDelivered, eventsDuplicate, eventsDropped: CoreMetrics.Counter
    private let upstreamLatency: ValueHistogram
    private let upGauge: CoreMetrics.Gauge

    package init() {
        registry = PrometheusCollectorRegistry()
        let factory = PrometheusMetricsFactory(registry: registry)
        self.factory = factory
        upstreamLatency = registry.makeValueHistogram(
            descriptor: MetricNameDescriptor(namespace: "onebot_bridge", metricName: "upstream_latency",
                                             unitName: "seconds",
                                             helpText: "Time the upstream took to answer an action call"),
            labels: [], buckets: Self.latencyBuckets)
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
                added: registry.makeValueHistogram(descriptor: Self.addedLatency, labels: [("dialect", dialect)],
                                                   buckets: Self.latencyBuckets))
            cache[key] = handles
            return handles
        }
        handles.counter.increment()
        handles.added.record((upstream.map { total - $0 } ?? total).seconds)
        if let upstream { upstreamLatency.record(upstream.seconds) }
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
    /// In seconds. Through `components`: converting `attoseconds` (an `Int128`) to `Double` takes a generic,
    /// unspecialized path here, about 2 500 instructions.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
