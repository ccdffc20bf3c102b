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
struct FieldOps: Sendable, Equatable {
    struct Pair: Sendable, Equatable {
        var from: String
        var to: String
    }

    struct Assignment: Sendable, Equatable {
        var key: String
        var value: JSONValue
    }

    struct ValueMap: Sendable, Equatable {
        var key: String
        var cases: [(from: JSONValue, to: JSONValue)]

        static func == (lhs: ValueMap, rhs: ValueMap) -> Bool {
            lhs.key == rhs.key && lhs.cases.elementsEqual(rhs.cases) { $0.from == $1.from && $0.to == $1.to }
        }
    }

    struct Conversion: Sendable, Equatable {
        var key: String
        var type: ValueType
    }

    struct Nested: Sendable, Equatable {
        var key: String
        var ops: FieldOps
    }

    var renames: [Pair] = []
    var copies: [Pair] = []
    var valueMaps: [ValueMap] = []
    var conversions: [Conversion] = []
    var defaults: [Assignment] = []
    var sets: [Assignment] = []
    var drops: [String] = []
    var nested: [Nested] = []
    var transforms: [NamedTransform] = []

    static let empty = FieldOps()

    var isEmpty: Bool { self == .empty }
}
