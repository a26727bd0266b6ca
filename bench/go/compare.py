#!/usr/bin/env python3
"""Compares our Channel<T> with Go's channels on the same workloads.

Builds bench/channel_bench (C++) and this folder's Go program, then runs
every workload on both, interleaved: for each round and each workload, one
C++ run and one Go run back to back, in alternating order, so that a noisy
machine disturbs both alike. Prints the median ns/msg of each side, the
ratio C++/Go, the geometric mean of the ratios, and the floor: what one
handoff between two threads costs on this machine with no channel at all.

When `go` is not installed it says so and runs the C++ side alone.

    bench/go/compare.py                     # N = 1,000,000, 3 rounds
    bench/go/compare.py --messages 20000 --rounds 1
    bench/go/compare.py --build-dir build/release --no-build
"""

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

WORKLOADS = [
    f"{name}/cap:{cap}"
    for cap in ("0", "1", "N")
    for name in (["seq"] if cap == "N" else [])
    + ["spsc", "mpsc", "mpmc", "select_rx", "select_both"]
]


def build(args, go):
    """Builds channel_bench and, if Go is present, the Go program."""
    subprocess.run(["cmake", "-S", ROOT, "-B", args.build_dir,
                    "-DCMAKE_BUILD_TYPE=Release"],
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["cmake", "--build", args.build_dir,
                    "--target", "channel_bench", "-j2"],
                   check=True, stdout=subprocess.DEVNULL)
    if go:
        subprocess.run([go, "build", "-o",
                        os.path.join(args.build_dir, "go_channelbench"), "."],
                       cwd=HERE, check=True)


def run_cpp(args, workload):
    """Runs one workload on the channel; returns its ns per message."""
    binary = os.path.join(args.build_dir, "bench", "channel_bench")
    out = subprocess.run(
        [binary, f"--messages={args.messages}",
         f"--benchmark_filter=^channel/{workload}/",
         "--benchmark_format=json"],
        check=True, capture_output=True, text=True).stdout
    (result,) = json.loads(out)["benchmarks"]
    return result["ns_per_msg"]


def run_go(args, workload):
    """Runs one workload on Go's channels; returns its ns per message."""
    binary = os.path.join(args.build_dir, "go_channelbench")
    out = subprocess.run(
        [binary, f"-messages={args.messages}", f"-filter=go/{workload}"],
        check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        name, value, _unit = line.split()
        if name == f"go/{workload}":
            return float(value)
    raise RuntimeError(f"go printed no result for {workload}:\n{out}")


def run_floor(args):
    """Runs floor/handoff; returns ns per handoff between two threads."""
    binary = os.path.join(args.build_dir, "bench", "channel_bench")
    out = subprocess.run(
        [binary, f"--messages={args.messages}",
         "--benchmark_filter=^floor/", "--benchmark_format=json"],
        check=True, capture_output=True, text=True).stdout
    (result,) = json.loads(out)["benchmarks"]
    return result["ns_per_handoff"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--build-dir",
                        default=os.path.join(ROOT, "build", "compare"))
    parser.add_argument("--no-build", action="store_true",
                        help="use the binaries already in --build-dir")
    args = parser.parse_args()
    args.build_dir = os.path.abspath(args.build_dir)

    go = shutil.which("go")
    if not go:
        print("go is not installed: running the C++ side only.")
    if not args.no_build:
        build(args, go)

    # Run, interleaved.
    cpp = {w: [] for w in WORKLOADS}
    gos = {w: [] for w in WORKLOADS}
    floor = []
    for r in range(args.rounds):
        for i, workload in enumerate(WORKLOADS):
            cpp_first = (r + i) % 2 == 0
            if cpp_first:
                cpp[workload].append(run_cpp(args, workload))
            if go:
                gos[workload].append(run_go(args, workload))
            if not cpp_first:
                cpp[workload].append(run_cpp(args, workload))
        floor.append(run_floor(args))
        print(f"round {r + 1} of {args.rounds} done", file=sys.stderr)

    # Report medians and ratios.
    print(f"messages: {args.messages}, rounds: {args.rounds}, "
          f"medians in ns/msg")
    print(f"{'workload':<20} {'C++':>10} {'Go':>10} {'C++/Go':>8}")
    ratios = []
    for workload in WORKLOADS:
        c = statistics.median(cpp[workload])
        if go:
            g = statistics.median(gos[workload])
            ratios.append(c / g)
            print(f"{workload:<20} {c:>10.1f} {g:>10.1f} {c / g:>8.2f}")
        else:
            print(f"{workload:<20} {c:>10.1f} {'-':>10} {'-':>8}")
    if ratios:
        geomean = math.exp(sum(math.log(x) for x in ratios) / len(ratios))
        print(f"{'geometric mean':<20} {'':>10} {'':>10} {geomean:>8.2f}")
    print(f"floor: one handoff between two threads, no channel: "
          f"{statistics.median(floor):.1f} ns")


if __name__ == "__main__":
    main()
