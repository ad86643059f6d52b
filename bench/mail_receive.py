#!/usr/bin/env python3
"""Replies per second through `cnrm mail receive`, process start included.

Usage: python3 bench/mail_receive.py [--cnrm target/release/cnrm] [--replies 200] [--smtp]

Applies a plan of 50 owners with 4 tasks each to a fresh SQLite file, runs one reminder scan
(50 messages, queued in the outbox), then pipes `--replies` replies (each answering one task of
one reminder, threaded by its Message-ID and addressed to its token) one after the other into
`cnrm mail receive`, as a mail server's delivery pipe would. With `--smtp`, the test SMTP server
(tests/smtp_server.py) runs and each answer is sent at once, as in production.
"""
import argparse, json, os, socket, sqlite3, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def plan(owners, per_owner):
    lines = [
        "version: 1",
        "plan:",
        "  id: bench",
        "  title: Banc d'essai des réponses",
        "  period: { start: 2025-01-01, end: 2026-12-31 }",
        "owners:",
    ]
    for o in range(owners):
        lines.append(f"  - {{ id: o{o}, name: Structure {o}, email: o{o}@example.ml }}")
    lines += ["priorities:", "  - id: axe-1", "    title: Accueil", "    tasks:"]
    for o in range(owners):
        for t in range(per_owner):
            lines.append(
                f"      - {{ id: t{o}-{t}, title: Tâche {o}-{t}, owner: o{o}, deadline: 2025-10-01 }}"
            )
    return "\n".join(lines) + "\n"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cnrm", default=os.path.join(ROOT, "target/release/cnrm"))
    ap.add_argument("--replies", type=int, default=200)
    ap.add_argument("--smtp", action="store_true")
    a = ap.parse_args()
    work = tempfile.mkdtemp()
    db = os.path.join(work, "cnrm.db")
    env = dict(os.environ)
    env.update(
        CNRM_DATABASE_URL=db,
        CNRM_CONFIG=os.path.join(work, "none.yaml"),
        CNRM_REPLY_TO="cnrm-retours@example.ml",
        CNRM_ACTOR="bench",
    )
    for k in ("CNRM_SMTP_URL", "CNRM_LANG"):
        env.pop(k, None)
    server = None
    if a.smtp:
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, os.path.join(ROOT, "tests/smtp_server.py"), str(port), os.path.join(work, "mail"), "0"],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port)).close()
                break
            except OSError:
                time.sleep(0.05)
        env["CNRM_SMTP_URL"] = f"smtp://127.0.0.1:{port}"
        env["CNRM_SMTP_FROM"] = "Secrétariat CNRM <cnrm@example.ml>"
    path = os.path.join(work, "bench.yaml")
    with open(path, "w") as f:
        f.write(plan(50, 4))
    subprocess.run([a.cnrm, "plan", "apply", path], env=env | {"CNRM_NOW": "2025-09-01"}, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([a.cnrm, "remind"], env=env | {"CNRM_NOW": "2025-09-17"}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rows = sqlite3.connect(db).execute(
        "SELECT message_id, token, recipients, tasks, subject FROM outbox WHERE kind = 'reminder' ORDER BY id"
    ).fetchall()
    assert rows, "the scan queued no reminder"
    replies = []
    for i in range(a.replies):
        mid, token, to, tasks, subject = rows[i % len(rows)]
        n = (i // len(rows)) % len(json.loads(tasks)) + 1
        sender = json.loads(to)[0]
        replies.append(
            (
                f"From: {sender}\r\nTo: cnrm-retours+{token}@example.ml\r\nSubject: RE: {subject}\r\n"
                f"Message-ID: <bench{i}@client.example>\r\nIn-Reply-To: {mid}\r\n"
                "Content-Type: text/plain; charset=utf-8\r\n\r\n"
                f"{n} : avancement {10 + i % 80} %\r\n\r\n> quoted original\r\n"
            ).encode()
        )
    start = time.perf_counter()
    statuses = {}
    for raw in replies:
        out = subprocess.run(
            [a.cnrm, "mail", "receive", "--format", "json"],
            input=raw,
            env=env | {"CNRM_NOW": "2025-09-18T09:00:00Z"},
            capture_output=True,
            check=True,
        )
        s = json.loads(out.stdout)["status"]
        statuses[s] = statuses.get(s, 0) + 1
    elapsed = time.perf_counter() - start
    if server:
        server.kill()
    print(
        f"{len(replies)} replies in {elapsed:.2f} s: {len(replies) / elapsed:.1f} replies/s "
        f"({1000 * elapsed / len(replies):.1f} ms each), outcomes {statuses}, smtp={a.smtp}"
    )


main()
