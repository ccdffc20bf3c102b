#!/usr/bin/env python3
"""Event throughput through the bridge: upstream reverse WebSocket -> OneBot 12 forward WebSocket clients.

One upstream connection (as NapCat would dial /upstream/ws) pushes COUNT OneBot 11 group messages with
5 segments in array form as fast as the bridge takes them; CLIENTS OneBot 12 bots on /v12 count what they
receive and the delivery latency (send time is carried in the message text). Prints events/s per client,
p50/p99 latency and how many were lost.

    python3 bench/events.py PORT [--clients 1] [--count 20000] [--rate 0]
The driver is Python: at high rates it can be the bottleneck, so the figure is a lower bound.
"""
import argparse, asyncio, json, statistics, time

import websockets


def event(number: int) -> str:
    stamp = time.perf_counter_ns()
    return json.dumps({
        "time": int(time.time()), "self_id": 2854196310, "post_type": "message", "message_type": "group",
        "sub_type": "normal", "message_id": number, "group_id": 123456, "user_id": 123456789, "font": 0,
        "message": [
            {"type": "reply", "data": {"id": "41"}},
            {"type": "at", "data": {"qq": "2854196310"}},
            {"type": "text", "data": {"text": f"t={stamp} "}},
            {"type": "image", "data": {"file": "abc.jpg", "url": "http://example.invalid/abc.jpg"}},
            {"type": "face", "data": {"id": "1"}},
        ],
        "raw_message": "", "sender": {"user_id": 123456789, "nickname": "某人"},
    })


async def client(url: str, count: int, latencies: list, ready: asyncio.Event, done: asyncio.Event):
    received = 0
    async with websockets.connect(url, max_size=1 << 24) as socket:
        await socket.recv()  # meta.connect
        await socket.recv()  # meta.status_update
        ready.set()
        while received < count:
            try:
                frame = json.loads(await asyncio.wait_for(socket.recv(), timeout=10))
            except asyncio.TimeoutError:
                break
            if frame.get("type") != "message":
                continue
            received += 1
            text = next(s["data"]["text"] for s in frame["message"] if s["type"] == "text")
            latencies.append((time.perf_counter_ns() - int(text.split("=")[1])) / 1e6)
    done.set()
    return received


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("--clients", type=int, default=1)
    parser.add_argument("--count", type=int, default=20000)
    parser.add_argument("--rate", type=float, default=0, help="events/s to send; 0 = as fast as possible")
    args = parser.parse_args()
    base = f"ws://127.0.0.1:{args.port}"
    latencies = [[] for _ in range(args.clients)]
    readies = [asyncio.Event() for _ in range(args.clients)]
    dones = [asyncio.Event() for _ in range(args.clients)]
    tasks = [asyncio.create_task(client(f"{base}/v12", args.count, latencies[i], readies[i], dones[i]))
             for i in range(args.clients)]
    for ready in readies:
        await ready.wait()
    async with websockets.connect(f"{base}/upstream/ws", max_size=1 << 24,
                                  additional_headers={"X-Self-ID": "2854196310", "X-Client-Role": "Universal"}) as upstream:
        await asyncio.sleep(0.3)
        start = time.perf_counter()
        for number in range(args.count):
            await upstream.send(event(number))
            if args.rate > 0:
                # Paced sending: latency then measures the bridge, not a queue the driver built up.
                delay = start + (number + 1) / args.rate - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
        counts = await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - start
    flat = sorted(x for per in latencies for x in per)
    delivered = sum(counts)
    p = lambda q: flat[min(len(flat) - 1, int(q * len(flat)))] if flat else float("nan")
    print(f"clients={args.clients} events={args.count} delivered={delivered} lost={args.count * args.clients - delivered} "
          f"events/s per client={min(counts) / elapsed:.0f} total deliveries/s={delivered / elapsed:.0f} "
          f"p50={p(0.5):.2f} ms p99={p(0.99):.2f} ms")


asyncio.run(main())
