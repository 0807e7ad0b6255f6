#!/usr/bin/env python3
"""Independent figures of the BPIC 2013 incident log, for replay's test.

Reads the raw log (gzip, Windows-1252, ';'-separated) with Python's csv
module, follows the adapter's rules as the issue states them, and prints
per-ticket shares the report must agree with. It shares no code with
ladder.

    python3 escalation/replay/testdata/bpic2013_figures.py ../shared/data/bpic2013/incidents.csv.gz   # from the repository root
"""
import csv, gzip, io, sys
from collections import OrderedDict

def tier(team):
    if team.endswith("3rd"):
        return 2
    if team.endswith("2nd"):
        return 1
    return 0

rows = OrderedDict()
with gzip.open(sys.argv[1], "rb") as f:
    text = io.TextIOWrapper(f, encoding="cp1252", newline="")
    for r in csv.DictReader(text, delimiter=";"):
        rows.setdefault(r["SR Number"], []).append(r)
end = max(r["Change Date+Time"] for rs in rows.values() for r in rs)  # same offset everywhere: strings sort as instants

never_left = reached2 = reached3 = pingpong = waited = 0
for sr, rs in rows.items():
    first = rs[0]
    cur_tier, team = tier(first["Involved ST"]), first["Involved ST"]
    highest = cur_tier
    teams = [team]
    done = False          # resolved or closed now
    resolved_once = False # the first resolution happened
    status = first["Status"] + "/" + first["Sub Status"]
    wait_since = first["Change Date+Time"] if first["Sub Status"].startswith("Wait") else None
    was_waiting = False
    def complete(r):
        return r["Status"] == "Completed" and r["Sub Status"] in ("Resolved", "In Call", "Closed", "Cancelled")
    if complete(first):
        done = resolved_once = True
        wait_since = None
    for r in rs[1:]:
        at = r["Change Date+Time"]
        if done and r["Status"] != "Completed":
            done = False  # a reopen
        if not done:
            t, tm = tier(r["Involved ST"]), r["Involved ST"]
            if t != cur_tier or tm != team:
                cur_tier, team = t, tm
                highest = max(highest, t)
                if teams[-1] != tm:
                    teams.append(tm)
            st = r["Status"] + "/" + r["Sub Status"]
            if not resolved_once:
                if wait_since is not None and not r["Sub Status"].startswith("Wait") and at > wait_since:
                    was_waiting = True
                if wait_since is not None and not r["Sub Status"].startswith("Wait"):
                    wait_since = None
                elif wait_since is None and r["Sub Status"].startswith("Wait"):
                    wait_since = at
        if complete(r) and not done:
            done = True
            if not resolved_once:
                if wait_since is not None and at > wait_since:
                    was_waiting = True
                wait_since = None
                resolved_once = True
    if not resolved_once and wait_since is not None and end > wait_since:
        was_waiting = True
    merged = teams
    if any(merged[i] in merged[:i - 1] for i in range(2, len(merged))):
        pingpong += 1
    never_left += highest == 0
    reached2 += highest >= 1
    reached3 += highest >= 2
    waited += was_waiting

print(f"tickets {len(rows)}")
print(f"never_left_first_line {never_left}")
print(f"reached_second_line {reached2}")
print(f"reached_third_line {reached3}")
print(f"team_pingpong {pingpong}")
print(f"waited {waited}")
