/// A value behind one reference, copied only when written while shared.
///
/// Plan values (routes, field operations, the whole mapping plan) are read on every call and copied into
/// every call's bookkeeping. As plain structs each copy retained every array inside them, dozens per
/// copy: retain/release was a quarter of a proxied call's CPU in the profile (bench/README.md). Behind
/// this box a copy is one retain, and reads borrow in place.
package struct CopyOnWrite<Value: Sendable>: @unchecked Sendable {
    // @unchecked: the box is written only while uniquely referenced, so a shared box is never mutated.
    private final class Box {
        var value: Value
        init(_ value: Value) { self.value = value }
    }

    private var box: Box

    package init(_ value: Value) {
        box = Box(value)
    }

    package var value: Value {
        _read { yield box.value }
        _modify {
            if !isKnownUniquelyReferenced(&box) { box = Box(box.value) }
            yield &box.value
        }
    }
}

extension CopyOnWrite: Equatable where Value: Equatable {
    package static func == (lhs: CopyOnWrite, rhs: CopyOnWrite) -> Bool {
        lhs.box === rhs.box || lhs.box.value == rhs.box.value
    }
}
