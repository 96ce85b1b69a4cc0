#!/usr/bin/env python3
"""Turns policy-language cases (scripts/congress-oracle/gen_cases.py) into REST API steps.

The engine oracle compares the engines; this compares the same programs through the API: the
echo of each created rule (the pretty-printed text), error bodies (message, error_code,
error_data), rows, traces' presence and simulate answers, all as the API renders them.

Usage: gen_cases.py --seed N --per-tag K | cases_to_steps.py > scenarios.json

Each case becomes one scenario: its policies are created, its rules and then its facts are
posted one by one as rules (the API has no batch of facts; every other case creates its policy
with the leading rules and facts in the creation request instead, and every fourth stores that
request as a library policy and instantiates it), its deletes delete the
created rule with that text, its policy deletions, rows and simulations follow, then every policy the
scenario created is deleted so that the next scenario starts from the built-in policies only.

Left out, since the API cannot express them or they would change what later scenarios see:
cases with datasources (the API creates datasources from drivers, not from a schema), cases
that write into the built-in `classification` or `action` policies, and recursive programs (a
refused self-recursive rule leaves the original refusing every later rule, a documented defect).
"""
import json
import sys

BUILTIN = ("classification", "action")


def value_text(v):
    """A fact's value written as a rule constant, or None if the text cannot say it."""
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v) if v == v and v not in (float("inf"), float("-inf")) else None
    if isinstance(v, str):
        return None if ('"' in v or "\\" in v or "\n" in v) else '"%s"' % v
    return None


def fact_texts(case, policy):
    """(policy, text) for every fact of the case, or None if one cannot be written."""
    facts = case.get("facts")
    out = []
    if isinstance(facts, dict):
        for key, rows in facts.items():
            pol, table = key.split(":", 1) if ":" in key else (policy, key)
            for row in rows:
                vals = [value_text(v) for v in row]
                if any(t is None for t in vals):
                    return None
                out.append((pol, "%s(%s)" % (table, ", ".join(vals))))
    elif isinstance(facts, list):
        for f in facts:
            out.append((f["policy"], f["fact"]) if isinstance(f, dict) else (policy, f))
    return out


def scenario(case, index):
    if case.get("datasources") or case.get("datasource_updates") or "recursion" in case.get("tags", []):
        return None
    policy = case.get("policy", "alpha")
    kinds = {policy: case.get("kind", "nonrecursive")}
    kinds.update(case.get("policies", {}))
    entries = []
    for r in case.get("rules", []):
        if isinstance(r, str):
            entries.append(("insert", policy, r))
        elif r.get("op") == "delete":
            entries.append(("delete", r.get("policy", policy), r["rule"]))
        else:
            entries.append(("insert", r["policy"], r["rule"]))
    facts = fact_texts(case, policy)
    if facts is None:
        return None
    entries += [("insert", p, t) for p, t in facts]
    entries += [("delete", policy, d) for d in case.get("deletes", [])]
    for _, p, _ in entries:
        kinds.setdefault(p, "nonrecursive")
    if any(p in BUILTIN for p in kinds):
        return None

    sid = "c%d" % index
    steps = []
    n = [0]

    def step(**kw):
        n[0] += 1
        s = {"id": "%s-%d" % (sid, n[0])}
        s.update(kw)
        steps.append(s)

    # Every other case creates its policy with the rules that lead its sequence, in one
    # request (the API's batch: all or nothing, one answer for all errors).
    inline = []
    if index % 2 == 1:
        while len(inline) < len(entries) and entries[len(inline)][:2] == ("insert", policy):
            inline.append(entries[len(inline)][2])
    entries = entries[len(inline):]
    for p, kind in kinds.items():
        if p != policy:
            step(method="POST", path="/v1/policies", body={"name": p, "kind": kind})
    body = {"name": policy, "kind": kinds[policy]}
    if inline:
        body["rules"] = [{"rule": t} for t in inline]
    library = "%s_lib" % sid if index % 4 == 3 else None
    if library:
        # Every fourth case goes through the library: stored as a library policy (its rules are
        # not checked there), then instantiated, which checks them as the creation would.
        step(method="POST", path="/v1/librarypolicies", body=dict(body, rules=body.get("rules", [])),
             capture={library: "body.id"})
        step(method="POST", path="/v1/policies?library_policy={{%s}}" % library, body={})
    else:
        step(method="POST", path="/v1/policies", body=body)
    created = {}
    for op, p, text in entries:
        key = (p, text)
        if op == "insert":
            cap = "%s_r%d" % (sid, len(created))
            step(method="POST", path="/v1/policies/%s/rules" % p, body={"rule": text},
                 capture={cap: "body.id"})
            created.setdefault(key, cap)
        elif key in created:
            step(method="DELETE", path="/v1/policies/%s/rules/{{%s}}" % (p, created.pop(key)))
    for p in kinds:
        step(method="GET", path="/v1/policies/%s/rules" % p, unordered=["body.results"])
        step(method="GET", path="/v1/policies/%s/tables" % p, unordered=["body.results"])
    for p in case.get("delete_policies", []):
        step(method="DELETE", path="/v1/policies/%s" % p)
    tables = []
    for r in case.get("rows", []):
        tables.append((policy, r) if isinstance(r, str) else (r.get("policy", policy), r["table"]))
    for q in case.get("queries", []):
        text, p = (q, policy) if isinstance(q, str) else (q["query"], q.get("policy", policy))
        head = text.split("(", 1)[0].strip()
        if head.isidentifier() and (p, head) not in tables:
            tables.append((p, head))
        # A query through the API is a simulation with nothing to apply.
        step(method="POST", path="/v1/policies/%s?action=simulate" % p,
             body={"query": text, "action_policy": "action", "sequence": ""},
             unordered=["body.result"])
    for i, (p, t) in enumerate(tables):
        trace = i % 3 == 1
        step(method="GET", path="/v1/policies/%s/tables/%s/rows%s" % (p, t, "?trace=true" if trace else ""),
             unordered=["body.results"], **({"types": {"body.trace": "string"}} if trace else {}))
    for s in case.get("simulate", []):
        p = s.get("policy", policy)
        flags = ("&delta=true" if s.get("delta") else "") + ("&trace=true" if s.get("trace") else "")
        body = {"query": s["query"], "action_policy": s.get("action_policy", "action"),
                "sequence": s.get("sequence", "")}
        extra = {"types": {"body.trace": "string"}} if s.get("trace") else {}
        step(method="POST", path="/v1/policies/%s?action=simulate%s" % (p, flags), body=body,
             unordered=["body.result"], **extra)
    for p in kinds:
        step(method="DELETE", path="/v1/policies/%s" % p)
    if library:
        step(method="DELETE", path="/v1/librarypolicies/{{%s}}" % library)
    step(method="GET", path="/v1/policies", unordered=["body.results"],
         note="the scenario's policies are gone")
    return {"name": case["name"], "description": "from gen_cases.py", "steps": steps}


def main():
    cases = json.load(sys.stdin)
    scenarios = [s for s in (scenario(c, i) for i, c in enumerate(cases)) if s is not None]
    json.dump({"format": "congress-api-scenarios/1",
               "description": "policy-language cases through the REST API",
               "scenarios": scenarios}, sys.stdout, indent=1, ensure_ascii=False)
    sys.stderr.write("%d of %d cases, %d steps\n"
                     % (len(scenarios), len(cases), sum(len(s["steps"]) for s in scenarios)))


if __name__ == "__main__":
    main()
