#!/usr/bin/env python3
"""A real SMTP server on 127.0.0.1 for cnrm's tests, on aiosmtpd (the maintained asyncio SMTP
server that replaced the standard library's smtpd, removed in Python 3.12).

Usage: smtp_server.py PORT OUTDIR DELAY_MS
Each message is written to OUTDIR as <n>.json ({"to": [...], "data": "..."}), atomically. It
offers no AUTH (none without TLS, and no authenticator): a client that sends credentials fails.
With a delay, the server pauses before accepting each message's content (a slow server), and
does so on its one thread, so that the messages of every connection go through one at a time: a
client killed meanwhile leaves an incomplete message, which is dropped, as real servers do.
"""
import asyncio, json, os, sys, time

from aiosmtpd.smtp import SMTP

port, outdir, delay = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]) / 1000.0
os.makedirs(outdir, exist_ok=True)
count = [0]


class Handler:
    async def handle_DATA(self, server, session, envelope):
        count[0] += 1
        path = os.path.join(outdir, f"{count[0]:06d}.json")
        text = envelope.original_content.decode("utf-8", "replace")
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            json.dump({"to": envelope.rcpt_tos, "data": text}, f, ensure_ascii=False)
        os.rename(path + ".tmp", path)
        return "250 OK"


class SlowSMTP(SMTP):
    async def smtp_DATA(self, arg):
        if delay:
            # Blocks the event loop on purpose: one slow DATA at a time, as a busy server.
            time.sleep(delay)
        await super().smtp_DATA(arg)


async def main():
    loop = asyncio.get_running_loop()
    handler = Handler()
    # A listen queue of 128: two `cnrm remind` open 8 connections each while this one thread
    # sleeps in a slow DATA; a connection dropped from a full queue looks established to its
    # client, which then waits for a greeting that never comes.
    server = await loop.create_server(
        lambda: SlowSMTP(handler, hostname="localhost", enable_SMTPUTF8=True),
        "127.0.0.1",
        port,
        backlog=128,
    )
    print("ready", flush=True)
    async with server:
        await server.serve_forever()


asyncio.run(main())
