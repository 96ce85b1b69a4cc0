#!/usr/bin/env python3
"""Compares two recorded transcripts of the same scenarios (the original's and ours), step by
step, and groups the differences by kind.

check.mjs replays one transcript against a live server and stops at exact equality. Here both
sides are recordings, so answers can be normalized where the original is not deterministic:
generated ids, Python set and dict order inside messages (`vars {'x', 'y'}`), the order of
`;`-joined error lists, and the text of traces (only its presence is compared).

Usage: compare_transcripts.py ORIGINAL.json OURS.json [--all] [--exact]
Prints one line per differing step (the first 40 unless --all) and a count per kind.
--exact keeps Python's set and error-list order: for an original recorded with
PYTHONHASHSEED=0, whose order ours reproduces (src/datalog/python-set.ts).
"""
import collections
import json
import re
import sys

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
PYSET = re.compile(r"\{('[^'{}]*'(?:, '[^'{}]*')*)\}")


EXACT = "--exact" in sys.argv


def norm_text(s):
    s = UUID.sub("<uuid>", s)
    if EXACT:
        return s
    s = PYSET.sub(lambda m: "{" + ", ".join(sorted(m.group(1).split(", "))) + "}", s)
    if "::" in s and ";" in s:
        head, rest = s.split("::", 1)
        s = head + "::" + ";".join(sorted(rest.split(";")))
    return s


def norm(v, key=None):
    if isinstance(v, dict):
        return {k: ("<trace>" if k == "trace" else norm(x, k)) for k, x in v.items()}
    if isinstance(v, list):
        items = [norm(x) for x in v]
        if key in ("results", "result"):
            items.sort(key=lambda x: json.dumps(x, sort_keys=True))
        return items
    if isinstance(v, str):
        return norm_text(v)
    return v


def body_of(response):
    """The answer as Python reads it: ints and floats stay apart (`5` is not `5.0`), and the
    original's non-JSON `Infinity` is read too (check.mjs records what JavaScript could parse)."""
    try:
        return json.loads(response.get("bodyText") or "null")
    except ValueError:
        return response.get("body")


def kind(step, a, b):
    if a["status"] != b["status"]:
        return "status %s->%s" % (a["status"], b["status"])
    body = body_of(a)
    ea = body.get("error") if isinstance(body, dict) else None
    if ea:
        return "error message"
    if step["method"] == "POST" and step["path"].endswith("/rules"):
        return "rule echo"
    if "simulate" in step["path"]:
        return "simulate"
    if "/rows" in step["path"]:
        return "rows"
    return "other"


def main():
    orig = json.load(open(sys.argv[1]))["steps"]
    ours = {s["id"]: s for s in json.load(open(sys.argv[2]))["steps"]}
    show_all = "--all" in sys.argv
    counts = collections.Counter()
    shown = 0
    for s in orig:
        o = ours.get(s["id"])
        if o is None:
            counts["missing"] += 1
            continue
        a, b = s["response"], o["response"]
        same = a["status"] == b["status"] and norm(body_of(a)) == norm(body_of(b))
        if same:
            counts["same"] += 1
            continue
        k = kind(s, a, b)
        counts[k] += 1
        if show_all or shown < 40:
            shown += 1
            print("%s [%s] %s %s %s\n  orig: %s\n  ours: %s" % (
                s["id"], k, s["method"], s["path"], json.dumps(s.get("body"), ensure_ascii=False)[:300],
                a["bodyText"].strip()[:400], b["bodyText"].strip()[:400]))
    for k, n in counts.most_common():
        print("%6d %s" % (n, k))


if __name__ == "__main__":
    main()
