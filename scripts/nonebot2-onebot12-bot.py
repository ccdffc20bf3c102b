#!/usr/bin/env python3
"""An unmodified NoneBot2 bot with its OneBot V12 adapter, over forward WebSocket, against the bridge.

    python3 -m venv /tmp/nb && /tmp/nb/bin/pip install "nonebot2[websockets,httpx]" nonebot-adapter-onebot
    swift run onebot-bridge demo --listen 127.0.0.1:8080        # the simulator pushes events
    BRIDGE_WS=ws://127.0.0.1:8080/v12 /tmp/nb/bin/python scripts/nonebot2-onebot12-bot.py
Its matchers fire on the simulated NapCat's events; its replies appear in GET <simulator>/_simulator/received.
"""
import json, os, sys
import nonebot
from nonebot import on_message, on_notice, on_type
from nonebot.adapters.onebot.v12 import Adapter, Bot, MessageEvent, NoticeEvent, Message
from nonebot.adapters.onebot.v12.event import MetaEvent

nonebot.init(driver="~websockets", onebot_ws_urls={os.environ["BRIDGE_WS"]}, log_level="INFO")
driver = nonebot.get_driver()
driver.register_adapter(Adapter)
seen = []

pinged = on_message()
@pinged.handle()
async def _(bot: Bot, event: MessageEvent):
    seen.append(("message", event.get_plaintext()))
    if getattr(event, "detail_type", "") == "private":
        await pinged.send(Message("pong from nonebot"))

notices = on_notice()
@notices.handle()
async def _(event: NoticeEvent):
    seen.append(("notice", event.detail_type))

@driver.on_bot_connect
async def _(bot: Bot):
    print("NB: bot connected", bot.self_id, flush=True)

@driver.on_shutdown
async def _():
    print("NB: seen", json.dumps(seen, ensure_ascii=False), flush=True)

nonebot.run()
