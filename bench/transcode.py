"""How much does the Python pipeline cost on top of ffmpeg itself?

Times (a) `probe_video` + `transcode_to_hls` end to end (probe, the ffmpeg run
with progress parsing, codec inspection, master playlist, poster) against
(b) the bare ffmpeg command with the very same arguments, on a 60 s 720p
source. Runs alternate (bare, pipeline, bare, ...) so background load hits
both alike, and the median of each is reported.

Run from the repository root:  python -m bench.transcode [--runs 3] [--seconds 60]

Targets: ratio pipeline/bare <= 1.10; the real-time factor (media seconds per
wall second) says how many hours of provider video one worker clears per hour.
CPU seconds (ours plus every child process) are reported next to wall time
because on a shared machine wall time mostly measures the neighbours.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from lms.media.clips import make_clip
from lms.media.probe import probe_video
from lms.media.transcode import build_ffmpeg_args, plan_ladder, prepare_output_dirs, transcode_to_hls

TARGET_RATIO = 1.10


def make_source(folder: Path, seconds: int, width: int = 1280, height: int = 720, fps: int = 25) -> Path:
    """A talking-head-sized test clip: moving test pattern plus a tone, H.264/AAC."""
    return make_clip(folder / f"source_{width}x{height}_{seconds}s.mp4", seconds, width=width,
                     height=height, fps=fps, preset="veryfast", crf=20)


def cpu_seconds() -> float:
    """CPU used so far by this process and all its finished children (ffmpeg, ffprobe)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def time_pipeline(source: Path, out: Path) -> tuple[float, float]:
    """(wall, cpu) seconds for probe + transcode_to_hls."""
    progress: list[float] = []
    cpu, started = cpu_seconds(), time.perf_counter()
    info = probe_video(source)
    transcode_to_hls(source, out, info, progress.append)
    elapsed, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    if not progress or progress[-1] < 0.99:
        raise RuntimeError("pipeline did not report completion")
    return elapsed, cpu


def time_bare(source: Path, out: Path) -> tuple[float, float]:
    """(wall, cpu) seconds for the bare ffmpeg command alone."""
    info = probe_video(source)  # outside the timing: the bare run gets its arguments for free
    renditions = plan_ladder(info)
    prepare_output_dirs(out, renditions)
    args = build_ffmpeg_args(source, out, info, renditions)
    cpu, started = cpu_seconds(), time.perf_counter()
    subprocess.run(args, check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE)
    return time.perf_counter() - started, cpu_seconds() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each variant (median is kept)")
    parser.add_argument("--seconds", type=int, default=60, help="length of the generated source")
    options = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="alur-bench-transcode-"))
    try:
        source = make_source(work, options.seconds)
        info = probe_video(source)
        bare_runs: list[tuple[float, float]] = []
        pipeline_runs: list[tuple[float, float]] = []
        for run in range(options.runs):
            bare_runs.append(time_bare(source, work / f"bare_{run}"))
            pipeline_runs.append(time_pipeline(source, work / f"pipeline_{run}"))
            shutil.rmtree(work / f"bare_{run}")
            shutil.rmtree(work / f"pipeline_{run}")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    bare, bare_cpu = (statistics.median(t[i] for t in bare_runs) for i in (0, 1))
    pipeline, pipeline_cpu = (statistics.median(t[i] for t in pipeline_runs) for i in (0, 1))
    ratio, cpu_ratio = pipeline / bare, pipeline_cpu / bare_cpu
    ladder = ",".join(r.name for r in plan_ladder(info))
    print(f"source: {options.seconds} s {info.width}x{info.height} @ {info.fps:g} fps -> {ladder}; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    print(f"{'variant':<10} {'wall runs (s)':<24} {'wall median':>11} {'cpu median':>11}")
    for name, runs, wall, cpu in (("bare", bare_runs, bare, bare_cpu),
                                  ("pipeline", pipeline_runs, pipeline, pipeline_cpu)):
        print(f"{name:<10} {' '.join(f'{t[0]:.2f}' for t in runs):<24} {wall:>11.2f} {cpu:>11.2f}")
    print(f"wall ratio {ratio:.3f}, cpu ratio {cpu_ratio:.3f} (target <= {TARGET_RATIO}); "
          f"real-time factor {options.seconds / pipeline:.2f}x")
    print(json.dumps({
        "benchmark": "transcode",
        "source_seconds": options.seconds,
        "source_size": f"{info.width}x{info.height}",
        "renditions": ladder,
        "runs": options.runs,
        "pipeline_seconds": round(pipeline, 3),
        "bare_seconds": round(bare, 3),
        "ratio": round(ratio, 4),
        "pipeline_cpu_seconds": round(pipeline_cpu, 3),
        "bare_cpu_seconds": round(bare_cpu, 3),
        "cpu_ratio": round(cpu_ratio, 4),
        "ratio_target": TARGET_RATIO,
        "meets_target": ratio <= TARGET_RATIO,
        "realtime_factor": round(options.seconds / pipeline, 3),
        "cpus": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }))


if __name__ == "__main__":
    main()
