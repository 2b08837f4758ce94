"""
What a polling policy could reach at best on the Polly one-item workloads if it knew each task's speed
exactly: every task's end uniform within ±20 % of its expected duration (the built-in guess ÷ the file's
speed, as make-workloads.ts draws it), nothing else known. Per task, the check schedule with the fewest
expected requests plus one Lagrange price times the chance of being seen more than fixed 5 s's p95 after
the end; the price is searched by bisection until at most 5 % of tasks are expected late. Check times on
a 0.2 s grid, as in known-distribution-bound.py. The first check is at the file's own offset, as in the
bench. Status words (queued or running) are not used.

Prints the Lagrangian bound (no policy that knows only each task's speed does better in expectation) and
what that schedule does on the file's own ends (requests and p95, comparable with the bench's rows).

Analysis only, not part of `npm run bench` or CI (needs Python 3 with numpy, and the compiled adapter:
`npx tsc -p tsconfig.scripts.json` first):
    python3 test/bench/analysis/known-speed-bound.py
"""
import csv
import importlib.util
import json
import os
import subprocess

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, '..', '..', '..')
WORKLOADS = os.path.join(HERE, '..', 'workloads')
LATE_SHARE = 0.05
GRID_S = 0.2
SPREAD = 0.2

_spec = importlib.util.spec_from_file_location('kdb', os.path.join(HERE, 'known-distribution-bound.py'))
_kdb = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_kdb)
schedule = _kdb.schedule


def guesses(rows):
    """The adapter's own guess per task, from the compiled code (so this never drifts from it)."""
    script = (
        "const {pollyAdapter}=require('./.output/nodes/common/adapters/polly.js');"
        "const rows=JSON.parse(require('fs').readFileSync(0,'utf8'));"
        "process.stdout.write(JSON.stringify(rows.map(r=>pollyAdapter.task.expectedDurationMs("
        "{Engine:r.engine,OutputFormat:r.outputFormat,RequestCharacters:Number(r.characters)}))));"
    )
    out = subprocess.run(['node', '-e', script], input=json.dumps(rows), capture_output=True, text=True,
                         cwd=ROOT, check=True)
    return np.array(json.loads(out.stdout)) / 1000


def nearest_rank(values, p):
    ordered = np.sort(values)
    return ordered[min(len(ordered) - 1, max(0, int(np.ceil(p / 100 * len(ordered))) - 1))]


def task_plans(first, expected, late_after, price):
    """Per task: check times after the first (best schedule), expected checks and expected late share."""
    plans = []
    for t0, e in zip(first, expected):
        lo, hi = (1 - SPREAD) * e, (1 + SPREAD) * e
        if hi <= t0:
            plans.append((np.array([]), 1.0, 0.0))
            continue
        start = max(t0, lo)
        grid = start + GRID_S * np.arange(int(np.ceil((hi - start + late_after) / GRID_S)) + 2)
        cdf = np.clip((grid - lo) / (hi - lo), 0, 1)
        # Checks before the window's start find nothing: the schedule's state 0 is the first check
        # or the window's start, whichever is later (no check is made at the latter).
        cdf = (cdf - cdf[0]) / (1 - cdf[0])
        choice = schedule(cdf, int(round(late_after / GRID_S)), price)
        at = [0]
        while choice[at[-1]] >= 0:
            at.append(choice[at[-1]])
        times = grid[np.array(at[1:], dtype=int)]
        # Expected checks and late share from the uniform law (on the fine grid).
        ends = np.linspace(lo, hi, 801)
        ends = ends[ends > t0]
        idx = np.searchsorted(times, ends, side='left')
        seen = times[np.minimum(idx, len(times) - 1)]
        p_after_first = (hi - start) / (hi - lo) if lo < t0 else 1.0
        checks = 1 + p_after_first * (idx + 1).mean()
        late = p_after_first * ((seen - ends) > late_after).mean()
        plans.append((times, checks, late))
    return plans


def bound(name, speed):
    rows = list(csv.DictReader(open(os.path.join(WORKLOADS, name))))
    first = np.array([float(r['startOffsetMs']) / 1000 for r in rows])
    ends = np.array([float(r['totalMs']) / 1000 for r in rows])
    expected = guesses(rows) / speed
    fixed_checks = np.where(ends <= first, 1, 1 + np.ceil((ends - first) / 5))
    fixed_seen = np.where(ends <= first, first, first + 5 * np.ceil((ends - first) / 5))
    fixed_p95 = nearest_rank(fixed_seen - ends, 95)
    fixed = fixed_checks.mean()
    low, high, plans, price = 0.0, 100.0, None, None
    for _ in range(16):
        mid = (low + high) / 2
        tried = task_plans(first, expected, fixed_p95, mid)
        if np.mean([p[2] for p in tried]) <= LATE_SHARE:
            high, plans, price = mid, tried, mid
        else:
            low = mid
    expected_checks = np.mean([p[1] for p in plans])
    expected_late = np.mean([p[2] for p in plans])
    # Lagrangian bound: any policy with expected late share ≤ 5 % needs at least this many checks.
    lagrangian = expected_checks + price * (expected_late - LATE_SHARE)
    checks, delays = [], []
    for (times, _, _), t0, end in zip(plans, first, ends):
        if end <= t0:
            checks.append(1)
            delays.append(t0 - end)
            continue
        times = np.append(times, (times[-1] if len(times) else t0) + 4.75 * np.arange(1, 200))
        i = int(np.searchsorted(times, end, side='left'))
        checks.append(2 + i)
        delays.append(times[i] - end)
    print(
        f'{name}: fixed 5 s {fixed:.2f} requests/task, p95 {fixed_p95:.2f} s; '
        f'best schedule knowing each speed: bound {lagrangian / fixed:.3f}×, '
        f'on the file\'s ends {np.mean(checks) / fixed:.3f}× at p95 {nearest_rank(np.array(delays), 95):.2f} s'
    )


if __name__ == '__main__':
    for factor in ['0.3', '0.5', '2', '3']:
        bound(f'polly-x{factor}-single.csv', float(factor))
        bound(f'polly-long-x{factor}-single.csv', float(factor))
