import Synchronization

/// The list-element shapes worked out so far (`ObjectShape`), kept for the next reply. A list's first element
/// is otherwise read in full and its shape compiled, about a seventh of the cost of translating a 50-friend
/// list, and the replies to one action nearly always share their element shape: the next reply's first
/// element is read against the kept shape, and read in full only when it differs (which replaces it).
///
/// A shape depends on the rules it was compiled under (the route's and the client action's, by identity) and
/// on the ID keys, which are the translator's; one memo per translator, so the keys' objects live as long as
/// the memo. One shape is kept per pair of rules, and the tables bound their number.
final class ShapeMemo: Sendable {
    private struct Key: Hashable {
        let first: ObjectIdentifier
        let second: ObjectIdentifier
    }

    private let shapes = Mutex<[Key: ObjectShape]>([:])

    func shape(first: StreamedFieldOps, second: StreamedFieldOps) -> ObjectShape? {
        let key = Key(first: ObjectIdentifier(first), second: ObjectIdentifier(second))
        return shapes.withLock { $0[key] }
    }

    func keep(_ shape: ObjectShape, first: StreamedFieldOps, second: StreamedFieldOps) {
        let key = Key(first: ObjectIdentifier(first), second: ObjectIdentifier(second))
        shapes.withLock { $0[key] = shape }
    }
}
