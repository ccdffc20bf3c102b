#!/usr/bin/env python3
"""An unmodified NoneBot2 bot with its OneBot V11 adapter, over forward or reverse WebSocket.

    /tmp/nb/bin/pip install "nonebot2[fastapi,websockets,httpx]" nonebot-adapter-onebot
    forward: MODE=forward BRIDGE_WS=ws://127.0.0.1:8080/v11 /tmp/nb/bin/python scripts/nonebot2-onebot11-bot.py
    reverse: MODE=reverse NB_PORT=8095 /tmp/nb/bin/python scripts/nonebot2-onebot11-bot.py, with the bridge
             started with --onebot11-reverse-ws ws://127.0.0.1:8095/onebot/v11/ws
"""
import json, os
import nonebot
from nonebot import on_message, on_notice
from nonebot.adapters.onebot.v11 import Adapter, Bot, MessageEvent, PrivateMessageEvent, NoticeEvent

mode = os.environ["MODE"]
if mode == "forward":
    nonebot.init(driver="~websockets", onebot_ws_urls={os.environ["BRIDGE_WS"]}, log_level="INFO")
else:
    nonebot.init(driver="~fastapi+~websockets", host="127.0.0.1", port=int(os.environ["NB_PORT"]), log_level="INFO")
driver = nonebot.get_driver()
driver.register_adapter(Adapter)
seen = []
m = on_message()
@m.handle()
async def _(bot: Bot, event: MessageEvent):
    seen.append(("message", event.message_type))
    if isinstance(event, PrivateMessageEvent):
        await m.send("pong v11")
n = on_notice()
@n.handle()
async def _(event: NoticeEvent):
    seen.append(("notice", event.notice_type))
@driver.on_bot_connect
async def _(bot: Bot):
    print("NB11: connected", bot.self_id, flush=True)
@driver.on_shutdown
async def _():
    print("NB11: seen", len(seen), sorted(set(seen)), flush=True)
nonebot.run()
