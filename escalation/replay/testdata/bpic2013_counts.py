#!/usr/bin/env python3
"""Count what the bpic2013 reader should make of the BPIC 2013 incident log.

An independent computation (no Go, no shared code) of the figures that
TestBPIC2013SharedLog checks. Run from escalation/replay:

    python3 testdata/bpic2013_counts.py ../../../shared/data/bpic2013/incidents.csv.gz

(Python 3.11, standard library only.) It prints plain facts of the file
(rows, incidents, rows by the line of their team) and the events the
reader's rules give on a three-tier policy, by kind, with the rows it
ignores by reason (each row once).
"""

import collections
import gzip
import sys

RESOLVE = {"Completed/Resolved", "Completed/In Call"}
CLOSE = {"Completed/Closed", "Completed/Cancelled"}


def line_of(team):
    """0, 1 or 2: first, second or third line, from the team's name."""
    if team.endswith("2nd"):
        return 1
    if team.endswith("3rd"):
        return 2
    return 0


def main(path):
    with gzip.open(path, "rb") as f:
        text = f.read().decode("cp1252")
    lines = text.split("\r\n")
    if lines[-1] == "":
        lines.pop()
    header = lines[0].split(";")
    col = {name: i for i, name in enumerate(header)}
    rows = [l.split(";") for l in lines[1:]]

    facts = collections.Counter()
    facts["rows"] = len(rows)
    by_incident = collections.OrderedDict()
    for r in rows:
        by_incident.setdefault(r[col["SR Number"]], []).append(r)
        team = r[col["Involved ST"]]
        facts[("rows with team on line", line_of(team) + 1)] += 1
    facts["incidents"] = len(by_incident)
    teams = {r[col["Involved ST"]] for r in rows}
    for t in teams:
        facts[("teams on line", line_of(t) + 1)] += 1
    facts["rows with no team"] = sum(1 for r in rows if r[col["Involved ST"]] == "")

    kinds = collections.Counter()
    places = collections.Counter()  # (kind, line) of opened and tier moves
    actors = set()  # owners of the rows that became events
    ignored = collections.Counter()
    lines_with_events = 0
    for sr, rs in by_incident.items():
        state = None  # "open", "resolved", "closed"
        team = status = None
        for r in rs:
            st = r[col["Status"]] + "/" + r[col["Sub Status"]]
            tm = r[col["Involved ST"]]
            completed = r[col["Status"]] == "Completed"
            out = []
            pending = None
            if state is None:
                out.append("opened")
                places[("opened", line_of(tm) + 1)] += 1
                state, team = "open", tm
                if st in RESOLVE:
                    out.append("resolved")
                    state = "resolved"
                elif st in CLOSE:
                    out.append("closed")
                    state = "closed"
                status = st
            else:
                old = line_of(team)
                new = line_of(tm)
                moves = tm != team
                if new > old:
                    move = "escalated"
                elif new < old:
                    move = "de_escalated"
                else:
                    move = None  # a hand-off rides on another event
                if moves and move:
                    # counted below only if the move is not ignored
                    pending = (move, new + 1)
                else:
                    pending = None
                if state == "open" or (state == "resolved" and completed
                                       and st not in RESOLVE | CLOSE):
                    if state == "resolved" and moves:
                        ignored["move of a resolved or closed ticket"] += 1
                        moves = False
                    if st in RESOLVE or st in CLOSE:
                        if moves:
                            out.append(move or "fields_changed")
                            team = tm
                        out.append("resolved" if st in RESOLVE else "closed")
                        state = "resolved" if st in RESOLVE else "closed"
                    elif moves:
                        out.append(move or ("status_changed" if st != status else "fields_changed"))
                        team = tm
                    else:
                        out.append("status_changed" if st != status else "fields_changed")
                    status = st
                elif not completed:
                    out.append("reopened")
                    state = "open"
                    if moves and move:
                        out.append(move)
                    team = tm if moves else team
                    status = st
                else:
                    # each row counts once, a dropped move first
                    if moves:
                        ignored["move of a resolved or closed ticket"] += 1
                    elif state == "closed":
                        ignored["completed row on a closed ticket"] += 1
                    elif st in RESOLVE:
                        ignored["resolved again without a reopen"] += 1
                    if state == "resolved" and st in CLOSE:
                        out.append("closed")
                        state = "closed"
                        status = st
            kinds.update(out)
            if out:
                lines_with_events += 1
                actors.add(r[col["Owner First Name"]])
            if pending and pending[0] in out:
                places[pending] += 1

    for k, v in sorted(facts.items(), key=str):
        print(k, v)
    print("events", sum(kinds.values()))
    print("rows with events", lines_with_events)
    print("rows without events", len(rows) - lines_with_events)
    for k, v in sorted(kinds.items()):
        print("kind", k, v)
    for k, v in sorted(places.items()):
        print("to line", k, v)
    print("actors on events", len(actors))
    print("actors", len({r[col["Owner First Name"]] for r in rows}))
    for k, v in sorted(ignored.items()):
        print("ignored", k, v)


if __name__ == "__main__":
    main(sys.argv[1])
