#!/usr/bin/env python3
"""cnrm benchmark: generates synthetic plans and times the release binary on them.

Usage: python3 bench/bench.py [--sizes 1000,10000,100000] [--runs 5]

Each size gets one generated plan (about 10 priorities, 15 owners, mixed date forms and amounts,
French titles), written under bench/out/. Every command is run --runs times in a fresh process;
the table shows the median wall time and the peak resident memory (GNU time's %M).
Later store, reminder and Taskwarrior comparisons extend this same script.
"""
import argparse, datetime, os, random, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "bench", "out")
BIN = os.path.join(ROOT, "target", "release", "cnrm")

OWNERS = ["mmeia", "dgme", "cellule-ponam", "cigem", "hcme", "menefp", "apej", "anpe", "fafpa",
          "pmcde", "meadd", "aedd", "msds", "oim", "st-cnrm"]
VERBS = ["Organiser", "Élaborer", "Former", "Équiper", "Évaluer", "Accompagner", "Réhabiliter",
         "Sensibiliser", "Financer", "Coordonner"]
OBJECTS = ["les agents d'accueil de Kayes", "le centre de Gao", "les points focaux régionaux",
           "la base de données partagée", "les micro-entreprises des migrants de retour",
           "l'atelier de validation à Bamako", "les associations de la société civile",
           "la campagne contre la stigmatisation", "les chaînes de valeur vertes", "le rapport d'étape"]


def generate(n_tasks, path, seed=42):
    rnd = random.Random(seed)
    lines = ["version: 1", "plan:", f"  id: synthetique-{n_tasks}",
             f"  title: Plan synthétique de {n_tasks} tâches", "  period: { start: 2025-01-01, end: 2027-12-31 }",
             "  secretariat: st-cnrm", "  exchange_rates: { CHF: 690, USD: 605.5 }", "owners:"]
    for o in OWNERS:
        lines += [f"  - id: {o}", f"    name: Organisation {o.upper()} – équipe d'exécution",
                  f"    email: {o}@example.ml"]
        if o not in ("mmeia", "menefp"):
            lines.append("    parent: mmeia")
    lines.append("priorities:")
    n_prio = 10
    per = n_tasks // n_prio
    tid = 0
    for p in range(1, n_prio + 1):
        lines += [f"  - id: axe-{p}", f"    title: \"Axe stratégique n° {p} : réintégration et coordination\"",
                  f"    lead: {rnd.choice(OWNERS)}", "    tasks:"]
        count = per if p < n_prio else n_tasks - tid
        for i in range(count):
            tid += 1
            form = rnd.randrange(5)
            year = rnd.choice([2025, 2026, 2027])
            if form == 0:
                dl = f"T{rnd.randint(1, 4)} {year}"
            elif form == 1:
                dl = f"{year}-{rnd.randint(1, 12):02d}"
            elif form == 2:
                dl = f"S{rnd.randint(1, 2)} {year}"
            elif form == 3:
                dl = "continu"
            else:
                # A working day (Monday to Friday) so the plan checks without warnings.
                d = datetime.date(year, rnd.randint(1, 12), rnd.randint(1, 28))
                while d.weekday() >= 5:
                    d -= datetime.timedelta(days=1)
                dl = d.isoformat()
            lines += [f"      - id: axe-{p}.a{i + 1}",
                      f"        title: {rnd.choice(VERBS)} {rnd.choice(OBJECTS)} (activité {tid})",
                      f"        owner: {rnd.choice(OWNERS)}",
                      f"        partners: [{rnd.choice(OWNERS)}, {rnd.choice(OWNERS)}]",
                      f"        deadline: {dl}"]
            if i > 0 and rnd.random() < 0.2:
                lines.append(f"        depends_on: [axe-{p}.a{rnd.randint(1, i)}]")
                # keep dependencies sensible: a dependent task is continuous or later
                lines[-2] = "        deadline: continu"
            r = rnd.random()
            if r < 0.4:
                lines += ["        resources:",
                          f"          - {{ kind: budget, amount: \"{rnd.randint(1, 500)} 000 000\", funder: {rnd.choice(OWNERS)}, status: secured }}"]
            elif r < 0.6:
                lines += ["        resources:",
                          f"          - {{ kind: budget, amount: {rnd.randint(1000, 90000)}, currency: EUR, status: needed }}",
                          f"          - {{ kind: budget, amount: {rnd.randint(1000, 90000)}, currency: CHF, funder: oim, status: pledged }}"]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def measure(args, runs, env=None):
    """Median wall time (s) and peak resident memory (MB) of `args` over `runs` fresh processes."""
    times, peak = [], 0
    rss_file = os.path.join(OUT, "rss.txt")
    for _ in range(runs):
        t0 = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss_file] + args,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        times.append(time.perf_counter() - t0)
        if p.returncode != 0:
            sys.exit(f"{' '.join(args)} failed ({p.returncode}): {p.stderr.decode()[:500]}")
        with open(rss_file) as f:
            peak = max(peak, int(f.read().split()[-1]))
    return statistics.median(times), peak / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "cnrm"], cwd=ROOT, check=True)
    sizes = [int(s) for s in a.sizes.split(",")]
    print(f"{'tasks':>8} | {'file':>8} | {'plan check (median)':>20} | {'peak RSS':>9} | {'us/task':>7}")
    print("-" * 66)
    for n in sizes:
        path = os.path.join(OUT, f"plan-{n}.yaml")
        generate(n, path)
        size_mb = os.path.getsize(path) / 1e6
        med, peak = measure([BIN, "plan", "check", path], a.runs)
        print(f"{n:>8} | {size_mb:>6.1f}MB | {med * 1000:>17.1f} ms | {peak:>6.0f} MB | {med * 1e6 / n:>7.2f}")


if __name__ == "__main__":
    main()
