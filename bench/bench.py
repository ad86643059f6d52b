#!/usr/bin/env python3
"""cnrm benchmark, side by side with Taskwarrior where the two tools do the same thing.

Usage:
  python3 bench/bench.py                         # 1,000 / 10,000 / 100,000 tasks, all operations
  python3 bench/bench.py --sizes 10000 --runs 7
  python3 bench/bench.py --only check            # just `plan check`
  python3 bench/bench.py --no-taskwarrior        # cnrm alone

For each size, one generator makes the synthetic tasks (about 10 priorities, 15 owners, mixed date
forms and amounts, French titles) and writes them both as a cnrm plan and as a Taskwarrior import
file (`project` = priority, a `owner` UDA, `due` = the deadline's end of day). Every command is a
fresh process of the release binary; the tables show medians over --runs runs, peak resident
memory (GNU time's %M), and for shared operations the ratio Taskwarrior / cnrm (higher is better
for cnrm), the two tools' runs alternated so that the machine's changes of speed weigh on both. Taskwarrior is installed from Debian's packages if missing. SQLite is the database.
"""
import argparse, datetime, json, os, random, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "bench", "out")
BIN = os.path.join(ROOT, "target", "release", "cnrm")
TODAY = datetime.date.today()

OWNERS = ["mmeia", "dgme", "cellule-ponam", "cigem", "hcme", "menefp", "apej", "anpe", "fafpa",
          "pmcde", "meadd", "aedd", "msds", "oim", "st-cnrm"]
VERBS = ["Organiser", "Élaborer", "Former", "Équiper", "Évaluer", "Accompagner", "Réhabiliter",
         "Sensibiliser", "Financer", "Coordonner"]
OBJECTS = ["les agents d'accueil de Kayes", "le centre de Gao", "les points focaux régionaux",
           "la base de données partagée", "les micro-entreprises des migrants de retour",
           "l'atelier de validation à Bamako", "les associations de la société civile",
           "la campagne contre la stigmatisation", "les chaînes de valeur vertes", "le rapport d'étape"]


def make_tasks(n_tasks, seed=42):
    """The synthetic tasks: dicts shared by both tools' files."""
    rnd = random.Random(seed)
    tasks, per = [], n_tasks // 10
    for p in range(1, 11):
        count = per if p < 10 else n_tasks - len(tasks)
        for i in range(count):
            form = rnd.randrange(5)
            year = rnd.choice([2025, 2026, 2027])
            if form == 0:
                q = rnd.randint(1, 4)
                label, day = f"T{q} {year}", (datetime.date(year, q * 3 % 12 + 1, 1) if q < 4 else datetime.date(year + 1, 1, 1)) - datetime.timedelta(days=1)
            elif form == 1:
                m = rnd.randint(1, 12)
                label = f"{year}-{m:02d}"
                day = (datetime.date(year + (m == 12), m % 12 + 1, 1)) - datetime.timedelta(days=1)
            elif form == 2:
                s = rnd.randint(1, 2)
                label, day = f"S{s} {year}", datetime.date(year, 6, 30) if s == 1 else datetime.date(year, 12, 31)
            elif form == 3:
                label, day = "continu", None
            else:
                day = datetime.date(year, rnd.randint(1, 12), rnd.randint(1, 28))
                while day.weekday() >= 5:  # a working day, so the plan checks without warnings
                    day -= datetime.timedelta(days=1)
                label = day.isoformat()
            t = {"id": f"axe-{p}.a{i + 1}", "priority": f"axe-{p}",
                 "title": f"{rnd.choice(VERBS)} {rnd.choice(OBJECTS)} (activité {len(tasks) + 1})",
                 "owner": rnd.choice(OWNERS), "partners": [rnd.choice(OWNERS), rnd.choice(OWNERS)],
                 "label": label, "day": day, "depends": None, "resources": []}
            if i > 0 and rnd.random() < 0.2:
                t["depends"] = f"axe-{p}.a{rnd.randint(1, i)}"
                t["label"], t["day"] = "continu", None  # a dependent task: ongoing, never before its dependency
            r = rnd.random()
            if r < 0.4:
                t["resources"].append(f"{{ kind: budget, amount: \"{rnd.randint(1, 500)} 000 000\", funder: {rnd.choice(OWNERS)}, status: secured }}")
            elif r < 0.6:
                t["resources"].append(f"{{ kind: budget, amount: {rnd.randint(1000, 90000)}, currency: EUR, status: needed }}")
                t["resources"].append(f"{{ kind: budget, amount: {rnd.randint(1000, 90000)}, currency: CHF, funder: oim, status: pledged }}")
            tasks.append(t)
    return tasks


