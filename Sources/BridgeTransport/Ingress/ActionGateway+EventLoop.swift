import BridgeCore
import NIOCore

extension ActionGateway {
    /// `handle`, answered on `eventLoop` without a Swift task when the upstream can take the call there
    /// (the pooled HTTP client); anything else (an identity refresh, an event poll, a WebSocket upstream)
    /// runs `handle` in a task. The answer is the same either way.
    package func respond(to request: ActionRequest, on eventLoop: any EventLoop) -> EventLoopFuture<ActionResponse> {
        let started = ContinuousClock.now
        switch prepare(request, acceptsStringParams: false, deferring: true) {
        case .deferred:
            return viaTask(request, on: eventLoop)
        case .answered(let answer, let call):
            return eventLoop.makeSucceededFuture(finish(answer, call: call, started: started, upstreamTime: nil))
        case .forward(let call, let upstreamCall):
            let sent = ContinuousClock.now
            guard let reply = call.upstream.send(upstreamCall, on: eventLoop) else {
                return viaTask(request, on: eventLoop)
            }
            let answer = eventLoop.makePromise(of: ActionResponse.self)
            reply.whenComplete { result in
                let reply = result.mapError { error in
                    error as? UpstreamError ?? .connectFailed(action: upstreamCall.action, reason: "\(error)")
                }
                answer.succeed(self.finish(reply: reply, call: call, upstreamCall: upstreamCall, started: started, sent: sent))
            }
            return answer.futureResult
        }
    }

    private func viaTask(_ request: ActionRequest, on eventLoop: any EventLoop) -> EventLoopFuture<ActionResponse> {
        let promise = eventLoop.makePromise(of: ActionResponse.self)
        promise.completeWithTask { await self.handle(request) }
        return promise.futureResult
    }
}
