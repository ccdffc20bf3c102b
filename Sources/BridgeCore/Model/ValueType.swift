/// A declared JSON type for params, conversions and segment data, as spelled in the tables.
package enum ValueType: String, Sendable, CaseIterable {
    /// A QQ number: an integer or a numeric string; converted exactly, never through Double.
    case id
    case int64
    case int
    case number
    case string
    case bool
    case object
    case array
    /// A OneBot message: a string, one segment object, or an array of segments.
    case message
    case any
}