def write_plan(tasks, path, title_suffix=""):
    lines = ["version: 1", "plan:", f"  id: synthetique-{len(tasks)}",
             f"  title: Plan synthétique de {len(tasks)} tâches", "  period: { start: 2025-01-01, end: 2027-12-31 }",
             "  secretariat: st-cnrm", "  exchange_rates: { CHF: 690, USD: 605.5 }", "owners:"]
    for o in OWNERS:
        lines += [f"  - id: {o}", f"    name: Organisation {o.upper()} – équipe d'exécution", f"    email: {o}@example.ml"]
        if o not in ("mmeia", "menefp"):
            lines.append("    parent: mmeia")
    lines.append("priorities:")
    current = None
    for t in tasks:
        if t["priority"] != current:
            current = t["priority"]
            lines += [f"  - id: {current}", f"    title: \"Axe stratégique {current} : réintégration et coordination\"", "    tasks:"]
        lines += [f"      - id: {t['id']}", f"        title: \"{t['title']}{t.get('suffix', '')}{title_suffix}\"",
                  f"        owner: {t['owner']}", f"        partners: [{', '.join(t['partners'])}]",
                  f"        deadline: {t['label']}"]
        if t["depends"]:
            lines.append(f"        depends_on: [{t['depends']}]")
        if t["resources"]:
            lines.append("        resources:")
            lines += [f"          - {r}" for r in t["resources"]]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def write_taskwarrior(tasks, path):
    with open(path, "w", encoding="utf-8") as f:
        items = []
        for t in tasks:
            item = {"description": t["title"], "project": t["priority"], "owner": t["owner"], "status": "pending",
                    "entry": "20250101T000000Z"}
            if t["day"]:
                item["due"] = t["day"].strftime("%Y%m%dT235959Z")
            items.append(item)
        json.dump(items, f, ensure_ascii=False)


# Whether `run_timed` runs its command under GNU time for its peak memory (see `median_of`).
MEASURE_MEMORY = True


def run_timed(args, env=None, stdin=None):
    """(seconds, peak RSS in MB or None) of one fresh process; exits on failure.

    Timed runs start the command directly and wait for it with `wait4`: from its start to its
    end as this process sees them, about 1 ms more than the command itself. The memory run
    starts it under GNU time (`%M`), whose own fork and exec add about 2 ms more: the rusage
    of a child forked from Python would count Python's memory. Both tools are measured alike;
    the 2 ms counted for neither weighed on the faster one's ratio (until the eighth session,
    every run was a memory run)."""
    with tempfile.TemporaryFile() as err:
        rss_file = os.path.join(OUT, "rss.txt")
        command = (["/usr/bin/time", "-f", "%M", "-o", rss_file] if MEASURE_MEMORY else []) + list(args)
        t0 = time.perf_counter()
        p = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err, env=env, stdin=stdin)
        _, status, _ = os.wait4(p.pid, 0)
        elapsed = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        if p.returncode != 0:
            err.seek(0)
            sys.exit(f"{' '.join(args)} failed ({p.returncode}): {err.read().decode(errors='replace')[:500]}")
    if not MEASURE_MEMORY:
        return elapsed, None
    with open(rss_file) as f:
        return elapsed, int(f.read().split()[-1]) / 1024


def memory_run(fn, i):
    """Peak RSS (MB) of `fn`'s run number `i`, under GNU time."""
    global MEASURE_MEMORY
    MEASURE_MEMORY = True
    return fn(i)[1]


def timed_runs(runs, fn):
    """The seconds of `fn`'s runs 0..runs, started directly."""
    global MEASURE_MEMORY
    MEASURE_MEMORY = False
    try:
        return [fn(i)[0] for i in range(runs)]
    finally:
        MEASURE_MEMORY = True


def median_of(runs, fn):
    """Median seconds of `runs` timed runs, and the peak memory of one more run."""
    times = timed_runs(runs, fn)
    return statistics.median(times), memory_run(fn, runs)


