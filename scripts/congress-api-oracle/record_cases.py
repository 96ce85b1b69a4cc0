#!/usr/bin/env python3
"""Records a scenarios file on the original, one scenario at a time, into one transcript.

Some programs crash the original (an AttributeError on a rule that reads a materialized
policy, for one) and leave it answering 500 to everything that follows, and a refused recursive
rule leaves it refusing every later rule as recursive (B1 of scripts/congress-oracle). So the
original is started afresh after any scenario that got a 500 or a "Rules are recursive", and every scenario is recorded alone; the
pieces are joined into one transcript that check.mjs replays against one Congress-TS server
(every scenario deletes what it created).

Usage: record_cases.py SCENARIOS.json TRANSCRIPT.json [PORT]
"""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CHECK = os.environ.get("CONGRESS_API_CHECK", "/work/shared/conformance/api/check.mjs")


def start(port, workdir):
    out = subprocess.run([os.path.join(HERE, "run-original.sh"), str(port), workdir],
                         check=True, capture_output=True, text=True)
    return int(out.stdout.strip().splitlines()[-1])


def stop(pid):
    subprocess.run(["kill", str(pid)], check=False)


def main():
    src, dst = sys.argv[1], sys.argv[2]
    port = int(sys.argv[3]) if len(sys.argv) > 3 else 18792
    doc = json.load(open(src))
    work = tempfile.mkdtemp(prefix="record-cases-")
    merged = None
    pid = start(port, os.path.join(work, "server"))
    restarts = 0
    try:
        for i, sc in enumerate(doc["scenarios"]):
            one = dict(doc, scenarios=[sc])
            sfile = os.path.join(work, "s.json")
            tfile = os.path.join(work, "t.json")
            json.dump(one, open(sfile, "w"))
            subprocess.run(["node", CHECK, "http://127.0.0.1:%d" % port, "--record", sfile, tfile],
                           check=True, capture_output=True)
            part = json.load(open(tfile))
            if merged is None:
                merged = part
            else:
                merged["steps"].extend(part["steps"])
                merged["captures"].update(part["captures"])
            if any(s["response"]["status"] == 500 or "Rules are recursive" in s["response"]["bodyText"]
                   for s in part["steps"]):
                stop(pid)
                restarts += 1
                pid = start(port, os.path.join(work, "server"))
            sys.stderr.write("\r%d/%d scenarios, %d restarts" % (i + 1, len(doc["scenarios"]), restarts))
    finally:
        stop(pid)
    sys.stderr.write("\n")
    json.dump(merged, open(dst, "w"), indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
