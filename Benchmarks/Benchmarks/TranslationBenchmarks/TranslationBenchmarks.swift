import Benchmark
import BridgeCore
import BridgeMapping

/// The translation core on its own: no sockets, one parse, one translation, one serialization,
/// exactly what the bridge does per call. Inputs are seed-shaped.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
                                           maxDuration: .seconds(2))
    let tables = try! MappingLoader.embedded()
    let translator = Translator(plan: try! tables.plan(client: "onebot12", upstream: "napcat"))
    let context = TranslationContext(now: 1_700_000_000.5, selfID: "2854196310")

    // What the harness itself counts per sample: its malloc counter reads jemalloc's totals around the
    // sample, so the other benchmarks' "Malloc (total)" includes this floor.
    Benchmark("baseline: empty body (the harness's own mallocs per sample)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(benchmark) }
    }

    let request = Array(#"{"action":"send_user_like","params":{"user_id":"123456789","times":10},"echo":"e1"}"#.utf8)
    Benchmark("request: OB12 send_user_like → OB11 send_like (parse, translate, serialize)") { benchmark in
        for _ in benchmark.scaledIterations {
            let envelope = try! JSONParser.parse(request)
            let action = try! ActionRequest(envelope: envelope, requiresParams: true)
            guard case .forward(let call) = translator.translatedRequest(action, context: context) else { fatalError() }
            blackHole(call.body.serialized())
        }
    }

    let friends = (0..<50).map { index in
        #"{"user_id":\#(10_000_000 + index),"nickname":"某人\#(index)","remark":"备注","birthday_year":2000,"birthday_month":1,"birthday_day":1,"age":24,"phone_num":"","email":"","category_id":0,"sex":"male","level":12}"#
    }
    let reply = Array(#"{"status":"ok","retcode":0,"data":[\#(friends.joined(separator: ","))],"message":"","wording":""}"#.utf8)
    let listRequest = try! ActionRequest(envelope: try! JSONParser.parse(#"{"action":"get_friend_list","params":{}}"#),
                                         requiresParams: true)
    guard case .forward(let listCall) = translator.translatedRequest(listRequest, context: context) else { fatalError() }
    Benchmark("response: OB11 get_friend_list, 50 friends → OB12 (parse, translate, serialize)") { benchmark in
        for _ in benchmark.scaledIterations {
            let upstream = try! JSONParser.parse(reply)
            blackHole(translator.translatedResponse(upstream, for: listCall, context: context).envelope().serialized())
        }
    }
    // What the bridge does with a plain success whose rules only rename, copy, default and drop (ReplyStreamer).
    Benchmark("response: OB11 get_friend_list, 50 friends → OB12, streamed from the bytes") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(reply.withUnsafeBytes { translator.streamedResponse($0, for: listCall) })
        }
    }

    let message = Array(#"{"action":"send_message","params":{"detail_type":"group","group_id":"123456","message":[{"type":"reply","data":{"message_id":"42"}},{"type":"mention","data":{"user_id":"10001"}},{"type":"text","data":{"text":" hello "}},{"type":"image","data":{"file_id":"abc.jpg"}},{"type":"qq.face","data":{"id":"1"}}]}}"#.utf8)
    Benchmark("request: OB12 send_message with 5 segments → OB11 array") { benchmark in
        for _ in benchmark.scaledIterations {
            let action = try! ActionRequest(envelope: try! JSONParser.parse(message), requiresParams: true)
            guard case .forward(let call) = translator.translatedRequest(action, context: context) else { fatalError() }
            blackHole(call.body.serialized())
        }
    }

    let cqText = "[CQ:reply,id=42][CQ:at,qq=10001] hello [CQ:image,file=abc.jpg][CQ:face,id=1]"
    Benchmark("CQ string with 5 segments → array segments") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(CQCode.segments(from: cqText)) }
    }

    let eventTranslator = EventTranslator(plan: translator.plan)
    let eventContext = EventContext(now: 1_700_000_000.5, makeID: { "evt" })
    let arrayEvent = Array(#"{"time":1700000000,"self_id":2854196310,"post_type":"message","message_type":"group","sub_type":"normal","message_id":42,"group_id":123456,"user_id":123456789,"font":0,"message":[{"type":"reply","data":{"id":"41"}},{"type":"at","data":{"qq":"2854196310"}},{"type":"text","data":{"text":" hello "}},{"type":"image","data":{"file":"abc.jpg","url":"http://x/abc.jpg"}},{"type":"face","data":{"id":"1"}}],"raw_message":"","sender":{"user_id":123456789,"nickname":"某人"}}"#.utf8)
    let stringEvent = Array(#"{"time":1700000000,"self_id":2854196310,"post_type":"message","message_type":"group","sub_type":"normal","message_id":42,"group_id":123456,"user_id":123456789,"font":0,"message":"[CQ:reply,id=41][CQ:at,qq=2854196310] hello [CQ:image,file=abc.jpg,url=http://x/abc.jpg][CQ:face,id=1]","raw_message":"","sender":{"user_id":123456789,"nickname":"某人"}}"#.utf8)
    for (form, bytes) in [("array", arrayEvent), ("CQ string", stringEvent)] {
        Benchmark("event: OB11 group message, 5 segments (\(form)) → OB12 (parse, translate, serialize)") { benchmark in
            for _ in benchmark.scaledIterations {
                guard case .deliver(let event) = eventTranslator.translated(try! JSONParser.parse(bytes), context: eventContext)
                else { fatalError() }
                blackHole(event.event.serialized())
            }
        }
        Benchmark("event: OB11 group message, 5 segments (\(form)) → OB12, streamed from the bytes") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(bytes.withUnsafeBytes { eventTranslator.streamedEvent($0, context: eventContext)! })
            }
        }
    }
}
