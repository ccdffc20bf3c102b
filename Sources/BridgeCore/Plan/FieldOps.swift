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

    package var renames: [Pair] = []
    package var copies: [Pair] = []
    package var valueMaps: [ValueMap] = []
    package var conversions: [Conversion] = []
    package var defaults: [Assignment] = []
    package var sets: [Assignment] = []
    package var drops: [String] = []
    package var nested: [Nested] = []
    package var transforms: [NamedTransform] = []

    package init() {}

    package static let empty = FieldOps()

    /// Checked on every apply, so it looks at counts instead of comparing whole values.
    package var isEmpty: Bool {
        renames.isEmpty && copies.isEmpty && valueMaps.isEmpty && conversions.isEmpty && defaults.isEmpty
            && sets.isEmpty && drops.isEmpty && nested.isEmpty && transforms.isEmpty
    }
}
