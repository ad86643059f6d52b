#!/usr/bin/env python3
"""A real SMTP server on 127.0.0.1 for cnrm's tests, on aiosmtpd (the maintained asyncio SMTP
server that replaced the standard library's smtpd, removed in Python 3.12).

Usage: smtp_server.py PORT OUTDIR DELAY_MS [MODE]
Each message is written to OUTDIR as <n>.json ({"to": [...], "data": "..."}), atomically. It
offers no AUTH (none without TLS, and no authenticator): a client that sends credentials fails.
With a delay, the server pauses before accepting each message's content (a slow server), and
does so on its one thread, so that the messages of every connection go through one at a time: a
client killed meanwhile leaves an incomplete message, which is dropped, as real servers do.

MODE (default `ok`) makes it misbehave as real servers do:
- `silent`: accepts every connection and never says a word;
- `reject-rcpt`: answers 550 to every RCPT TO (no such mailbox);
- `reject-data`: answers 554 to every message's content (refused as spam);
- `defer-rcpt`: answers 451 to every RCPT TO (try again later);
- `auth-echo`: offers AUTH PLAIN and LOGIN in clear and refuses every login with a 535 that
  repeats the user and the password it received, decoded.
"""
import asyncio, json, os, sys, time

from aiosmtpd.smtp import SMTP, AuthResult

port, outdir, delay = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]) / 1000.0
mode = sys.argv[4] if len(sys.argv) > 4 else "ok"
os.makedirs(outdir, exist_ok=True)
count = [0]


class Handler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if mode == "reject-rcpt":
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        if mode == "defer-rcpt":
            return "451 4.3.0 Mailbox temporarily unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if mode == "reject-data":
            return "554 5.7.1 Message refused: looks like spam"
        count[0] += 1
        path = os.path.join(outdir, f"{count[0]:06d}.json")
        text = envelope.original_content.decode("utf-8", "replace")
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            json.dump({"to": envelope.rcpt_tos, "data": text}, f, ensure_ascii=False)
        os.rename(path + ".tmp", path)
        return "250 OK"


def echo_authenticator(server, session, envelope, mechanism, auth_data):
    user = auth_data.login.decode("utf-8", "replace")
    password = auth_data.password.decode("utf-8", "replace")
    return AuthResult(
        success=False,
        handled=False,
        message=f"535 5.7.8 Authentication failed for {user} with password {password}",
    )


class SlowSMTP(SMTP):
    async def smtp_DATA(self, arg):
        if delay:
            # Blocks the event loop on purpose: one slow DATA at a time, as a busy server.
            time.sleep(delay)
        await super().smtp_DATA(arg)


class Silent(asyncio.Protocol):
    """Takes the connection and holds it without a word."""

    def connection_made(self, transport):
        self.transport = transport
        with open(os.path.join(outdir, "connections"), "a") as f:
            f.write("1\n")


async def main():
    loop = asyncio.get_running_loop()
    handler = Handler()
    if mode == "silent":
        factory = Silent
    elif mode == "auth-echo":
        factory = lambda: SlowSMTP(
            handler,
            hostname="localhost",
            enable_SMTPUTF8=True,
            authenticator=echo_authenticator,
            auth_require_tls=False,
        )
    else:
        factory = lambda: SlowSMTP(handler, hostname="localhost", enable_SMTPUTF8=True)
    # A listen queue of 128: two `cnrm remind` open 8 connections each while this one thread
    # sleeps in a slow DATA; a connection dropped from a full queue looks established to its
    # client, which then waits for a greeting that never comes.
    server = await loop.create_server(factory, "127.0.0.1", port, backlog=128)
    print("ready", flush=True)
    async with server:
        await server.serve_forever()


asyncio.run(main())
