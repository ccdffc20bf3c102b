import BridgeCore
import NIOCore

extension ActionGateway {
    /// `handle`, answered on `eventLoop` without a Swift task when the upstream can take the call there
    /// (the pooled HTTP client): `completion` runs once, on that loop, with no future in between. Anything
    /// else (an identity refresh, an event poll, a WebSocket upstream) runs `handle` in a task and hops
    /// back. The answer is the same either way.
    package func respond(to request: ActionRequest, on eventLoop: any EventLoop,
                         completion: @escaping @Sendable (ActionResponse) -> Void) {
        let started = ContinuousClock.now
        switch prepare(request, acceptsStringParams: false, deferring: true) {
        case .deferred:
            viaTask(request, on: eventLoop, completion: completion)
        case .answered(let answer, let call):
            completion(finish(answer, call: call, started: started, upstreamTime: nil))
        case .forward(let call, let upstreamCall):
            let sent = ContinuousClock.now
            let taken = call.upstream.send(upstreamCall, on: eventLoop) { reply in
                completion(self.finish(replyBytes: reply, call: call, upstreamCall: upstreamCall, started: started, sent: sent))
            }
            if !taken { viaTask(request, on: eventLoop, completion: completion) }
        }
    }

    /// The second half for a reply still in its bytes: streamed straight into the client's envelope when
    /// the translator can (`Translator.streamedResponse`), otherwise parsed and translated as a value.
    func finish(replyBytes reply: Result<UpstreamReply, UpstreamError>, call: PreparedCall, upstreamCall: UpstreamCall,
                started: ContinuousClock.Instant, sent: ContinuousClock.Instant) -> ActionResponse {
        // A reply already parsed came with a failure status: the tree path reads it, without a second parse.
        if case .success(let reply) = reply, reply.parsed == nil {
            let streamed = reply.body.withUnsafeReadableBytes { call.translator.streamedResponse($0, for: upstreamCall) }
            if let streamed {
                metrics?.setUpstreamUp(true)
                return finish(.streamed(streamed, echo: upstreamCall.echo), call: call, started: started,
                              upstreamTime: ContinuousClock.now - sent)
            }
        }
        return finish(reply: reply.flatMap { reply in Result { () throws(UpstreamError) in try reply.envelope() } },
                      call: call, upstreamCall: upstreamCall, started: started, sent: sent)
    }

    private func viaTask(_ request: ActionRequest, on eventLoop: any EventLoop,
                         completion: @escaping @Sendable (ActionResponse) -> Void) {
        Task {
            let response = await self.handle(request)
            eventLoop.execute { completion(response) }
        }
    }
}
