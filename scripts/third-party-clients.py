#!/usr/bin/env python3
"""Drives the bridge with unmodified third-party OneBot 11 and CoolQ clients from PyPI.

    python3 -m venv /tmp/clients && /tmp/clients/bin/pip install aiocqhttp cqhttp
    swift run onebot-bridge demo --dialect icqq        # note the bridge and simulator ports it prints
    /tmp/clients/bin/python scripts/third-party-clients.py BRIDGE_PORT SIMULATOR_PORT
"""
import asyncio, sys, json, urllib.request
port, sim = sys.argv[1], sys.argv[2]
from aiocqhttp import CQHttp
import cqhttp

async def ob11():
    bot = CQHttp(api_root=f"http://127.0.0.1:{port}/v11", access_token="tok")
    print("aiocqhttp get_login_info:", await bot.call_action("get_login_info"))
    print("aiocqhttp send_group_msg:", await bot.send_group_msg(group_id=123456, message="hi [CQ:face,id=1]"))
    print("aiocqhttp get_unidirectional_friend_list:", (await bot.call_action("get_unidirectional_friend_list"))[:1])
    try:
        await bot.call_action("no_such_action")
    except Exception as e:
        print("aiocqhttp unknown action raises:", type(e).__name__)
asyncio.run(ob11())

legacy = cqhttp.CQHttp(api_root=f"http://127.0.0.1:{port}/coolq", access_token="tok")
print("cqhttp SDK get_login_info:", legacy.get_login_info())
print("cqhttp SDK send_private_msg:", legacy.send_private_msg(user_id=10001, message="[CQ:at,qq=1]", is_raw=True))
try:
    legacy.send_private_msg(user_id=0, message="x")
except Exception as e:
    print("cqhttp SDK user_id=0 raises:", type(e).__name__, getattr(e, "retcode", ""))
calls = json.load(urllib.request.urlopen(f"http://127.0.0.1:{sim}/_simulator/received"))
for c in calls:
    if c["action"] != "get_login_info": print("upstream got:", json.dumps(c, ensure_ascii=False))
