#!/usr/bin/env python3
"""Time from launching `cnrm tui` in a real terminal (tmux) to the dashboard with its figures.

Usage: python3 bench/tui_launch.py DATABASE [--runs 5]

Starts the release binary in a detached tmux session (160x48) and reads the screen with
`capture-pane` every few milliseconds until the dashboard's "Avancement moyen" line shows (the
overview has arrived and been drawn), then until the task count of the whole plan is on the task
screen. Prints each run and the medians. The polling adds a few milliseconds to each figure.
"""
import argparse, os, statistics, subprocess, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "cnrm")


def screen(name):
    return subprocess.run(["tmux", "capture-pane", "-p", "-t", name], capture_output=True, text=True).stdout


def wait_for(name, text, start, limit=30.0):
    while time.perf_counter() - start < limit:
        if text in screen(name):
            return time.perf_counter() - start
        time.sleep(0.002)
    raise SystemExit(f"`{text}` never appeared")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "cnrm"], cwd=ROOT, check=True)
    firsts, wholes = [], []
    # A session kept open across runs: killing the last session stops the tmux server, and the
    # next run's `new-session` would race its exit.
    keeper = f"cnrm-launch-keeper-{os.getpid()}"
    subprocess.run(["tmux", "new-session", "-d", "-s", keeper, "sleep 3600"], check=True)
    try:
        run_all(a, firsts, wholes)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", keeper])
    print(f"median: dashboard with figures {statistics.median(firsts) * 1000:.0f} ms after launch, "
          f"task screen {statistics.median(wholes) * 1000:.0f} ms")


def run_all(a, firsts, wholes):
    for i in range(a.runs):
        name = f"cnrm-launch-{os.getpid()}-{i}"
        start = time.perf_counter()
        subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", "160", "-y", "48",
                        f"{BIN} --db {a.db} tui"], check=True)
        try:
            first = wait_for(name, "Avancement moyen", start)
            # The task screen lists tasks once the whole plan is there.
            subprocess.run(["tmux", "send-keys", "-t", name, "2"], check=True)
            whole = wait_for(name, "Échéance", start)
        finally:
            subprocess.run(["tmux", "kill-session", "-t", name])
        firsts.append(first)
        wholes.append(whole)
        print(f"run {i + 1}: dashboard {first * 1000:.0f} ms, task screen {whole * 1000:.0f} ms")


if __name__ == "__main__":
    main()