def paired(runs, cnrm_fn, tw_fn):
    """Medians of both tools for one operation, their runs alternated (cnrm, Taskwarrior, cnrm,
    ...) so that the VM's changes of speed weigh on both sides of the ratio alike. Without
    Taskwarrior (`tw_fn` None), cnrm's alone."""
    if tw_fn is None:
        return median_of(runs, cnrm_fn), None
    # Timed runs alternated: run 2k is cnrm's k-th, run 2k+1 Taskwarrior's.
    times = timed_runs(2 * runs, lambda j: (cnrm_fn if j % 2 == 0 else tw_fn)(j // 2))
    return ((statistics.median(times[0::2]), memory_run(cnrm_fn, runs)),
            (statistics.median(times[1::2]), memory_run(tw_fn, runs)))


class Taskwarrior:
    def __init__(self, workdir):
        self.data = os.path.join(workdir, "task-data")
        self.rc = os.path.join(workdir, "taskrc")
        with open(self.rc, "w") as f:
            f.write(f"data.location={self.data}\nconfirmation=off\nverbose=nothing\nhooks=off\ncolor=off\n"
                    "detection=off\ndefaultwidth=160\nuda.owner.type=string\nuda.owner.label=Owner\nnews.version=2.6.2\n")
        self.env = dict(os.environ, TASKRC=self.rc, TASKDATA=self.data)

    def reset(self):
        shutil.rmtree(self.data, ignore_errors=True)
        os.makedirs(self.data)

    def cmd(self, *args):
        return ["task", f"rc:{self.rc}"] + list(args)


def ensure_taskwarrior():
    if shutil.which("task"):
        return True
    print("installing Debian's taskwarrior…", file=sys.stderr)
    subprocess.run(["apt-get", "install", "-y", "-qq", "taskwarrior"], stdout=subprocess.DEVNULL)
    return shutil.which("task") is not None


def row(name, cnrm, tw=None):
    c = f"{cnrm[0] * 1000:>9.1f} ms {cnrm[1]:>6.0f} MB"
    if tw is None:
        return f"  {name:<34} {c}"
    ratio = tw[0] / cnrm[0] if cnrm[0] else float("inf")
    return f"  {name:<34} {c}   {tw[0] * 1000:>9.1f} ms {tw[1]:>6.0f} MB   x{ratio:>6.1f}"


def bench_size(n, runs, only, with_tw):
    tasks = make_tasks(n)
    plan = os.path.join(OUT, f"plan-{n}.yaml")
    write_plan(tasks, plan)
    print(f"\n{n} tasks ({os.path.getsize(plan) / 1e6:.1f} MB of YAML), median of {runs} runs")
    print(f"  {'operation':<34} {'cnrm':>20}   {'Taskwarrior':>20}   ratio")
    print(row("plan check", median_of(runs, lambda i: run_timed([BIN, "plan", "check", plan]))))
    if only == "check":
        return
    work = tempfile.mkdtemp(prefix="cnrm-bench-")
    db = os.path.join(work, "cnrm.db")
    env = dict(os.environ, CNRM_DATABASE_URL=db, CNRM_NOW=TODAY.isoformat(), CNRM_ACTOR="bench")
    tw = Taskwarrior(work) if with_tw else None
    twjson = os.path.join(work, "tasks.json")
    if tw:
        write_taskwarrior(tasks, twjson)

    def fresh_apply(i):
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.remove(db + suffix)
        return run_timed([BIN, "plan", "apply", plan], env)

    def tw_import(i):
        tw.reset()
        with open(twjson) as f:
            return run_timed(tw.cmd("import"), tw.env, stdin=f)

    print(row("apply a new plan / import", *paired(runs, fresh_apply, tw_import if tw else None)))
    print(row("re-apply unchanged", median_of(runs, lambda i: run_timed([BIN, "plan", "apply", plan], env))))

    # 1% of the tasks change their title; alternate between the two versions so each run changes 1%.
    changed = os.path.join(OUT, f"plan-{n}-1pc.yaml")
    rnd = random.Random(7)
    for t in rnd.sample(tasks, max(1, n // 100)):
        t["suffix"] = " (révisé)"
    write_plan(tasks, changed)
    files = [changed, plan]
    print(row("re-apply after 1% changed", median_of(runs, lambda i: run_timed([BIN, "plan", "apply", files[i % 2]], env))))
    # Back to the plan itself (nothing to do if the last run applied it).
    run_timed([BIN, "plan", "apply", plan], env)

    ops = [
        ("list all", [BIN, "tasks"], ["list"]),
        # Taskwarrior's command only counts; cnrm's is shown both listing and counting.
        ("overdue (cnrm lists them)", [BIN, "tasks", "--overdue"], ["+OVERDUE", "count"]),
        ("overdue count", [BIN, "tasks", "--overdue", "--count"], ["+OVERDUE", "count"]),
        ("project / priority filter", [BIN, "tasks", "--priority", "axe-3"], ["project:axe-3", "list"]),
        ("owner filter", [BIN, "tasks", "--owner", "dgme"], ["owner:dgme", "list"]),
    ]
    for name, c_args, t_args in ops:
        t_fn = (lambda i: run_timed(tw.cmd(*t_args), tw.env)) if tw else None
        print(row(name, *paired(runs, lambda i: run_timed(c_args, env), t_fn)))
    # A weekday, so the reminder scan works (a weekend or holiday scan does nothing).
    monday = TODAY - datetime.timedelta(days=TODAY.weekday())
    renv = dict(env, CNRM_NOW=monday.isoformat())
    print(row("remind --dry-run", median_of(runs, lambda i: run_timed([BIN, "remind", "--dry-run"], renv))))
    t_fn = (lambda i: run_timed(tw.cmd(str(i * 7 + 2), "done"), tw.env)) if tw else None
    print(row("mark one task done", *paired(runs, lambda i: run_timed([BIN, "task", "set", tasks[i * 7 + 1]["id"], "--status", "done"], env), t_fn)))
    shutil.rmtree(work, ignore_errors=True)


def bench_send(n_msgs):
    """Sends `n_msgs` reminders (one per owner) to a local SMTP server; prints messages/second."""
    import socket  # the tests' SMTP server (tests/smtp_server.py, on aiosmtpd) receives them
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    inbox = tempfile.mkdtemp(prefix="cnrm-inbox-")
    server = subprocess.Popen([sys.executable, os.path.join(ROOT, "tests", "smtp_server.py"), str(port), inbox, "0"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.05)
    received = lambda: [f for f in os.listdir(inbox) if f.endswith(".json")]
    work = tempfile.mkdtemp(prefix="cnrm-send-")
    plan = os.path.join(work, "send.yaml")
    lines = ["version: 1", "plan:", "  id: envoi", "  title: Envoi", "  period: { start: 2025-01-01, end: 2027-12-31 }", "owners:"]
    lines += [f"  - {{ id: o{i}, name: Organisation {i}, email: o{i}@example.ml }}" for i in range(n_msgs)]
    lines += ["priorities:", "  - id: p", "    title: P", "    tasks:"]
    lines += [f"      - {{ id: t{i}, title: Tâche n° {i} à Kayes, owner: o{i}, deadline: 2025-09-30 }}" for i in range(n_msgs)]
    with open(plan, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    env = dict(os.environ, CNRM_DATABASE_URL=os.path.join(work, "cnrm.db"), CNRM_NOW="2025-09-30",
               CNRM_SMTP_URL=f"smtp://127.0.0.1:{port}", CNRM_SMTP_FROM="cnrm@example.ml")
    subprocess.run([BIN, "plan", "apply", plan], env=env, stdout=subprocess.DEVNULL, check=True)
    elapsed, rss = run_timed([BIN, "remind"], env)
    deadline = time.time() + 10
    while len(received()) < n_msgs and time.time() < deadline:
        time.sleep(0.05)
    print(f"\nsending {n_msgs} reminders to a local SMTP server: {elapsed:.2f} s, "
          f"{n_msgs / elapsed:.0f} messages/s, {len(received())} received, {rss:.0f} MB")
    server.terminate()
    server.wait()
    shutil.rmtree(work, ignore_errors=True)
    shutil.rmtree(inbox, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only", choices=["check"], default=None)
    ap.add_argument("--no-taskwarrior", action="store_true")
    a = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "cnrm"], cwd=ROOT, check=True)
    with_tw = not a.no_taskwarrior and a.only is None and ensure_taskwarrior()
    for n in [int(s) for s in a.sizes.split(",")]:
        bench_size(n, a.runs, a.only, with_tw)
    if a.only is None:
        bench_send(1000)


if __name__ == "__main__":
    main()
