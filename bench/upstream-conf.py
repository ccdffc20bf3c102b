#!/usr/bin/env python3
"""Writes the nginx configs for bench/run: a static OneBot 11 upstream (A) and a keep-alive proxy to it (B).

The answers are seed-shaped: get_login_info and send_like as in seed 000, and get_friend_list with
50 friends in NapCat's seed-000 item shape, so scenario C converts 50 elements.
"""
import json, sys

work, up, proxy = sys.argv[1], sys.argv[2], sys.argv[3]
friend = {"birthday_year": 2000, "birthday_month": 1, "birthday_day": 1, "age": 24, "phone_num": "",
          "email": "", "category_id": 0, "sex": "male", "level": 12, "remark": "备注"}
friends = [dict(friend, user_id=10000000 + i, nickname=f"某人{i}") for i in range(50)]
answers = {
    "get_login_info": {"user_id": 2854196310, "nickname": "我是大笨蛋"},
    "send_like": None,
    "get_friend_list": friends,
}
common = f"""worker_processes 1;
pid {work}/%s.pid;
error_log {work}/%s-error.log warn;
events {{ worker_connections 4096; }}
"""
import os
os.makedirs(f"{work}/static", exist_ok=True)
for name, data in answers.items():
    with open(f"{work}/static/{name}", "w") as out:
        json.dump({"status": "ok", "retcode": 0, "data": data, "message": "", "wording": ""}, out, ensure_ascii=False)
# Static files answer POST too: nginx's static module refuses POST with 405, turned back into a 200.
locations = f"""    location / {{ root {work}/static; default_type application/json; error_page 405 =200 $uri; }}"""
with open(f"{work}/upstream.conf", "w") as f:
    f.write(common % ("upstream", "upstream") + f"""http {{
  access_log off;
  keepalive_requests 100000;
  server {{
    listen 127.0.0.1:{up};
{locations}
  }}
}}
""")
with open(f"{work}/proxy.conf", "w") as f:
    f.write(common % ("proxy", "proxy") + f"""http {{
  access_log off;
  keepalive_requests 100000;
  upstream onebot {{ server 127.0.0.1:{up}; keepalive 64; }}
  server {{
    listen 127.0.0.1:{proxy};
    location / {{
      proxy_pass http://onebot;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }}
  }}
}}
""")
