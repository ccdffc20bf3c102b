extension InboundSegmentTable {
    /// The OB12 `alt_message` of client segments (onebot12.md §9). Pure.
    ///
    /// `text` segments give their text verbatim; other types their rule's `alt` template over the converted
    /// data; a type with no `alt` gives `[<type>]` without the extension prefix (`qq.mface` → `[mface]`).
    /// Not OB11's `raw_message`: that holds CQ codes (v11-v12-mapping.md §5.1).
    package func altMessage(for segments: [JSONValue]) -> String {
        // Gathered as bytes and made a String once: appending piece by piece to a String regrew it several
        // times per event.
        var output: [UInt8] = []
        output.reserveCapacity(64)
        for segment in segments {
            guard case .object(let object) = segment, case .string(let type)? = object["type"] else { continue }
            let data = object["data"]?.objectValue ?? JSONObject()
            if type == "text" {
                if let text = data["text"].flatMap({ ValueType.string.converted($0)?.stringValue }) {
                    output.append(contentsOf: text.utf8)
                }
            } else if let alt = altLookup[type] {
                let text = alt.rendered { name in data[name].flatMap { ValueType.string.converted($0)?.stringValue } }
                output.append(contentsOf: text.utf8)
            } else {
                output.append(UInt8(ascii: "["))
                output.append(contentsOf: bareType(type).utf8)
                output.append(UInt8(ascii: "]"))
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// A client segment type without the extension prefix, for `[<type>]` (`qq.mface` → `mface`).
    func bareType(_ type: String) -> Substring {
        guard let prefix = extensionPrefix, type.hasPrefix(prefix), type.count > prefix.count else { return Substring(type) }
        return Substring(type).dropFirst(prefix.count)
    }
}
