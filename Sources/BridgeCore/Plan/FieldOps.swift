/// The declarative field operations of one table rule, compiled.
///
/// Applied in a fixed order, each step seeing the result of the one before:
/// rename → copy → map (value lookup) → convert → default → set → drop → nested → transforms.
/// ```yaml
/// rename: {nickname: user_name}     # move a value to a new key
/// copy: {card: user_displayname}    # add a second key, keep the first
/// map: {status: {10: 11}}           # replace listed values
/// convert: {lat: string}            # change the JSON type exactly
/// default: {user_displayname: ""}   # only when absent or null
/// set: {platform: qq}               # always
/// drop: [no_cache]
/// nested: {group: {rename: {…}}}    # the same operations inside an object or list of objects
/// transforms: [stamp_time]          # named engine transforms (mappings/README.md)
/// ```
package struct FieldOps: Sendable, Equatable {
    package struct Pair: Sendable, Equatable {
        package init(from: String, to: String) { self.from = from; self.to = to }

        package var from: String
        package var to: String
    }

    package struct Assignment: Sendable, Equatable {
        package init(key: String, value: JSONValue) { self.key = key; self.value = value }

        package var key: String
        package var value: JSONValue
    }

    package struct ValueMap: Sendable, Equatable {
        package init(key: String, cases: [(from: JSONValue, to: JSONValue)]) { self.key = key; self.cases = cases }

        package var key: String
        package var cases: [(from: JSONValue, to: JSONValue)]

        package static func == (lhs: ValueMap, rhs: ValueMap) -> Bool {
            lhs.key == rhs.key && lhs.cases.elementsEqual(rhs.cases) { $0.from == $1.from && $0.to == $1.to }
        }
    }

    package struct Conversion: Sendable, Equatable {
        package init(key: String, type: ValueType) { self.key = key; self.type = type }

        package var key: String
        package var type: ValueType
    }

    package struct Nested: Sendable, Equatable {
        package init(key: String, ops: FieldOps) { self.key = key; self.ops = ops }

        package var key: String
        package var ops: FieldOps
    }

    /// The operations, behind one reference: copying a plan copies many of these (CopyOnWrite).
    private struct Fields: Sendable, Equatable {
        var renames: [Pair] = []
        var copies: [Pair] = []
        var valueMaps: [ValueMap] = []
        var conversions: [Conversion] = []
        var defaults: [Assignment] = []
        var sets: [Assignment] = []
        var drops: [String] = []
        var nested: [Nested] = []
        var transforms: [NamedTransform] = []
    }

    private var fields = CopyOnWrite(Fields())

    package var renames: [Pair] { _read { yield fields.value.renames } _modify { yield &fields.value.renames } }
    package var copies: [Pair] { _read { yield fields.value.copies } _modify { yield &fields.value.copies } }
    package var valueMaps: [ValueMap] { _read { yield fields.value.valueMaps } _modify { yield &fields.value.valueMaps } }
    package var conversions: [Conversion] { _read { yield fields.value.conversions } _modify { yield &fields.value.conversions } }
    package var defaults: [Assignment] { _read { yield fields.value.defaults } _modify { yield &fields.value.defaults } }
    package var sets: [Assignment] { _read { yield fields.value.sets } _modify { yield &fields.value.sets } }
    package var drops: [String] { _read { yield fields.value.drops } _modify { yield &fields.value.drops } }
    package var nested: [Nested] { _read { yield fields.value.nested } _modify { yield &fields.value.nested } }
    package var transforms: [NamedTransform] { _read { yield fields.value.transforms } _modify { yield &fields.value.transforms } }

    package init() {}

    package static let empty = FieldOps()

    /// Checked on every apply, so it looks at counts instead of comparing whole values.
    package var isEmpty: Bool {
        renames.isEmpty && copies.isEmpty && valueMaps.isEmpty && conversions.isEmpty && defaults.isEmpty
            && sets.isEmpty && drops.isEmpty && nested.isEmpty && transforms.isEmpty
    }
}
