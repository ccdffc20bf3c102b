import BridgeCore
import BridgeMapping

// Runs one benchmark scenario in a plain loop, for `perf record` and `valgrind --tool=callgrind`, which profile
// the harness-free executable more readably than the benchmark binary. It lives outside Benchmarks/ because the
// benchmark plugin runs every executable there.
//   swift build -c release --product ProfileLoop && perf record -g .build/release/ProfileLoop friends 20000
let arguments = CommandLine.arguments
let scenario = arguments.count > 1 ? arguments[1] : "friends"
let iterations = arguments.count > 2 ? Int(arguments[2]) ?? 1000 : 1000

let tables = try MappingLoader.embedded()
let translator = Translator(plan: try tables.plan(client: "onebot12", upstream: "napcat"))
let context = TranslationContext(now: 1_700_000_000.5, selfID: "2854196310")
let eventTranslator = EventTranslator(plan: translator.plan)
let eventContext = EventContext(now: 1_700_000_000.5, makeID: { "evt" })

let request = Array(#"{"action":"send_user_like","params":{"user_id":"123456789","times":10},"echo":"e1"}"#.utf8)
let friends = (0..<50).map { index in
    #"{"user_id":\#(10_000_000 + index),"nickname":"某人\#(index)","remark":"备注","birthday_year":2000,"birthday_month":1,"birthday_day":1,"age":24,"phone_num":"","email":"","category_id":0,"sex":"male","level":12}"#
}
let reply = Array(#"{"status":"ok","retcode":0,"data":[\#(friends.joined(separator: ","))],"message":"","wording":""}"#.utf8)
// The list bench/run's upstream serves (Python's separators, NapCat's key order), byte for byte.
let benchFriends = (0..<50).map { index in
    #"{"birthday_year": 2000, "birthday_month": 1, "birthday_day": 1, "age": 24, "phone_num": "", "email": "", "category_id": 0, "sex": "male", "level": 12, "remark": "备注", "user_id": \#(10_000_000 + index), "nickname": "某人\#(index)"}"#
}
let benchReply = Array(#"{"status": "ok", "retcode": 0, "data": [\#(benchFriends.joined(separator: ", "))], "message": "", "wording": ""}"#.utf8)
// The same list with every value differing from the element before: the worst case for reading against it.
let variedFriends = (0..<50).map { index in
    #"{"user_id":\#(10_000_000 + index * 7919),"nickname":"某人\#(index)","remark":"备注\#(index % 7)","birthday_year":\#(1960 + index),"birthday_month":\#(1 + index % 12),"birthday_day":\#(1 + index % 28),"age":\#(18 + index),"phone_num":"1380000\#(1000 + index)","email":"u\#(index)@qq.com","category_id":\#(index % 5),"sex":"\#(["male", "female", "unknown"][index % 3])","level":\#(index % 64)}"#
}
let variedReply = Array(#"{"status":"ok","retcode":0,"data":[\#(variedFriends.joined(separator: ","))],"message":"","wording":""}"#.utf8)
let listRequest = try ActionRequest(envelope: try JSONParser.parse(#"{"action":"get_friend_list","params":{}}"#),
                                    requiresParams: true)
guard case .forward(let listCall) = translator.translatedRequest(listRequest, context: context) else { fatalError() }
let selfReply = Array(#"{"status":"ok","retcode":0,"data":{"user_id":2854196310,"nickname":"我是大笨蛋"},"message":"","wording":""}"#.utf8)
let selfRequest = try ActionRequest(envelope: try JSONParser.parse(#"{"action":"get_self_info","params":{}}"#),
                                    requiresParams: true)
guard case .forward(let selfCall) = translator.translatedRequest(selfRequest, context: context) else { fatalError() }
let message = Array(#"{"action":"send_message","params":{"detail_type":"group","group_id":"123456","message":[{"type":"reply","data":{"message_id":"42"}},{"type":"mention","data":{"user_id":"10001"}},{"type":"text","data":{"text":" hello "}},{"type":"image","data":{"file_id":"abc.jpg"}},{"type":"qq.face","data":{"id":"1"}}]}}"#.utf8)
let cqText = "[CQ:reply,id=42][CQ:at,qq=10001] hello [CQ:image,file=abc.jpg][CQ:face,id=1]"
let arrayEvent = Array(#"{"time":1700000000,"self_id":2854196310,"post_type":"message","message_type":"group","sub_type":"normal","message_id":42,"group_id":123456,"user_id":123456789,"font":0,"message":[{"type":"reply","data":{"id":"41"}},{"type":"at","data":{"qq":"2854196310"}},{"type":"text","data":{"text":" hello "}},{"type":"image","data":{"file":"abc.jpg","url":"http://x/abc.jpg"}},{"type":"face","data":{"id":"1"}}],"raw_message":"","sender":{"user_id":123456789,"nickname":"某人"}}"#.utf8)
let stringEvent = Array(#"{"time":1700000000,"self_id":2854196310,"post_type":"message","message_type":"group","sub_type":"normal","message_id":42,"group_id":123456,"user_id":123456789,"font":0,"message":"[CQ:reply,id=41][CQ:at,qq=2854196310] hello [CQ:image,file=abc.jpg,url=http://x/abc.jpg][CQ:face,id=1]","raw_message":"","sender":{"user_id":123456789,"nickname":"某人"}}"#.utf8)

var total = 0
for _ in 0..<iterations {
    switch scenario {
    case "like":
        let action = try ActionRequest(envelope: try JSONParser.parse(request), requiresParams: true)
        guard case .forward(let call) = translator.translatedRequest(action, context: context) else { fatalError() }
        total &+= call.body.serialized().count
    case "friends":
        let upstream = try JSONParser.parse(reply)
        total &+= translator.translatedResponse(upstream, for: listCall, context: context).envelope().serialized().count
    case "friends-streamed":
        total &+= reply.withUnsafeBytes { translator.streamedResponse($0, for: listCall)!.count }
    case "friends-bench-streamed":
        total &+= benchReply.withUnsafeBytes { translator.streamedResponse($0, for: listCall)!.count }
    case "friends-varied-streamed":
        total &+= variedReply.withUnsafeBytes { translator.streamedResponse($0, for: listCall)!.count }
    case "self-streamed":
        total &+= selfReply.withUnsafeBytes { translator.streamedResponse($0, for: selfCall)!.count }
    case "send":
        let action = try ActionRequest(envelope: try JSONParser.parse(message), requiresParams: true)
        guard case .forward(let call) = translator.translatedRequest(action, context: context) else { fatalError() }
        total &+= call.body.serialized().count
    case "cq":
        total &+= CQCode.segments(from: cqText).count
    case "event", "eventcq":
        let bytes = scenario == "event" ? arrayEvent : stringEvent
        guard case .deliver(let event) = eventTranslator.translated(try JSONParser.parse(bytes), context: eventContext)
        else { fatalError() }
        let output = event.event.serialized()
        if iterations == 1 { print(String(decoding: output, as: UTF8.self)) }
        total &+= output.count
    case "event-streamed", "eventcq-streamed":
        let bytes = scenario == "event-streamed" ? arrayEvent : stringEvent
        guard let output = bytes.withUnsafeBytes({ eventTranslator.streamedEvent($0, context: eventContext) }) else {
            fatalError("not streamed")
        }
        if iterations == 1 { print(String(decoding: output, as: UTF8.self)) }
        total &+= output.count
    default:
        fatalError("unknown scenario \(scenario)")
    }
}
print(scenario, iterations, total)
