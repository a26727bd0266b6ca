#!/usr/bin/env python3
"""Draws the poller benchmark charts for docs/ from poller_bench's JSON.

    python3 bench/plot.py build/release/bench/poller_bench.json docs/img

Each chart has one panel per fetch latency and one line per subject: the
mutex version, the channel version, the spinning mutex version and the
fetch-only ceiling. The charts:
    throughput.svg  polls per second against pollers, 1000 resources
    cpu.svg         process CPU per poll against pollers, 10 and 1000
                    resources
    lock_wait.svg   time spent waiting for locks per poll against pollers,
                    1000 resources
    scaling.svg     wall time per poll against resources, 4 pollers
A benchmark run more than once is drawn at its median.
"""

import json
import pathlib
import statistics
import sys

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402

SUBJECTS = {
    "ceiling": {"color": "0.5", "linestyle": "--", "label": "ceiling"},
    "mutex": {"color": "tab:blue", "label": "mutex"},
    "mutex_spin": {"color": "tab:blue", "linestyle": ":",
                   "label": "mutex_spin"},
    "channel": {"color": "tab:orange", "label": "channel"},
}
FETCHES = ["none", "sleep100us", "cpu10us"]


def load(path):
    """Returns {(subject, R, P, fetch): {counter: value}} for the matrix.

    Rows with other than the four name parts (the counting rows) are left
    out; repeated runs of one name are reduced to their median.
    """
    runs = {}
    for b in json.loads(pathlib.Path(path).read_text())["benchmarks"]:
        if b.get("run_type") != "iteration":
            continue
        parts = b["run_name"].split("/")
        if len(parts) < 4 or not parts[3].startswith("fetch:"):
            continue
        if len(parts) > 4 and not parts[4].startswith(("iterations:",
                                                       "manual_time")):
            continue
        key = (parts[0], int(parts[1].split(":")[1]),
               int(parts[2].split(":")[1]), parts[3].split(":")[1])
        runs.setdefault(key, []).append(b)
    return {key: {c: statistics.median(r[c] for r in rs)
                  for c in rs[0] if isinstance(rs[0][c], (int, float))}
            for key, rs in runs.items()}


def panels(title, rows=1):
    fig, axes = plt.subplots(rows, len(FETCHES), squeeze=False,
                             figsize=(4 * len(FETCHES), 3.4 * rows))
    fig.suptitle(title)
    return fig, axes


def line(ax, data, subject, xs, key_of, counter):
    points = [(x, data[key_of(x)][counter]) for x in xs
              if key_of(x) in data]
    if points:
        ax.plot(*zip(*points), marker="o", **SUBJECTS[subject])


def against_pollers(data, counter, resources, title, ylabel, out,
                    logy=True, subjects=SUBJECTS):
    fig, axes = panels(title, len(resources))
    pollers = sorted({k[2] for k in data})
    for row, r in enumerate(resources):
        for col, fetch in enumerate(FETCHES):
            ax = axes[row][col]
            for s in subjects:
                line(ax, data, s, pollers,
                     lambda p, s=s, f=fetch, r=r: (s, r, p, f), counter)
            ax.set_title(f"fetch: {fetch}, resources: {r}", fontsize=9)
            ax.set_xscale("log", base=2)
            ax.set_xticks(pollers, [str(p) for p in pollers])
            if logy:
                ax.set_yscale("log")
            ax.set_xlabel("pollers")
            ax.set_ylabel(ylabel)
            ax.grid(True, which="both", alpha=0.3)
    save(fig, axes, out)


def save(fig, axes, out):
    """Adds the legend, lays the panels out and writes the chart to out."""
    axes[0][0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out)
    plt.close(fig)


def against_resources(data, counter, pollers, title, ylabel, out):
    fig, axes = panels(title)
    resources = sorted({k[1] for k in data})
    for col, fetch in enumerate(FETCHES):
        ax = axes[0][col]
        for s in SUBJECTS:
            line(ax, data, s, resources,
                 lambda r, s=s, f=fetch: (s, r, pollers, f), counter)
        ax.set_title(f"fetch: {fetch}, pollers: {pollers}", fontsize=9)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("resources")
        ax.set_ylabel(ylabel)
        ax.grid(True, which="both", alpha=0.3)
    save(fig, axes, out)


def main(argv):
    if len(argv) != 3:
        sys.exit(f"usage: {argv[0]} poller_bench.json out_dir")
    data = load(argv[1])
    out = pathlib.Path(argv[2])
    out.mkdir(parents=True, exist_ok=True)

    against_pollers(data, "items_per_second", [1000],
                    "Throughput, 1000 resources (higher is better)",
                    "polls per second", out / "throughput.svg")
    against_pollers(data, "cpu_ns_per_poll", [10, 1000],
                    "Process CPU per poll (lower is better)",
                    "CPU ns per poll", out / "cpu.svg")
    locked = {s: v for s, v in SUBJECTS.items() if s != "ceiling"}
    against_pollers(data, "lock_wait_ns_per_poll", [1000],
                    "Time waiting for locks per poll, 1000 resources",
                    "lock wait ns per poll", out / "lock_wait.svg",
                    logy=False, subjects=locked)
    against_resources(data, "wall_ns_per_poll", 4,
                      "Wall time per poll as resources grow, 4 pollers",
                      "wall ns per poll", out / "scaling.svg")


if __name__ == "__main__":
    main(sys.argv)
