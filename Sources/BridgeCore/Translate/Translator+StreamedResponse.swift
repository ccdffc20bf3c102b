extension Translator {
    /// The client's whole answer envelope for a successful upstream reply to `call`, written straight from
    /// the reply's bytes (`ReplyStreamer`); nil when the reply must go through `translatedResponse`: a
    /// failure, a rule that reads values, or anything the streaming reader does not take.
    ///
    /// The same answer as `translatedResponse(...).envelope()` would serialize, byte for byte apart from
    /// string escapes and number spellings, which are copied as the upstream wrote them. Pure.
    package func streamedResponse(_ reply: UnsafeRawBufferPointer, for call: UpstreamCall) -> SerializedBytes? {
        guard let first = call.route.upstreamResponseOps.streamed, let second = call.responseOps.streamed,
            let base = reply.baseAddress, !reply.isEmpty
        else { return nil }
        var streamer = ReplyStreamer(bytes: base.assumingMemoryBound(to: UInt8.self), count: reply.count,
                                     first: first, second: second, idFields: streamIDFields, shapes: shapes)
        do throws(StreamBail) {
            try streamer.writeEnvelope()
        } catch {
            return nil
        }
        if let echo = call.echo {
            streamer.output.append(#","echo":"#)
            echo.write(to: &streamer.output, sortedKeys: false)
        }
        streamer.output.append(UInt8(ascii: "}"))
        return streamer.finish()
    }
}
