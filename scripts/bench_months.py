"""What /find/'s 本月有活动 adds to search/facets.json, the file the finder loads before any card.

    .venv/bin/python scripts/bench_months.py [--sizes 300] [--share 0.3]

For each size N: scripts/bench.py's fictional resources (``bench.generate``), and for a share
of them a fictional, busy 场馆课表 — a weekly course for a term, a monthly lecture for a year and
a summer 托管 course, drawn at random — read and expanded by the real pipeline (programs.validate_programs).
Prints facets.json raw and gzip (level 6, as bench_search.served) without programmes and with.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import bench_search  # noqa: E402  (loads scripts/bench.py as bench)

from atlas import holidays, program_months, search  # noqa: E402
from atlas.findings import Report  # noqa: E402
from atlas.pages import Entry  # noqa: E402
from atlas.program_schema import Program  # noqa: E402
from atlas.programs import validate_programs  # noqa: E402
from atlas.schema import columns  # noqa: E402

bench = bench_search.bench


def timetable(ids: list[str], seed: int) -> bytes:
    """Three fictional programmes for each resource id (obviously examples: 示例课程…), their
    weekdays, starts and lengths drawn at random so the file compresses as real data would."""
    rng = random.Random(seed)
    weekdays = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
    rows = []
    for n, rid in enumerate(ids):
        common = {"resource": rid, "department": "区文化旅游委", "kind": "course"}
        start = dt.date(2026, 9, 1) + dt.timedelta(days=rng.randrange(30))
        summer = dt.date(2027, 7, 1) + dt.timedelta(days=rng.randrange(20))
        rows += [
            common | {"id": f"example-{n}-term", "title": f"示例课程{n:04d}", "dates": f"{start}~{start + dt.timedelta(weeks=rng.randrange(8, 20))}",
                      "rrule": "FREQ=WEEKLY;BYDAY=" + ",".join(rng.sample(weekdays, rng.randrange(1, 3)))},
            common | {"id": f"example-{n}-lecture", "title": f"示例讲座{n:04d}", "kind": "lecture", "dates": f"{start}~2027-08-31",
                      "rrule": f"FREQ=MONTHLY;BYDAY={rng.randrange(1, 5)}{rng.choice(weekdays)}"},
            common | {"id": f"example-{n}-summer", "title": f"示例托管{n:04d}", "kind": "care", "ages": "6-12",
                      "dates": f"{summer}~{summer + dt.timedelta(weeks=rng.randrange(2, 7))}", "rrule": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"},
        ]
    keys = [c.key for c in columns(Program)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(keys)
    writer.writerows([r.get(key, "") for key in keys] for r in rows)
    return out.getvalue().encode("utf-8")


def facets(entries: list[Entry]) -> bytes:
    return dict(search.files(entries))["facets.json"].encode("utf-8")


def measure(n: int, share: float, today: dt.date) -> dict[str, tuple[int, int]]:
    csv_data, _, _ = bench.generate(n, today=today)
    entries = bench_search.entries_from_csv(csv_data, today)
    before = facets(entries)
    chosen = [e.r.id for e in entries[:: max(1, round(1 / share))]] if share else []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "programs.csv"
        path.write_bytes(timetable(chosen, bench.SEED))
        report = Report()
        found = validate_programs(path, {e.r.id for e in entries}, holidays.china(), report)
    assert report.ok, report.findings[:3]
    mine: dict[str, list] = {}
    for x in found:
        mine.setdefault(x.p.resource, []).append(x)
    for e in entries:
        e.program_months = tuple(program_months.facet(mine.get(e.r.id, [])))
    after = facets(entries)
    return {"without programmes": (len(before), bench_search.served(before)),
            f"{len(chosen)} resources with programmes ({len(found)} programmes)": (len(after), bench_search.served(after))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="300")
    parser.add_argument("--share", type=float, default=0.3, help="share of resources with a timetable")
    args = parser.parse_args(argv)
    print("| N | facets.json | raw (B) | gzip (B) |\n| --- | --- | --- | --- |")
    for n in (int(s) for s in args.sizes.split(",")):
        for label, (raw, gz) in measure(n, args.share, dt.date(2026, 11, 29)).items():
            print(f"| {n} | {label} | {raw} | {gz} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
