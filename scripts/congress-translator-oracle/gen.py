#!/usr/bin/env python3
"""Random datasource translators (HDICT, VDICT, LIST, nested up to three levels, with id-col,
parent-key, in-list, renamed columns) and random objects shaped for them, with missing fields,
nulls and odd scalars. Deterministic for a seed; every loop is bounded.

Usage: gen.py [--seed N] [--count N] > cases.json
"""
import argparse
import json
import random

# Integral floats (1.0 apart from 1) are in; integers beyond 2^53 are not (ours rounds them as
# JSON.parse does).
SCALARS = ["a", "b", "", "x y", "ACTIVE", "It's", 'say "hi"', "\u00e9t\u00e9", "\u65e5\u672c", "1", "None",
           0, 1, -1, 7, 42, 2 ** 40, 0.5, -2.25, 1e-7, 3.14159, 1.5e-300, True, False, None,
           1.0, 0.0, -3.0, 42.0, 1e16]
FIELDS = ["id", "name", "status", "a", "b", "c", "tenant_id", "value"]


class Gen(object):
    def __init__(self, rng):
        self.r = rng
        self.tables = 0

    def table_name(self):
        self.tables += 1
        return "t%d" % self.tables

    # -- translators ----------------------------------------------------------
    def value(self):
        return {"translation-type": "VALUE"}

    def hdict(self, depth, nested, parent_cols):
        r = self.r
        # Only DICT_SELECTOR: the original's DOT_SELECTOR reads attributes of client-library objects,
        # which ours reads as the keys of the JSON they came from; a dict has no such attributes.
        t = {"translation-type": "HDICT", "table-name": self.table_name(), "selector-type": "DICT_SELECTOR"}
        if nested:
            self.link(t, parent_cols)
            if r.random() < 0.2:
                t["in-list"] = True
        elif r.random() < 0.2:
            t["id-col"] = self.r.choice(["hid", "uuid"])
        fields = r.sample(FIELDS, r.randint(1, 4))
        ftrans = []
        for f in fields:
            ft = {"fieldname": f}
            if r.random() < 0.2:
                ft["col"] = f + "_col"
            if depth < 3 and r.random() < 0.3:
                ft["translator"] = self.table(depth + 1, True, [c.get("col", c["fieldname"]) for c in ftrans
                                                                if c["translator"]["translation-type"] == "VALUE"])
            else:
                ft["translator"] = self.value()
            ftrans.append(ft)
        t["field-translators"] = ftrans
        return t

    def link(self, t, parent_cols):
        """A nested table refers to its parent by a generated id or by a parent column."""
        r = self.r
        if parent_cols and r.random() < 0.5:
            t["parent-key"] = r.choice(parent_cols)
            if r.random() < 0.3:
                t["parent-col-name"] = "owner"
        else:
            t["id-col"] = r.choice(["hid", "uuid", "id_hash"])

    def vdict(self, depth, nested, parent_cols):
        r = self.r
        t = {"translation-type": "VDICT", "table-name": self.table_name(), "key-col": "key", "val-col": "val"}
        if nested:
            self.link(t, parent_cols)
        elif r.random() < 0.2:
            t["id-col"] = "hid"
        if depth < 3 and r.random() < 0.3:
            sub = self.table(depth + 1, True, ["key"])
            t["translator"] = sub
        else:
            t["translator"] = self.value()
        return t

    def list_(self, depth, nested, parent_cols):
        r = self.r
        t = {"translation-type": "LIST", "table-name": self.table_name(), "val-col": "item"}
        if nested:
            self.link(t, parent_cols)
        elif r.random() < 0.2:
            t["id-col"] = "hid"
        if depth < 3 and r.random() < 0.3:
            sub = self.table(depth + 1, True, [])
            sub.pop("parent-key", None)
            sub.pop("parent-col-name", None)
            sub["id-col"] = "hid"  # the original asserts that a LIST's subtable has an id
            t["translator"] = sub
        else:
            t["translator"] = self.value()
        return t

    def table(self, depth, nested, parent_cols):
        k = self.r.choice(["HDICT", "HDICT", "VDICT", "LIST"])
        if k == "HDICT":
            return self.hdict(depth, nested, parent_cols)
        if k == "VDICT":
            return self.vdict(depth, nested, parent_cols)
        return self.list_(depth, nested, parent_cols)

    # -- objects --------------------------------------------------------------
    def scalar(self):
        r = self.r
        if r.random() < 0.05:
            return r.choice([{"k": 1, "j": [True, None]}, [1, "a"], {}, []])  # str() in both
        return r.choice(SCALARS)

    def obj(self, t):
        r = self.r
        if r.random() < 0.04:
            return None
        kind = t["translation-type"]
        if kind == "VALUE":
            return self.scalar()
        if r.random() < 0.03:
            return r.choice(["abc", 5, 2.5, True, [], {}, [1], {"k": 1}])  # maybe the wrong shape
        if kind == "HDICT":
            if t.get("in-list"):
                return [self.hdict_obj(t) for _ in range(r.randint(0, 3))]
            return self.hdict_obj(t)
        if kind == "VDICT":
            return {r.choice(["k1", "k2", "k3", "", "\u00e9"]) + str(i): self.obj(t["translator"])
                    for i in range(r.randint(0, 3))}
        return [self.obj(t["translator"]) for _ in range(r.randint(0, 4))]

    def hdict_obj(self, t):
        r = self.r
        o = {}
        for ft in t["field-translators"]:
            if r.random() < 0.85:
                o[ft["fieldname"]] = self.obj(ft["translator"])
        if r.random() < 0.2:
            o["extra"] = "ignored"
        return o

    def case(self, i):
        self.tables = 0
        t = self.table(1, False, [])
        objs = [self.obj(t) for _ in range(self.r.randint(1, 5))]
        objs = [o for o in objs if o is not None]
        return {"name": "tr-%d" % i, "translator": t, "objects": objs}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=200)
    a = ap.parse_args()
    g = Gen(random.Random(a.seed))
    json.dump([g.case(i) for i in range(min(a.count, 5000))], __import__("sys").stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
