"""Open-data benchmark: the size of every file of /data/ for N generated resources; a section of benchmarks/benchmark.md.

    .venv/bin/python scripts/bench_exports.py [--sizes 3000,30000] [--out benchmarks/benchmark.md]

The files are made directly from the generated entries with atlas/exports.py, as the build
makes them, without building a site: 30,000 resources cost seconds, not the full build's
minutes. The data is scripts/bench.py's (obviously fictional, same seed). Outside git, as
here, the feeds are dated by ``verified_on``. scripts/bench.py keeps this section when it
rewrites the page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from atlas import exports  # noqa: E402
from atlas.geocache import locate  # noqa: E402
from atlas.pages import Entry  # noqa: E402
from atlas.validate import Settings, validate_csv  # noqa: E402
from bench import GZIP_LEVEL, SEED, Weight, generate  # noqa: E402

START, END = "<!-- exports:start -->", "<!-- exports:end -->"
SHOWN = ["data/resources.csv", "data/resources.xlsx", "data/resources.json", "data/resources.geojson", "data/datapackage.json",
         "data/hsds/services.json", "data/hsds/organizations.json", "data/feeds/all.atom"]


def measure(n: int, seed: int = SEED, today: dt.date | None = None) -> tuple[dict[str, Weight], float]:
    """Each file's weight, and the CPU seconds exports.files took, for ``n`` generated resources."""
    import gzip

    today = today or dt.date.today()
    data, _, _ = generate(n, seed, today)
    with tempfile.TemporaryDirectory(prefix="atlas-bench-exports-") as work:
        path = Path(work) / "resources.csv"
        path.write_bytes(data)
        atlas = validate_csv(path, Settings(today=today))
    entries = [Entry(r, locate(r, {})) for r in atlas.resources]
    started = time.process_time()  # CPU time: the machine is shared
    files = exports.files(entries, exports.data_info("https://jlp-atlas.netlify.app/", entries, None))
    seconds = time.process_time() - started
    weights = {f.path: Weight(len(f.content), len(gzip.compress(f.content, compresslevel=GZIP_LEVEL, mtime=0))) for f in files}
    feeds = [w for p, w in weights.items() if p.startswith("data/feeds/")]
    weights["data/feeds/ 合计"] = Weight(sum(w.raw for w in feeds), sum(w.gz for w in feeds))
    return weights, seconds


def _size(w: Weight) -> str:
    return f"{w.raw / 1024:,.1f} / {w.gz / 1024:,.1f}"


def section(results: dict[int, tuple[dict[str, Weight], float]], command: str) -> str:
    sizes = sorted(results)
    lines = [
        START,
        "## 开放数据文件",
        "",
        f"由 `scripts/bench_exports.py` 生成（`{command}`，{dt.date.today().isoformat()}），请勿手工编辑。"
        "直接由生成的资源算出 /data/ 的文件（不构建站点），数据与上表同一种子；KB 原始 / gzip。",
        "",
        "| 文件 | " + " | ".join(f"N = {n:,}" for n in sizes) + " |",
        "| --- | " + " | ".join("---:" for _ in sizes) + " |",
    ]
    for path in SHOWN + ["data/feeds/ 合计"]:
        lines.append(f"| {path} | " + " | ".join(_size(results[n][0][path]) for n in sizes) + " |")
    lines.append("| 生成全部文件的 CPU 时间 (s) | " + " | ".join(f"{results[n][1]:.1f}" for n in sizes) + " |")
    lines += ["", END]
    return "\n".join(lines)


def write_section(out: Path, text: str) -> None:
    """Replace this script's section of ``out``, or add it at the end."""
    old = out.read_text("utf-8") if out.exists() else ""
    start, end = old.find(START), old.find(END)
    if start != -1 and end > start:
        page = old[:start] + text + old[end + len(END):]
    else:
        page = old.rstrip("\n") + ("\n\n" if old else "") + text + "\n"
    out.write_text(page, "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="3000,30000", help="comma-separated resource counts (default 3000,30000)")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "benchmark.md"), help="benchmark page whose open-data section is rewritten")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    results = {n: measure(n, args.seed) for n in sizes}
    text = section(results, ".venv/bin/python scripts/bench_exports.py --sizes " + ",".join(map(str, sizes)))
    write_section(Path(args.out), text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
