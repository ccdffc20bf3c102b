import NIOCore
import Synchronization

/// One client's bounded queue of serialized events (UTF-8 JSON, shared by every client of one form). It outlives the client's connection, so events
/// that arrive while the client reconnects are delivered when it is back.
///
/// A full queue drops the newest event (the client is too slow or gone too long) and says so; before that,
/// `EventHub.makeRoom()` holds the upstream back while a connected client catches up.
package final class EventQueue: Sendable {
    private struct State: Sendable {
        var items: [ByteBuffer] = []
        var head = 0
        var waiter: CheckedContinuation<ByteBuffer?, Never>?
        var isClosed = false

        /// The oldest event, taken off the queue.
        mutating func takeFirst() -> ByteBuffer? {
            guard head < items.count else { return nil }
            defer {
                head += 1
                // Compact now and then, so the array does not grow for ever.
                if head > 1024, head * 2 > items.count {
                    items.removeFirst(head)
                    head = 0
                }
            }
            return items[head]
        }
    }

    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Events waiting to be taken.
    package var depth: Int { state.withLock { $0.items.count - $0.head } }

    /// Adds an event; returns false when the queue was full and the event dropped.
    func push(_ event: ByteBuffer) -> Bool {
        let waiter = state.withLock { state -> CheckedContinuation<ByteBuffer?, Never>?? in
            if let waiter = state.waiter {
                state.waiter = nil
                return .some(waiter)
            }
            guard state.items.count - state.head < capacity else { return nil }
            state.items.append(event)
            return .some(nil)
        }
        guard let waiter else { return false }
        waiter?.resume(returning: event)
        return true
    }

    /// The next event, waiting for one; nil when the queue is closed or the waiting task is cancelled
    /// (the event stays queued for the next consumer).
    package func next() async -> ByteBuffer? {
        // An event already waiting is taken at once: under load the queue is rarely empty, and a continuation
        // per event (with its task switch) cost more than the frame's write.
        if let ready = state.withLock({ $0.takeFirst() }) { return ready }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> ByteBuffer?? in
                    if let first = state.takeFirst() { return .some(first) }
                    if state.isClosed || Task.isCancelled { return .some(nil) }
                    state.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            state.withLock { state in defer { state.waiter = nil }; return state.waiter }?.resume(returning: nil)
        }
    }

    func close() {
        state.withLock { state in
            state.isClosed = true
            defer { state.waiter = nil }
            return state.waiter
        }?.resume(returning: nil)
    }
}
