/// A JSON object that keeps its keys in wire order.
///
/// OneBot objects are small (a handful of keys), so a flat array beats hashing on the hot path and
/// keeps serialization stable. Equality ignores key order.
package struct JSONObject: Sendable, Equatable {
    package struct Entry: Sendable, Equatable {
        package var key: String
        package var value: JSONValue

        package init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    package private(set) var entries: [Entry]

    package init(_ entries: [Entry] = []) {
        self.entries = entries
    }

    package init(minimumCapacity: Int) {
        self.entries = []
        self.entries.reserveCapacity(minimumCapacity)
    }

    package var count: Int { entries.count }

    /// Room for `extra` more keys, so a rule that adds several grows the object once.
    package mutating func reserveCapacity(adding extra: Int) {
        if entries.capacity < entries.count + extra { entries.reserveCapacity(entries.count + extra) }
    }
    package var isEmpty: Bool { entries.isEmpty }
    package var keys: [String] { entries.map(\.key) }

    /// The value for `key`; setting nil removes the key, setting a new key appends it.
    package subscript(key: String) -> JSONValue? {
        get {
            guard let index = index(of: key) else { return nil }
            return entries[index].value
        }
        set {
            if let index = index(of: key) {
                if let newValue { entries[index].value = newValue } else { entries.remove(at: index) }
            } else if let newValue {
                entries.append(Entry(key: key, value: newValue))
            }
        }
    }

    /// The position of `key`. Comparing byte counts first skips most full string compares.
    @inline(__always)
    package func index(of key: String) -> Int? {
        let count = key.utf8.count
        for index in entries.indices where entries[index].key.utf8.count == count && entries[index].key == key {
            return index
        }
        return nil
    }

    /// Appends without looking for an existing key; only for building fresh objects from unique keys.
    package mutating func appendUnique(_ key: String, _ value: JSONValue) {
        entries.append(Entry(key: key, value: value))
    }

    /// Removes `key` and returns its value.
    @discardableResult
    package mutating func removeValue(forKey key: String) -> JSONValue? {
        guard let index = index(of: key) else { return nil }
        return entries.remove(at: index).value
    }

    /// Renames `from` to `to` in place, keeping the position. A value already at `to` is replaced.
    package mutating func renameKey(_ from: String, to: String) {
        guard let index = index(of: from) else { return }
        if let clash = self.index(of: to) {
            entries[clash].value = entries[index].value
            entries.remove(at: index)
        } else {
            entries[index].key = to
        }
    }

    /// Applies `body` to every value in place.
    package mutating func updateValues(_ body: (String, inout JSONValue) throws(TranslationError) -> Void)
        throws(TranslationError)
    {
        for index in entries.indices {
            try body(entries[index].key, &entries[index].value)
        }
    }

    package static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.entries.count == rhs.entries.count else { return false }
        for entry in lhs.entries {
            guard let other = rhs[entry.key], other == entry.value else { return false }
        }
        return true
    }
}

extension JSONObject {
    /// Replaces the value at a position from `entries`.
    package mutating func setValue(_ value: JSONValue, at index: Int) {
        entries[index].value = value
    }

    /// Moves the value at a position from `entries` out, leaving null there, so the caller can change it
    /// without a copy-on-write copy and put it back with `setValue(_:at:)`.
    package mutating func takeValue(at index: Int) -> JSONValue {
        var value = JSONValue.null
        swap(&value, &entries[index].value)
        return value
    }

    /// Mutates the value at a position from `entries` in place, without copying it.
    package mutating func modifyValue(at index: Int, _ body: (inout JSONValue) -> Void) {
        body(&entries[index].value)
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    package init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements.map { Entry(key: $0.0, value: $0.1) })
    }
}
