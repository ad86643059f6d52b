#!/usr/bin/env python3
"""A real SMTP server on 127.0.0.1 for cnrm's tests (Python 3.11's standard smtpd).

Usage: smtp_server.py PORT OUTDIR DELAY_MS
Each message is written to OUTDIR as <n>.json ({"to": [...], "data": "..."}), atomically. With a
delay, the server pauses before accepting each message's content (a slow server): a client
killed meanwhile leaves an incomplete message, which is dropped, as real servers do.
"""
import asyncore, json, os, sys, time, warnings

warnings.simplefilter("ignore")
import smtpd  # noqa: E402  (deprecated in 3.11, still the standard library's SMTP server)

port, outdir, delay = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]) / 1000.0
os.makedirs(outdir, exist_ok=True)
count = [0]


class Channel(smtpd.SMTPChannel):
    def smtp_DATA(self, arg):
        if delay:
            time.sleep(delay)
        super().smtp_DATA(arg)


class Server(smtpd.SMTPServer):
    channel_class = Channel

    def process_message(self, peer, mailfrom, rcpttos, data, **kwargs):
        count[0] += 1
        path = os.path.join(outdir, f"{count[0]:06d}.json")
        text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            json.dump({"to": rcpttos, "data": text}, f, ensure_ascii=False)
        os.rename(path + ".tmp", path)


server = Server(("127.0.0.1", port), None, decode_data=False, enable_SMTPUTF8=True)
# smtpd listens with a queue of 5: two `cnrm remind` opening 8 connections each while this one
# thread sleeps in a slow DATA overflowed it, and a connection dropped from a full queue looks
# established to its client, which then waited for a greeting that never came.
server.listen(128)
print("ready", flush=True)
asyncore.loop(timeout=0.05)
