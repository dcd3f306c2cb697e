"""Fixture programmes for the fixture resources of sites.py: obviously fictional, each feature once."""

from __future__ import annotations

import csv
import io

from atlas.program_schema import Program
from atlas.schema import columns

PROGRAMS = [
    {"id": "example-saturday-class", "resource": "example-museum", "title": "示例周六课0001", "kind": "course",
     "stages": "小学高段;初中", "five_education": "德", "dates": "2026-11-28", "rrule": "FREQ=WEEKLY;BYDAY=SA;COUNT=6",
     "except_dates": "法定节假日", "start_time": "09:30", "end_time": "11:00", "capacity": "30", "places_left": "12",
     "fee": "免费", "booking": "电话预约 & “示例” <3 天", "department": "区文化旅游委"},
    {"id": "example-winter-care", "resource": "example-care", "title": "示例托管班0002", "kind": "托管", "ages": "6-12",
     "stages": "小学低段", "five_education": "体", "dates": "2027-01-25~2027-02-05", "rrule": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
     "start_time": "08:30", "end_time": "17:30", "capacity": "40", "places_left": "0", "booking_deadline": "2027-01-15",
     "booking": "镇街报名", "department": "华岩镇", "status": "example"},
    {"id": "example-to-school", "resource": "进校园", "title": "示例进校园0003", "kind": "activity", "stages": "高中",
     "five_education": "劳", "dates": "2026-12-10", "department": "区科协"},
    {"id": "example-past", "resource": "example-museum", "title": "示例已结束0004", "kind": "lecture", "stages": "初中",
     "dates": "2026-10-10", "start_time": "14:00", "end_time": "15:00", "department": "区文化旅游委"},
]

CALENDAR = """\
- school_year: 2026-2027
  source: 示例来源
  winter: {start: 2027-01-23, end: 2027-02-21}
"""


def programs_csv(rows=PROGRAMS) -> bytes:
    keys = [c.key for c in columns(Program)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(keys)
    for row in rows:
        writer.writerow([row.get(key, "") for key in keys])
    return out.getvalue().encode("utf-8")
