#!/usr/bin/env python3
"""Random but meaningful conformance cases, per tag (the tags of shared/conformance/README.md).

Usage: gen_cases.py [--seed N] [--per-tag N] [--tags a,b] > cases.json

Deterministic for a seed. Every generator is bounded: it returns one case and
loops at most a fixed number of times; --per-tag is capped at 500.
"""
import argparse
import json
import random
import string

MAX_PER_TAG = 500

NOVA_SERVERS = ["id", "name", "host_id", "status", "tenant_id", "user_id",
                "image_id", "flavor_id", "zone", "host_name", "created_at"]
NOVA_FLAVORS = ["id", "name", "vcpus", "ram", "disk", "ephemeral", "rxtx_factor"]
KEYSTONE_USERS = ["username", "name", "enabled", "tenantid", "id", "email"]
NEUTRON_PORTS = ["id", "tenant_id", "name", "network_id", "mac_address",
                 "admin_state_up", "status", "device_id", "device_owner"]

INTS = [0, 1, 2, 3, -1, 7, 10, 42, -7, 100, 2 ** 53 + 1, 10 ** 20]
FLOATS = [0.5, 1.0, 2.5, -0.5, 0.1, 0.2, 1e20, 1e-5, 3.0, 1e16, 123.456]
STRS = ["a", "b", "abc", "", "1", "2.5", "10", "x y", "ACTIVE", "ERROR", "Ab", "é", "日本"]


class Gen(object):
    def __init__(self, rng):
        self.r = rng

    # -- helpers --------------------------------------------------------
    def choice(self, xs):
        return self.r.choice(xs)

    def value(self, kinds=("int", "float", "str")):
        k = self.choice(kinds)
        if k == "int":
            return self.choice(INTS[:9])
        if k == "float":
            return self.choice(FLOATS)
        return self.choice(STRS[:11])

    def lit(self, v):
        """A constant as policy-language text."""
        if isinstance(v, str):
            return json.dumps(v, ensure_ascii=False)
        return repr(v)

    def rows(self, width, n, kinds=("int", "str")):
        return [[self.value(kinds) for _ in range(width)] for _ in range(n)]

    def small_rows(self, width, n, domain=(1, 2, 3, 4)):
        return [[self.choice(domain) for _ in range(width)] for _ in range(n)]

    # -- random nonrecursive programs ------------------------------------
    def program(self, neg=True, builtins=False, n_rules=None):
        """A random stratified, nonrecursive program over edb q/r/s and idb p0..pk."""
        r = self.r
        edb = {"q": 2, "r": 1, "s": 2}
        idb = []
        rules = []
        n_rules = n_rules or r.randint(2, 6)
        for i in range(n_rules):
            head = "p%d" % r.randint(0, max(0, len(idb)))
            if head in [h for h, _ in idb]:
                width = dict(idb)[head]
            else:
                width = r.randint(0, 2)
            avail = list(edb.items()) + [(h, w) for h, w in idb if h != head]
            body = []
            vars_ = ["x", "y", "z"]
            bound = set()
            for _ in range(r.randint(1, 3)):
                t, w = self.choice(avail)
                args = [self.choice(vars_ + ["1", "2"]) if r.random() < 0.9 else self.choice(vars_) for _ in range(w)]
                bound.update(a for a in args if a in vars_)
                body.append("%s(%s)" % (t, ", ".join(args)))
            if neg and r.random() < 0.5:
                t, w = self.choice(avail)
                args = [self.choice(sorted(bound) or ["1"]) for _ in range(w)]
                body.append("not %s(%s)" % (t, ", ".join(args)))
            if builtins and bound and r.random() < 0.5:
                a = self.choice(sorted(bound))
                b = self.choice(sorted(bound) + ["2"])
                body.append("%s(%s, %s)" % (self.choice(["lt", "lteq", "gt", "gteq", "equal"]), a, b))
            if r.random() < 0.3:
                r.shuffle(body)
            hargs = [self.choice(sorted(bound) or ["1"]) for _ in range(width)]
            if r.random() < 0.05:
                hargs.append("w")  # unsafe head
            rules.append("%s(%s) :- %s" % (head, ", ".join(hargs), ", ".join(body)))
            if head not in [h for h, _ in idb]:
                idb.append((head, len(hargs)))
        facts = {"q": self.small_rows(2, r.randint(0, 6)), "r": self.small_rows(1, r.randint(0, 3)),
                 "s": self.small_rows(2, r.randint(0, 4))}
        queries = ["%s(%s)" % (h, ", ".join("v%d" % i for i in range(w))) for h, w in idb]
        return rules, facts, queries, [h for h, _ in idb]

    # -- tags ------------------------------------------------------------
    def g_basic(self):
        rules, facts, queries, heads = self.program(neg=False)
        r = self.r
        if heads and r.random() < 0.5:
            queries.append("zz(x) :- %s" % self.choice(["q(x, y)", "q(x, 1), r(x)", "s(x, x)"]))
        queries.append("q(1, x)")
        queries.append("q(x, x)")
        return {"tags": ["basic", "join", "query"], "rules": rules, "facts": facts,
                "queries": queries, "rows": heads + ["q"]}

    def g_negation(self):
        rules, facts, queries, heads = self.program(neg=True)
        return {"tags": ["negation"], "rules": rules, "facts": facts, "queries": queries,
                "rows": heads}

    def g_safety(self):
        r = self.r
        lits = ["q(x, y)", "r(x)", "not r(y)", "not s(x, z)", "plus(x, y, z)", "lt(z, w)",
                "gt(x, 1)", "q(_, x)", "r(_)", "equal(x, w)", "not q(w, x)", "s(z, w)",
                "concat(x, y, w)", "len(w, z)"]
        rules = []
        for _ in range(r.randint(2, 5)):
            body = r.sample(lits, r.randint(1, 4))
            head_vars = r.sample(["x", "y", "z", "w", "_"], r.randint(0, 3))
            rules.append("h%d(%s) :- %s" % (len(rules), ", ".join(head_vars), ", ".join(body)))
        facts = {"q": self.small_rows(2, 4), "r": self.small_rows(1, 2), "s": self.small_rows(2, 3)}
        queries = [ru.split(" :- ")[0].replace("_", "u") for ru in rules]
        mode = self.choice(["api", "api", "runtime"])
        return {"tags": ["safety", "errors"], "mode": mode, "rules": rules, "facts": facts,
                "queries": queries}

    def g_parse(self):
        r = self.r
        forms = [
            "f(%s)" % self.choice(["1.", ".5", "1e3", "1E-2", "2.5e-3", "1e20", "1.5e16", "0.0001", "123456789.125",
                                   "00", "007", "0x1F", "0o7", "0b1", "-1", "- 1", "+1", "1_000", "1e", "1.2.3",
                                   "9007199254740993", "100000000000000000000", "1e400", "0.1e-400", "1.0e+3"]),
            "f(%s)" % self.choice(['"a\\nb"', "'single'", '"q\\"q"', '""', "''", '"tab\there"', '"multi\nline"',
                                   'u"x"', 'r"x"', '"unterminated', "'mixed\"", '"#notcomment"', '"//x"']),
            self.choice(["f(1) // c", "f(1) # c\n", "/* x */ f(1)", "f(1) /* open", "f(1)\n\n", "  f(1)  ",
                         "f(1);", "f(1).", "f(1) f(2)", "f(1);f(2)", "f(1),", "f (1)", "f( 1 , 2 )", "f(1)\r\n"]),
            self.choice(["p(x) :- f(x)", "p(x):-f(x)", "p(x) :- f(x), ", "p(x) :- f(x) ,f(x)", "p(x) <- f(x)",
                         "p(x) :- f(x) AND f(x)", "p(x) :- NOT f(x)", "p(x) :- f(x), !f(x)", "p(x) :- f(x), NOT f(x)",
                         "p(x) :- f(x), not  f(x)", "p :- f(x)", "p() :- f(x)", "p :- true", "p(x) :- f(x), true",
                         "p(x) :- f(x), false", "execute[p(x)] :- f(x)", "a.b(x) :- f(x)", "a:b(x) :- f(x)",
                         "p(x) :- a.b:c(x)", "p(x) :- nova:servers.pause(x)", "p(X) :- f(X)", "P(x) :- f(x)",
                         "p(x1_y) :- f(x1_y)", "_p(x) :- f(x)", "p(x) :- _f(x)", "1p(x) :- f(x)", "p-(x) :- f(x)",
                         "p+(x) :- f(x)", "p(x) :- f+(x)", "p(x) :- f(x) :- f(x)", "p(x) :- ", ":-",
                         "p(x) :- f(x)\n", "p(x)\n:-\nf(x)", "p(x) :- f(x) # trailing", "p(\"a\") :- f(x)",
                         "insert[p(x)]", "delete[f(1)]", "p(x) :- f(x), f(y), equal(x, y)", "p(x) :- f(x, )",
                         "déjà(x) :- f(x)", "p(é) :- f(é)", "p(x) :- f(x), x = 1"]),
        ]
        rules = r.sample(forms, r.randint(2, 4))
        return {"tags": ["parse", "errors"], "rules": rules + ["f(\"z\")"],
                "queries": ["f(x)", "p(x)", "p", "a.b(x)", "execute[p(x)]"], "rows": ["f"]}

    def g_colrefs(self):
        r = self.r
        cols = NOVA_SERVERS
        ds = {"nova": {"schema": {"servers": cols, "flavors": NOVA_FLAVORS},
                       "data": {"servers": [["s%d" % i, "vm%d" % i, "h%d" % (i % 2), self.choice(["ACTIVE", "ERROR"]),
                                             "t%d" % (i % 3), "u1", "img", "f%d" % (i % 2), "nova", "c1",
                                             "2020-01-0%d 00:00:00" % (i + 1)] for i in range(4)],
                                "flavors": [["f0", "small", 1, 512, 1, 0, 1.0], ["f1", "big", 8, 8192, 80, 0, 2.5]]}}}
        if r.random() < 0.3:
            ds["nova"]["schema"]["servers"] = [{"name": c} for c in cols]
        if r.random() < 0.2:
            ds["nova"]["complete"] = True
        args = []
        forms = []
        for _ in range(r.randint(1, 3)):
            kind = self.choice(["named", "num", "mixed", "pos", "bad"])
            if kind == "named":
                cs = r.sample(cols, r.randint(1, 3))
                forms.append(", ".join("%s=%s" % (c, self.choice(["x", "y", "z", '"ERROR"', "1"])) for c in cs))
            elif kind == "num":
                ns = r.sample(range(0, 13), r.randint(1, 3))
                forms.append(", ".join("%d=%s" % (n, self.choice(["x", "y", "z"])) for n in ns))
            elif kind == "mixed":
                forms.append("x, %s=y" % self.choice(cols + ["bogus"]))
            elif kind == "pos":
                forms.append(", ".join(self.choice(["x", "y", "z"]) for _ in range(r.randint(1, 12))))
            else:
                forms.append(self.choice(["id=x, id=y", "0=x, id=y", "1=x, name=y", "x, 0=y", "colour=x",
                                          "id=x, y", "99=x", "-1=x", "id=x, 0=y", "name=x, 1=x"]))
        rules = []
        for f in forms:
            neg = r.random() < 0.2
            table = self.choice(["servers", "servers", "flavors", "nosuch"])
            body = "nova:%s(%s)" % (table, f)
            if neg:
                body = "nova:servers(id=x), not " + body
            rules.append("p%d(x) :- %s" % (len(rules), body))
        if r.random() < 0.3:
            rules.append("loc(x) :- lt(id=x)")
        late = r.random() < 0.2
        mode = "runtime" if late or r.random() < 0.2 else "api"
        if late:
            ds["nova"]["late"] = True
        return {"tags": ["column-refs", "datasource", "errors"], "mode": mode, "datasources": ds, "rules": rules,
                "queries": ["p%d(x)" % i for i in range(len(rules))],
                "rows": ["p0", "nova:servers"]}

    BUILTIN_FAMILIES = {
        "builtins-compare": [("lt", 2, 2), ("lteq", 2, 2), ("equal", 2, 2), ("gt", 2, 2), ("gteq", 2, 2), ("max", 3, 2)],
        "builtins-arith": [("plus", 3, 2), ("minus", 3, 2), ("mul", 3, 2), ("div", 3, 2), ("float", 2, 1), ("int", 2, 1)],
        "builtins-string": [("concat", 3, 2), ("len", 2, 1)],
        "builtins-datetime": [("unpack_date", 4, 1), ("unpack_time", 4, 1), ("unpack_datetime", 7, 1),
                              ("pack_time", 4, 3), ("pack_date", 4, 3), ("pack_datetime", 7, 6),
                              ("extract_date", 2, 1), ("extract_time", 2, 1), ("datetime_to_seconds", 2, 1),
                              ("datetime_plus", 3, 2), ("datetime_minus", 3, 2), ("datetime_lt", 2, 2),
                              ("datetime_lteq", 2, 2), ("datetime_gt", 2, 2), ("datetime_gteq", 2, 2),
                              ("datetime_equal", 2, 2)],
        "builtins-netaddr": [("ips_equal", 2, 2), ("ips_lt", 2, 2), ("ips_lteq", 2, 2), ("ips_gt", 2, 2),
                             ("ips_gteq", 2, 2), ("networks_equal", 2, 2), ("networks_overlap", 2, 2),
                             ("ip_in_network", 2, 2)],
        "builtins-validate": [("validate_int", 4, 3), ("validate_float", 4, 3), ("validate_string", 6, 5)],
    }

    DATETIMES = ["2015-03-04 05:06:07", "2015-03-04", "March 4 2015", "2015-03-04T05:06:07+02:00",
                 "2015-03-04 05:06:07.250000", "1900-01-01 00:00:00", "2016-02-29 23:59:59", "not a date",
                 "2015-13-01", "12:30", "2015-03-04 05:06", 3600, 1, 0.5, "1:0:0:0", "0:0:0:1:0", "10", "",
                 2015, 3, 4, 24, 60, -1, "1:2:3:4:5:6"]
    IPS = ["10.0.0.1", "10.0.0.2", "10.0.0.0/24", "10.0.0.1/24", "10.0.0.0/8", "192.168.1.1", "::1", "2001:db8::1",
           "2001:db8::/32", "::ffff:10.0.0.1", "8.0.0.0/7", "9.1.0.0/16", "bogus", "", 5, "10.0.0.256", "0.0.0.0/0"]
    VALIDATE = ["", 5, 10, 7, 3, 12, "7", "abc", 2.5, 7.5, "^a", "^b", 3, "True", "False", "abcd", '"abc', "'x'",
                "A", 0, "1e3", 1.0, "x"]

    def g_builtin(self, tag):
        r = self.r
        fam = self.BUILTIN_FAMILIES[tag]
        name, width, inputs = self.choice(fam)
        if tag == "builtins-datetime":
            pool = self.DATETIMES
        elif tag == "builtins-netaddr":
            pool = self.IPS
        elif tag == "builtins-validate":
            pool = self.VALIDATE
        else:
            pool = INTS[:10] + FLOATS[:8] + STRS[:10] + [True, 10 ** 20]
        ins = ["a%d" % i for i in range(inputs)]
        outs = ["o%d" % i for i in range(width - inputs)]
        rows = [[self.choice(pool) for _ in range(inputs)] for _ in range(r.randint(3, 8))]
        rules = ["b(%s) :- q(%s), %s(%s)" % (", ".join(ins + outs), ", ".join(ins), name, ", ".join(ins + outs))]
        queries = ["b(%s)" % ", ".join(ins + outs)]
        # constants and outputs given as constants
        if inputs >= 1 and width > inputs and r.random() < 0.5:
            c = self.lit(self.choice([v for v in pool if not isinstance(v, bool)]))
            rules.append("c(%s) :- q(%s), %s(%s)" % (", ".join(ins), ", ".join(ins), name,
                                                     ", ".join(ins + [c] + outs[1:])))
            queries.append("c(%s)" % ", ".join(ins))
        if r.random() < 0.4:
            rules.append("n(%s) :- q(%s), not %s(%s)" % (", ".join(ins), ", ".join(ins), name,
                                                         ", ".join(ins + [self.lit(self.choice(
                                                             [v for v in pool if not isinstance(v, bool)])) for _ in outs])))
            queries.append("n(%s)" % ", ".join(ins))
        # builtin as query with constants
        if r.random() < 0.5:
            qargs = [self.lit(self.choice([v for v in pool if not isinstance(v, bool)])) for _ in ins] + outs
            queries.append("%s(%s)" % (name, ", ".join(qargs)))
        if r.random() < 0.15:
            rules.append("w(x) :- q(%s), %s(x)" % (", ".join(ins), name))  # wrong width: ordinary table
            queries.append("w(x)")
        # facts: no booleans in policy facts, they would be Python ints
        rows = [[v for v in row] for row in rows if not any(isinstance(v, bool) for v in row)]
        return {"tags": [tag, "types"], "rules": rules, "facts": {"q": rows}, "queries": queries}

    # -- builtins over wide input pools, many rows per case (tag `builtins-*`) --
    WIDE_NUMS = [0, 1, -1, 2, 3, 7, -7, 10, 255, 1000, 2 ** 31, 2 ** 53 - 1, 2 ** 53 + 1, -2 ** 53, 2 ** 63,
                 10 ** 20, -10 ** 20, 10 ** 30, 0.0, -0.0, 0.1, 0.2, 0.3, 0.5, 1.5, -2.5, 2.675, 1e15, 1e16, 1e17,
                 1e21, 1e22, 1.5e300, 1e-4, 1e-5, 1e-7, 5e-324, 123.456, 1.0 / 3, 2.0 / 3, 100.0, 3.0, 7.5,
                 1.7976931348623157e308, 4.35, 0.30000000000000004, 9007199254740993.0, 12345678901234567890.0]
    WIDE_STRS = ["", "a", "b", "A", "Z", "abc", "ab", "Abc", "aBC", "x y", " 7", "7 ", "1", "10", "-5", "+5", "1.5",
                 "1e3", "1E3", "0x10", "1_000", "007", "1.", ".5", "inf", "-inf", "nan", "Infinity", "\u0661\u0662",
                 "\u00e9", "e\u0301", "\u65e5\u672c", "\U0001F600", "\u00df", "\t3\n", "True", "None", "a,b", "'q'",
                 '"q"', "\\", "1 2", "--1", "1e400", "3.0", "2.50"]
    WIDE_DATES = ["2015-03-04 05:06:07", "2015-03-04", "2015/03/04", "03/04/2015", "04/03/15", "4 March 2015",
                  "March 4, 2015 10:00 PM", "Mar 4 2015 5pm", "2015-03-04T05:06:07Z", "2015-03-04T05:06:07.123456",
                  "2015-03-04T05:06:07.5+05:30", "20150304", "20150304T050607", "2015-03-04 05:06:07 UTC",
                  "Wed, 04 Mar 2015 05:06:07 GMT", "2016-02-29", "2015-02-29", "2000-01-01 00:00:00",
                  "1900-01-01", "1899-12-31 23:59:59", "9999-12-31 23:59:59", "0001-01-01", "1970-01-01 00:00:01",
                  "2015-03-04 24:00:00", "2015-03-04 23:59:60", "2015-3-4 5:6:7", "2015-03-04 05:06:07.1234567",
                  "March 2015", "4th of March 2015", "2015-03", "2015.03.04", "04.03.2015", "2015 03 04",
                  "2015-03-04 05:06:07 +0200", "2015-03-04 5am", "noon", "", "not a date", "12", "0", "99",
                  "2015-13-45", "Sept 9 2019", "2019-09-09 09:09:09.000001"]
    WIDE_DELTAS = [0, 1, -1, 60, 86400, -86400, 0.5, 1.5, 1e6, 10 ** 10, "1", "1:0", "1:0:0", "0:0:0:1",
                   "0:0:0:0:1", "1:2:3:4:5", "1:2:3:4:5:6", "", "a", "-1:0", "1.5:0", " 2", 3600.25, "1e3"]
    WIDE_IPS = ["10.0.0.1", "10.0.0.2", "10.0.0.255", "10.0.1.0", "10.0.0.0/24", "10.0.0.1/24", "10.0.0.0/8",
                "10.0.0.0/32", "10.0.0.0/0", "0.0.0.0", "255.255.255.255", "192.168.1.1", "192.168.001.001",
                "::1", "::", "2001:db8::1", "2001:DB8::1", "2001:db8::/32", "2001:db8::/64", "2001:db8::1/128",
                "::ffff:10.0.0.1", "::10.0.0.1", "fe80::1%eth0", "8.0.0.0/7", "9.1.0.0/16", "10", "10.1",
                "10.0.0.1/33", "10.0.0.0/255.255.255.0", " 10.0.0.1", "bogus", "", "10.0.0.256", "0.0.0.0/0",
                "1.2.3.4/31", "172.16.0.0/12", "172.31.255.255", 167772161]
    WIDE_REGEX = ["", "^a", "^b", "a", "abc$", "^[a-z]+$", "\\d+", "^\\d+$", "[A-Z]", "(?i)^abc", "a{2,3}",
                  "^\\w+$", "^\\s*$", "(a|b)c", "[^abc]", "\\bx\\b", "a(?=b)", "(?P<n>a)(?P=n)", "^.$",
                  "^..$", "\\S+\\s\\S+", "[", "a**", "(?<=a)b", "^\\u00e9", "\\A\\d", "\\d\\Z", "x*"]

    def wide_pool(self, name, position):
        if name.startswith("validate_string"):
            if position == 0:
                return self.WIDE_REGEX
            if position == 1:
                return ["", 0, 1, 2, 3, 5, 10, "3", -1, 2.5, None]
            if position in (2, 3):
                return [True, False, "", 0, 1, "True", "yes", None]
            return self.WIDE_STRS + self.WIDE_NUMS[:12]
        if name in ("validate_int", "validate_float"):
            if position < 2:
                return ["", 0, 1, 5, 10, -3, 2.5, "5", None, 10 ** 20]
            return self.WIDE_NUMS[:30] + self.WIDE_STRS
        if name.startswith("pack_"):
            return [0, 1, 2, 3, 4, 5, 12, 13, 23, 24, 29, 30, 31, 59, 60, 99, 1900, 2015, 2016, 9999, 10000, -1,
                    0.5, 2.0, "5", "x", 10 ** 20]
        if name in ("datetime_plus", "datetime_minus") and position == 1:
            return self.WIDE_DELTAS
        if name.startswith("datetime") or name.startswith("unpack") or name.startswith("extract"):
            return self.WIDE_DATES + [0, 1, 2015, 1.5]
        if name.startswith("ip") or name.startswith("network"):
            return self.WIDE_IPS
        return self.WIDE_NUMS + self.WIDE_STRS

    def wide_value(self, name, position):
        return self.choice(self.wide_pool(name, position))

    @staticmethod
    def huge_repeat(name, row):
        """A string times a large int: gigabytes in Python (and in ours), so never generated."""
        return name == "mul" and any(isinstance(v, str) for v in row) and \
            any(isinstance(v, int) and not isinstance(v, bool) and abs(v) > 1000 for v in row)

    def g_builtin_wide(self, tag):
        r = self.r
        name, width, inputs = self.choice(self.BUILTIN_FAMILIES[tag])
        ins = ["a%d" % i for i in range(inputs)]
        outs = ["o%d" % i for i in range(width - inputs)]
        rows = []
        seen = set()
        for _ in range(r.randint(60, 160)):
            row = [self.wide_value(name, i) for i in range(inputs)]
            if any(v is None or isinstance(v, bool) for v in row) or self.huge_repeat(name, row):
                continue
            k = json.dumps(row)
            if k not in seen:
                seen.add(k)
                rows.append(row)
        rules = ["b(%s) :- q(%s), %s(%s)" % (", ".join(ins + outs), ", ".join(ins), name, ", ".join(ins + outs))]
        queries = ["b(%s)" % ", ".join(ins + outs)]
        if outs:
            rules.append("ok(%s) :- q(%s), %s(%s)" % (", ".join(ins), ", ".join(ins), name, ", ".join(ins + outs)))
            rules.append("fail(%s) :- q(%s), not ok(%s)" % (", ".join(ins), ", ".join(ins), ", ".join(ins)))
            queries.append("fail(%s)" % ", ".join(ins))
        # the builtin queried directly, constants written as literals (booleans and None as their names)
        for _ in range(r.randint(5, 15)):
            args = []
            vals = [self.wide_value(name, i) for i in range(inputs)]
            if self.huge_repeat(name, vals):
                continue
            for v in vals:
                args.append(self.lit(v) if not (v is None or isinstance(v, bool)) else str(v))
            queries.append("%s(%s)" % (name, ", ".join(args + outs)))
        return {"tags": [tag, "types"], "rules": rules, "facts": {"q": rows}, "queries": queries}

    def g_arity(self):
        r = self.r
        stmts = []
        for _ in range(r.randint(3, 7)):
            t = self.choice(["p", "q", "r"])
            w = r.randint(0, 3)
            if r.random() < 0.5:
                stmts.append("%s(%s)" % (t, ", ".join(str(r.randint(1, 3)) for _ in range(w))))
            else:
                b = self.choice(["q", "r", "s", "other:t"])
                bw = r.randint(1, 3)
                stmts.append("%s(%s) :- %s(%s)" % (t, ", ".join(["x"] * min(w, 1) + ["1"] * max(0, w - 1)), b,
                                                   ", ".join(["x"] + ["y%d" % i for i in range(bw - 1)])))
        ds = {}
        if r.random() < 0.4:
            ds = {"src": {"schema": {"t": ["a", "b"]}, "data": {"t": [[1, 2], [3, 4]]}, "late": r.random() < 0.5}}
            stmts.append("u(x) :- src:t(x)")
            stmts.append("v(x) :- src:t(x, y, z)")
            stmts.append("w(x) :- src:t(a=x)")
        queries = ["p(x)", "p(x, y)", "q(x)", "q(x, y)", "r(x)", "u(x)", "w(x)"]
        return {"tags": ["arity", "schema", "errors"], "mode": self.choice(["api", "runtime"]),
                "policies": {"other": "nonrecursive"}, "datasources": ds, "rules": stmts, "queries": queries,
                "rows": ["p", "q", "r"]}

    def g_multi(self):
        r = self.r
        pols = {"b": "nonrecursive", "c": self.choice(["nonrecursive", "action", "materialized"])}
        rules = [{"policy": "b", "rule": "bq(x) :- bf(x)"},
                 "p(x) :- b:bq(x)",
                 "p2(x) :- b:bf(x), not c:cf(x)",
                 {"policy": "c", "rule": "cr(x) :- alpha:p(x)"},
                 "p3(x) :- nosuch:t(x)",
                 "p4(x) :- b:p(x)"]
        if r.random() < 0.3:
            rules.append({"policy": "nosuch", "rule": "z(1)"})
        if r.random() < 0.3:
            rules.append("b:z(1)")
        if r.random() < 0.3:
            rules.append({"policy": "b", "rule": "loop(x) :- alpha:p3(x)"})
            rules.append("p5(x) :- b:loop(x)")
        facts = {"b:bf": self.small_rows(1, 3), "c:cf": self.small_rows(1, 2)}
        if r.random() < 0.3:
            facts["d:df"] = [[1]]
        delp = []
        if r.random() < 0.5:
            delp = [self.choice(["b", "c", "nosuch", "classification", "action"])]
        queries = ["p(x)", "p2(x)", "p3(x)", "p4(x)", {"query": "cr(x)", "policy": "c"},
                   {"query": "bq(x)", "policy": "b"}, {"query": "q(x)", "policy": "nosuch"}, "b:bq(x)"]
        return {"tags": ["multi-policy"], "policies": pols, "rules": rules, "facts": facts,
                "delete_policies": delp, "queries": queries, "rows": ["p", "b:bq", {"table": "bq", "policy": "b"}]}

    def g_modal(self):
        r = self.r
        rules = r.sample(["execute[p(x)] :- q(x)", "execute[nova:servers.pause(x)] :- q(x)",
                          "execute[p(x, y)] :- q(x), r(y)", "insert[p(x)] :- q(x)", "delete[p(x)] :- q(x)",
                          "p(x) :- execute[q(x)]", "p(x) :- q(x), execute[r(x)]", "execute[q(x)] :- q(x)",
                          "r(x) :- p(x)", "execute[p(1)]", "execute[nova:p(x)], r(x) :- q(x)",
                          "execute[lt(x, 1)] :- q(x)", "execute[p(x)] :- q(x), not r(x)",
                          "execute[classification:p(x)] :- q(x)", "p(x) :- q(x)"], r.randint(2, 5))
        return {"tags": ["modal/execute"], "mode": self.choice(["api", "runtime"]), "rules": rules,
                "facts": {"q": [[1], [2]], "r": [[2]]},
                "queries": ["execute[p(x)]", "p(x)", "execute[nova:servers.pause(x)]", "execute[p(x, y)]",
                            "execute[q(x)]", "execute[p(1)]"], "rows": ["p", "q"]}

    def g_action(self):
        r = self.r
        rules = r.sample(["p(x, y) :- q(x)", "action(\"set\")", "p+(x, y) :- set(x, y)",
                          "p-(x, y) :- set(x, z), p(x, y)", "nova:p+(x) :- q(x)", "nova:p(x) :- q(x)",
                          "lt(x, y) :- q(x)", "r(x) :- q(x), not s(y)", "execute[p(x)] :- q(x)",
                          "insert[p(x)] :- q(x)", "t(x) :- q(x), lt(x, y)"], r.randint(2, 6))
        return {"tags": ["action-policy"], "kind": "action", "rules": rules, "facts": {"q": [[1], [2]]},
                "queries": ["p(x, y)", "action(x)", "p+(x, y)", "r(x)", "t(x)"]}

    def g_simulate(self):
        r = self.r
        base = ["p(101, 0)", "p(202, \"abc\")", "p(302, 9)",
                "error(x) :- p(x, val1), p(x, val2), not equal(val1, val2)", "error(x) :- p(x, 9)"]
        acts = [{"policy": "acts", "rule": x} for x in [
            "action(\"set\")", "action(\"create\")", "action(\"update\")",
            "p+(x,y) :- set(x,y)", "p-(x,oldy) :- set(x,y), p(x,oldy)",
            "p+(id, val) :- create(val)", "result(x) :- create(val), p+(x, val)",
            "p+(id, val) :- update(id, val)", "p-(id, val) :- update(id, newval), p(id, val)"]]
        seqs = ["p+(101, 5)", "p+(101, 5) p-(101, 0)", "p+(101, 9) p-(101, 0)", "set(101, 5)",
                "set(101, 9) set(202, 9) set(302, 1)", "set(101, 9) p+(202, 7)", "set(101, 5)", "p(1, 2)", "",
                "create(0) update(x, 1) :- result(x)", "set(x, 1)", "p+(x, 1)", "error-(x) :- p(x, 9)",
                "error+(x) :- p(x, 0)", "alpha:p+(1, 1)", "nosuch:p+(1, 1)", "set(101, 5), set(202, 5) :- true",
                "p+(1.0, 1) p-(1, 1)", "unknown(1)", "p+(101 5)"]
        queries = ["error(x)", "p(x, y)", "error(101)", "hasval(x) :- p(x, 1)", "p(x, y) p(y, x)", "q(", "error+(x)"]
        sims = []
        for _ in range(r.randint(1, 4)):
            sims.append({"query": self.choice(queries), "action_policy": self.choice(["acts", "acts", "action", "nosuch"]),
                         "sequence": self.choice(seqs), "delta": r.random() < 0.4})
            if r.random() < 0.1:
                sims[-1]["policy"] = self.choice(["acts", "nosuch"])
        return {"tags": ["simulate", "action-policy"], "policies": {"acts": "action"}, "rules": base + acts,
                "simulate": sims, "queries": ["error(x)", "p(x, y)"]}

    def g_delete(self):
        r = self.r
        rules = ["p(x) :- q(x)", "p(x) :- r(x)", "q(1)", "q(2)", "s(x, y) :- q(x), r(y)"]
        seq = list(rules)
        for _ in range(r.randint(1, 4)):
            seq.insert(r.randint(0, len(seq)), {"op": "delete", "rule": self.choice(
                rules + ["q(3)", "p(y) :- q(y)", "p(x) :- q(x", "s(x, y) :- r(y), q(x)", "q(1, 2)", "", "nosuch(1)"]),
                "policy": self.choice(["alpha", "alpha", "nosuch"])})
            if r.random() < 0.3:
                seq.append(self.choice(["q(1, 2)", "p(x, y) :- q(x, y)", "t(x) :- p(x)", "q(1)"]))
        deletes = r.sample(["q(1)", "p(x) :- r(x)", "r(2)", "q(x", "q(9)", "", "s(x, y) :- q(x), r(y)", "q(1) q(2)"],
                           r.randint(0, 3))
        return {"tags": ["delete"], "mode": self.choice(["api", "runtime"]), "rules": seq,
                "facts": {"r": [[2], [3]]}, "deletes": deletes, "queries": ["p(x)", "q(x)", "s(x, y)", "t(x)"],
                "rows": ["p", "q", "r"]}

    def g_datasource(self):
        r = self.r
        ds = {"nova": {"schema": {"servers": NOVA_SERVERS[:4]},
                       "data": {"servers": [["s1", "a", "h", "ACTIVE"], ["s2", "b", "h", "ERROR"]]}},
              "keystone": {"schema": {"users": KEYSTONE_USERS},
                           "data": {"users": [["al", "Al", True, "t1", "u1", None], ["bo", "Bö", False, "t2", "u2", 5]]}}}
        updates = []
        for _ in range(r.randint(1, 4)):
            row = ["s%d" % r.randint(1, 5), self.choice(["a", "b", "ü"]), "h", self.choice(["ACTIVE", "ERROR", True, None, 3.5])]
            if r.random() < 0.15:
                row = row[:r.randint(1, 3)]
            if r.random() < 0.1:
                row = row + ["extra"]
            u = {"datasource": self.choice(["nova", "nova", "nosuch"]), "table": self.choice(["servers", "servers", "other"]),
                 "add": [row] if r.random() < 0.8 else [], "del": [["s1", "a", "h", "ACTIVE"]] if r.random() < 0.3 else []}
            updates.append(u)
        rules = ["bad(i) :- nova:servers(id=i, status=\"ERROR\")", "all(i, s) :- nova:servers(i, n, h, s)",
                 "en(u) :- keystone:users(username=u, enabled=\"True\")", "em(u, e) :- keystone:users(username=u, email=e)",
                 {"policy": "nova", "rule": "x(1)"}]
        return {"tags": ["datasource", "types", "unicode"], "datasources": ds, "rules": rules,
                "datasource_updates": updates, "queries": ["bad(i)", "all(i, s)", "en(u)", "em(u, e)"],
                "rows": ["bad", "nova:servers", {"table": "servers", "policy": "nova"},
                         {"table": "nosuch", "policy": "nova"}, {"table": "users", "policy": "keystone"}]}

    def g_unicode(self):
        r = self.r
        words = ["Jürgen", "李雷", "café", "naïve", "emoji😀", "ß", "plain", "Ω", "e\u0301"]
        rules = ["p(x) :- name(x)", "l(x, n) :- name(x), len(x, n)", "c(x, y) :- name(x), concat(x, \"!\", y)",
                 "u(\"%s\")" % self.choice(words), "%s(x) :- name(x)" % self.choice(["é", "ä", "x"]),
                 "lt1(x) :- name(x), lt(x, \"m\")"]
        return {"tags": ["unicode", "types"], "rules": rules, "facts": {"name": [[w] for w in r.sample(words, 4)]},
                "queries": ["p(x)", "l(x, n)", "c(x, y)", "u(x)", "lt1(x)", "name(\"%s\")" % self.choice(words)],
                "rows": ["p", "u"]}

    def g_recursion(self):
        r = self.r
        rules = r.sample(["p(x) :- p(x)", "p(x) :- q(x)", "q(x) :- p(x)", "q(x) :- r(x), not p(x)",
                          "r(x) :- s(x)", "s(x) :- r(x)", "t(x) :- b:u(x)", {"policy": "b", "rule": "u(x) :- alpha:t(x)"},
                          "execute[p(x)] :- q(x)", "execute[r(x)] :- r(x)", "v(x) :- w(x)", "w(x) :- v2(x)"],
                         r.randint(2, 6))
        if r.random() < 0.3:
            rules.append({"op": "delete", "rule": self.choice(["p(x) :- q(x)", "r(x) :- s(x)"])})
            rules.append(self.choice(["q(x) :- p(x)", "s(x) :- r(x)"]))
        return {"tags": ["recursion", "errors"], "policies": {"b": "nonrecursive"}, "kind": self.choice(
            ["nonrecursive", "nonrecursive", "action", "materialized"]), "rules": rules,
            "facts": {"q": [[1]], "s": [[2]]}, "queries": ["p(x)", "q(x)", "r(x)", "s(x)", "t(x)"]}

    def g_kinds(self):
        r = self.r
        kind = self.choice(["materialized", "database"])
        rules = r.sample(["p(x) :- q(x)", "p(x) :- q(x), not r(x)", "q(1)", "q(2)", "r(2)", "s(x, y) :- q(x), q(y)",
                          "t(x) :- q(x), plus(x, 1, y), gt(y, 2)", "p(5)", "q(x) :- r(x)"], r.randint(2, 6))
        return {"tags": [kind], "kind": kind, "mode": "runtime" if kind == "database" else self.choice(["api", "runtime"]),
                "rules": rules, "facts": {"r": [[3]]} if kind == "materialized" else {},
                "queries": ["p(x)", "q(x)", "s(x, y)", "t(x)", "r(x)"]}

    def g_types(self):
        r = self.r
        vals = [1, 1.0, 2, 2.0, "1", "1.0", 10 ** 20, 1e20, 2 ** 53 + 1, 0.1 + 0.2, -0.0, 0, 1e16, 1.5e-7, 12345678901234567890]
        facts = {"q": [[self.choice(vals)] for _ in range(4)], "r": [[self.choice(vals)] for _ in range(3)]}
        rules = ["a(x) :- q(x), r(x)", "b(x) :- q(x), equal(x, 1)", "c(x) :- q(x), not r(x)",
                 "d(%s)" % self.lit(self.choice(vals)), "d(%s)" % self.lit(self.choice(vals))]
        return {"tags": ["types", "quirk"], "rules": rules, "facts": facts,
                "queries": ["a(x)", "b(x)", "c(x)", "d(x)", "q(1)", "q(1.0)", "q(x)"], "rows": ["q", "d"]}

    def g_policy(self):
        r = self.r
        name = self.choice(["alpha", "a-b", "a b", "1abc", "Ünï", "builtin", "classification", "action", "x:y",
                            "a.b", "_x", "", "ok_name"])
        kind = self.choice(["nonrecursive", "NonRecursive", "action", "bogus", "z3", "database", "materialized",
                            "datasource"])
        return {"tags": ["policy", "errors", "api"], "policy": name, "kind": kind,
                "mode": "runtime" if kind == "database" else "api",
                "policies": {self.choice(["beta", "bad name", "classification"]): "nonrecursive"},
                "rules": ["p(1)", "q(x) :- p(x)", {"policy": "beta", "rule": "z(1)"}],
                "queries": ["q(x)", {"query": "z(x)", "policy": "beta"}], "rows": ["q", "nosuch"],
                "delete_policies": r.sample(["beta", "classification", "nosuch"], r.randint(0, 2))}

    def g_facts(self):
        r = self.r
        facts = self.choice([
            ["q(1)", "q(2)", "r(x)", "nova:s(1)", "lt(1, 2)"],
            ["q(1)", {"policy": "beta", "fact": "t(1)"}, "q(1, 2)"],
            ["q(1)", "q(", "q(3)"],
            {"q": [[1], [1, 2]], "beta:t": [[1]]},
            {"q": [[1], [2]], "nosuch:t": [[5]]},
            ["p(1) :- true", "q(1)"],
        ])
        return {"tags": ["errors", "schema"], "policies": {"beta": "nonrecursive"}, "rules": ["p(x) :- q(x)"],
                "facts": facts, "queries": ["p(x)", "q(x)", {"query": "t(x)", "policy": "beta"}], "rows": ["q"]}

    def g_query(self):
        """Query forms: constants of each type, repeated variables, rule queries, prefixes, builtins."""
        r = self.r
        vals = [1, 1.0, 2, "1", "a", 2.5, 0, -1]
        facts = {"q": [[self.choice(vals), self.choice(vals)] for _ in range(5)], "r": [[self.choice(vals)] for _ in range(3)],
                 "beta:t": [[self.choice(vals)] for _ in range(2)]}
        rules = ["p(x, y) :- q(x, y)", "z() :- r(x)", "u(x) :- beta:t(x)", "v(x) :- q(x, x)"]
        qs = ["q(%s, y)" % self.lit(self.choice(vals)), "q(x, x)", "q(x, %s)" % self.lit(self.choice(vals)), "p(x, y)",
              "z", "z()", "z(x)", "beta:t(x)", "u(x)", "v(x)", "r(%s)" % self.lit(self.choice(vals)),
              "a(x) :- q(x, y), not r(y)", "a(x, y) :- q(x, y), lt(x, y)", "a(x) :- beta:t(x), r(x)",
              "a(x) :- q(x, y), plus(x, 1, y)", "plus(1, 2, x)", "plus(1, 2, 3)", "plus(1, 2, 4)", "lt(1, 2)",
              "concat(\"a\", \"b\", x)", "not r(1)", "q(x, y), r(x)", "a(x) :- r(x), r(x)", "execute[p(x, y)]",
              "p+(x, y)", "nosuch(x)", "nosuch:t(x)", "q(x, y) :- q(x, y)", "a :- r(x)", "a(x) :- true",
              "a(x) :- r(x), true", "a(x) :- r(x), false", "len(\"abc\", n)", "q(x)", "q(x, y, z)",
              "a(x) :- q(x, _), r(_)", "beta:t(1)", "a(y) :- r(x)", "r(x) q(x, y)", ""]
        queries = r.sample(qs, 8) + [{"query": self.choice(["t(x)", "t(1)", "a(x) :- t(x)"]), "policy": "beta"}]
        return {"tags": ["query", "basic", "types"], "policies": {"beta": "nonrecursive"}, "rules": rules,
                "facts": facts, "queries": queries}

    def g_rows(self):
        r = self.r
        rules = r.sample(["p(x) :- q(x, y)", "execute[e(x)] :- q(x, y)", "z :- q(x, y)", "w(x) :- beta:t(x)",
                          "n(x) :- q(x, y), not m(y)", "k(x) :- nova:servers(id=x)", "f(1, 2)", "f(3.5, \"a\")"],
                         r.randint(2, 6))
        ds = {"nova": {"schema": {"servers": ["id", "status"]}, "data": {"servers": [["s1", "ACTIVE"], ["s2", 1.5]]}}}
        tables = ["p", "q", "e", "z", "w", "n", "m", "k", "f", "beta:t", "nova:servers", "t", "nosuch", "lt",
                  "execute", "p+", "nova:nosuch", ""]
        rows = r.sample(tables, 7) + [{"table": self.choice(["t", "servers", "q"]),
                                      "policy": self.choice(["beta", "nova", "classification", "nosuch"])}]
        return {"tags": ["rows"], "policies": {"beta": "nonrecursive"}, "datasources": ds, "rules": rules,
                "facts": {"q": [[1, 2], [2, 3]], "beta:t": [[4]]}, "rows": rows}

    def g_arith_deep(self):
        r = self.r
        pool = [0, 1, -1, 3, 7, -7, 2 ** 53, 2 ** 53 + 1, 10 ** 20, 2 ** 63, 1.5, -2.5, 0.1, 1e300, 1e-300, 3.0,
                "3", "a", "", "ab", "1.5", " 2"]
        name = self.choice(["plus", "minus", "mul", "div", "max", "float", "int", "concat", "len", "lt", "equal"])
        width = {"float": 2, "int": 2, "len": 2, "lt": 2, "equal": 2}.get(name, 3)
        inputs = {"float": 1, "int": 1, "len": 1}.get(name, 2)
        rows = [[self.choice(pool) for _ in range(inputs)] for _ in range(6)]
        ins = ["a%d" % i for i in range(inputs)]
        outs = ["o%d" % i for i in range(width - inputs)]
        rules = ["b(%s) :- q(%s), %s(%s)" % (", ".join(ins + outs), ", ".join(ins), name, ", ".join(ins + outs)),
                 "c(%s) :- q(%s), %s(%s), %s" % (", ".join(ins + outs), ", ".join(ins), name, ", ".join(ins + outs),
                                                  "plus(%s, 1, k)" % (outs[0] if outs else ins[0]))]
        q = "%s(%s)" % (name, ", ".join([self.lit(self.choice(pool)) for _ in ins] + outs))
        return {"tags": ["builtins-arith", "types"], "rules": rules, "facts": {"q": rows},
                "queries": ["b(%s)" % ", ".join(ins + outs), "c(%s)" % ", ".join(ins + outs), q]}

    def g_ds_late(self):
        """Late schemas, parked rules (runtime mode), complete schemas, name clashes, delta edge cases."""
        r = self.r
        ds = {"nova": {"schema": {"servers": ["id", "status", "tenant"]},
                       "data": {"servers": [["s1", "ACTIVE", "t1"], ["s2", "ERROR", "t2"]]},
                       "late": r.random() < 0.6, "complete": r.random() < 0.3}}
        if r.random() < 0.2:
            ds["alpha"] = {"schema": {"t": ["a"]}, "data": {"t": [[1]]}}
        if r.random() < 0.3:
            ds["neutron"] = {"schema": {"ports": [{"name": "id"}, {"name": "tenant"}]}, "data": {"ports": [["p1", "t1"]]},
                             "late": r.random() < 0.5}
        rules = r.sample(["bad(i) :- nova:servers(id=i, status=\"ERROR\")", "ok(i) :- nova:servers(i, \"ACTIVE\", t)",
                          "n(i) :- nova:servers(id=i), not nova:servers(id=i, status=\"ERROR\")",
                          "x(i) :- nova:nosuch(id=i)", "y(i) :- nova:nosuch(i)", "w(i) :- nova:servers(i)",
                          "v(i) :- nova:servers(i, s, t, u)", "pp(p) :- neutron:ports(id=p, tenant=t), nova:servers(tenant=t)",
                          "z(i) :- nova:servers(1=i)", {"op": "delete", "rule": "bad(i) :- nova:servers(id=i, status=\"ERROR\")"},
                          "m(i) :- other:servers(id=i)"], r.randint(2, 6))
        updates = [{"datasource": "nova", "table": "servers",
                    "add": [self.choice([["s3", "ERROR", "t1"], ["s4", "ACTIVE"], ["s5", "ERROR", "t3", "x"], ["s1", "ACTIVE", "t1"]])],
                    "del": [self.choice([["s1", "ACTIVE", "t1"], ["s9", "ERROR", "t9"], ["s2"]])] if r.random() < 0.5 else []}
                   for _ in range(r.randint(0, 3))]
        return {"tags": ["datasource", "schema", "column-refs"], "mode": self.choice(["api", "runtime", "runtime"]),
                "datasources": ds, "rules": rules, "datasource_updates": updates,
                "queries": ["bad(i)", "ok(i)", "n(i)", "x(i)", "y(i)", "w(i)", "v(i)", "pp(p)", "z(i)", "m(i)"],
                "rows": ["bad", "nova:servers", {"table": "servers", "policy": "nova"}]}

    def g_sim2(self):
        r = self.r
        rules = ["p(1)", "p(2)", "q(x) :- p(x), not r(x)", {"policy": "beta", "rule": "b(5)"},
                 "s(x) :- beta:b(x)", {"policy": "nova", "rule": "srv(\"a\")"}] if False else [
                 "p(1)", "p(2)", "q(x) :- p(x), not r(x)", {"policy": "beta", "rule": "b(5)"}, "s(x) :- beta:b(x)",
                 {"policy": "acts", "rule": "action(\"kill\")"}, {"policy": "acts", "rule": "p-(x) :- kill(x)"},
                 {"policy": "acts", "rule": "r+(x) :- kill(x), p(x)"},
                 {"policy": "acts", "rule": "beta:b+(x) :- kill(x)"}]
        seqs = ["r+(1)", "p-(1)", "r+(1) r-(1)", "q-(x) :- p(x), not r(x)", "q+(x) :- p(x)", "beta:b+(6)", "beta:b-(5)",
                "kill(1)", "kill(2) kill(1)", "kill(7)", "t+(x) :- p(x)", "p+(3) r+(3)", "s+(9)", "nova:servers+(\"x\")",
                "p+(\"a\") p-(\"a\")", "kill(1), kill(2) :- true", "kill(x) :- p(x)", "r+(1.0)", "p-(1.0)"]
        queries = ["q(x)", "p(x)", "s(x)", "r(x)", "z(x) :- q(x), p(x)", "beta:b(x)", "t(x)", "q(1)"]
        sims = [{"query": self.choice(queries), "action_policy": self.choice(["acts", "acts", "action"]),
                 "sequence": " ".join(r.sample(seqs, r.randint(1, 2))), "delta": r.random() < 0.5}
                for _ in range(r.randint(1, 4))]
        return {"tags": ["simulate", "multi-policy"], "policies": {"beta": "nonrecursive", "acts": "action"},
                "rules": rules, "simulate": sims, "queries": ["q(x)", "s(x)"]}

    def g_negation_multi(self):
        r = self.r
        rules = r.sample(["p(x) :- q(x), not beta:t(x)", "p2(x) :- q(x), not beta:u(x)", {"policy": "beta", "rule": "u(x) :- t(x)"},
                          "p3(x) :- q(x), not nova:servers(id=x)", "p4(x) :- q(x), not nova:servers(x, \"ERROR\")",
                          "p5(x) :- q(x), not p(x)", "p6(x, y) :- q(x), q(y), not equal(x, y)",
                          "p7(x) :- q(x), not lt(x, 2)", "p8(x) :- q(x), not plus(x, 1, 3)", "p9(x) :- q(x), not beta:nosuch(x)",
                          "p10(x) :- q(x), not nosuch:t(x)"], r.randint(3, 7))
        return {"tags": ["negation", "multi-policy"], "policies": {"beta": "nonrecursive"},
                "datasources": {"nova": {"schema": {"servers": ["id", "status"]},
                                         "data": {"servers": [[1, "ERROR"], [2, "ACTIVE"]]}}},
                "rules": rules, "facts": {"q": [[1], [2], [3]], "beta:t": [[2]]},
                "queries": ["p(x)", "p2(x)", "p3(x)", "p4(x)", "p5(x)", "p6(x, y)", "p7(x)", "p8(x)", "p9(x)", "p10(x)"]}

    def g_parse_fuzz(self):
        """Random token soups: whether a text is accepted, and its code, must agree."""
        r = self.r
        frags = ["p", "q", "(", ")", "x", ",", ":-", " ", "not", "1", "1.5", "\"s\"", "'t'", ":", ".", ";", "e5", "_",
                 "[", "]", "execute", "nova", "-", "+", "//c\n", "#c\n", "/*c*/", "\n", "X", "0", "1e", "ü", "=", "!",
                 "true", "NOT", "AND", "a.b", "\t", "\"", "9", "()", "p(x)", "q(x)", ":- q(x)"]
        rules = []
        for _ in range(r.randint(3, 8)):
            rules.append("".join(self.choice(frags) for _ in range(r.randint(1, 9))))
        return {"tags": ["parse", "errors"], "rules": rules, "queries": ["p(x)", "q(x)", "p", "p(x, y)"]}

    def g_width_delete(self):
        """Inferred widths and dependency edges freed by deletes, across policies (spec 6.4, README step 4)."""
        r = self.r
        stmts = ["p(x) :- q(x, y)", "q(1, 2)", "q(1)", "p(1, 2)", "o:b(1)", "r(x) :- o:b(x, y)", "s(x) :- o:b(x)",
                 "t(x) :- q(x, y), not u(x)", "u(x) :- t(x)", "u(1)", "v() :- q(x, y)", "v(1)", "w(x) :- p(x)",
                 "p(x) :- r(x)"]
        seq = []
        for _ in range(r.randint(4, 10)):
            st = self.choice(stmts)
            if r.random() < 0.35:
                seq.append({"op": "delete", "rule": st})
            elif st.startswith("o:"):
                seq.append({"policy": "o", "rule": st[2:]})
            else:
                seq.append(st)
        return {"tags": ["arity", "delete", "multi-policy"], "mode": self.choice(["api", "runtime"]),
                "policies": {"o": "nonrecursive"}, "rules": seq, "facts": {"q": [[1, 2]], "o:b": [[3]]},
                "queries": ["p(x)", "q(x, y)", "r(x)", "s(x)", "t(x)", "u(x)", "v", "w(x)", {"query": "b(x)", "policy": "o"}],
                "rows": ["p", "q", "u", {"table": "b", "policy": "o"}]}

    def g_colref_multi(self):
        """Several column-reference literals per rule: fresh-variable names by body rank (5.6), duplicates."""
        r = self.r
        lits = ["nova:servers(id=x)", "nova:servers(id=x, status=\"ERROR\")", "nova:servers(x)", "nova:servers(x, y)",
                "not nova:servers(id=x, status=\"ACTIVE\")", "nova:flavors(id=f)", "nova:servers(flavor=f, id=x)",
                "nova:servers(2=f)", "not nova:flavors(id=f)", "q(x)", "q(x, y)", "not q(y)", "beta:t(x)",
                "beta:t(id=x)", "lt(x, 3)", "nova:servers(id=y)"]
        rules = []
        for _ in range(r.randint(2, 5)):
            body = r.sample(lits, r.randint(1, 4))
            if r.random() < 0.3:
                body = body + [body[0]]
            head = self.choice(["p(x)", "p(x, f)", "p(x, y)", "h(x)", "nova:servers(id=x)", "p(id=x)"])
            rules.append("%s :- %s" % (head, ", ".join(body)))
            if r.random() < 0.3:
                rules.append("%s :- %s" % (head, ", ".join(reversed(body))))
        return {"tags": ["column-refs", "safety", "errors"], "mode": self.choice(["api", "api", "runtime"]),
                "policies": {"beta": "nonrecursive"},
                "datasources": {"nova": {"schema": {"servers": ["id", "status", "flavor"], "flavors": ["id", "ram"]},
                                         "data": {"servers": [["s1", "ERROR", "f1"], ["s2", "ACTIVE", "f2"]],
                                                  "flavors": [["f1", 512]]}}},
                "rules": rules, "facts": {"q": [["s1"], ["s3"]], "beta:t": [["s1"]]},
                "queries": ["p(x)", "p(x, y)", "h(x)", "z(x) :- p(x)"], "rows": ["p", "h"]}

    def g_incremental(self):
        """A larger random program, queried first (ours materializes then) and then changed by
        several simulates: their answers exercise incremental maintenance and rollback."""
        r = self.r
        rules, facts, queries, heads = self.program(neg=True, builtins=True, n_rules=r.randint(6, 14))
        for t in ("q", "s"):
            facts[t] = self.small_rows(2, r.randint(3, 12), domain=(1, 2, 3, 4, 5))
        facts["r"] = self.small_rows(1, r.randint(1, 4), domain=(1, 2, 3, 4, 5))
        sims = []
        for _ in range(r.randint(2, 5)):
            ups = []
            for _ in range(r.randint(1, 4)):
                t = self.choice(["q", "s", "r"])
                w = 1 if t == "r" else 2
                ups.append("%s%s(%s)" % (t, self.choice("+-"), ", ".join(str(r.randint(1, 5)) for _ in range(w))))
            if heads and r.random() < 0.2:
                ups.append("%s-(%s) :- %s" % (self.choice(rules).split("(")[0], "x", "q(x, y)") if False else "")
            sims.append({"query": self.choice(queries) if queries else "q(x, y)", "action_policy": "action",
                         "sequence": " ".join(u for u in ups if u), "delta": r.random() < 0.5})
        return {"tags": ["simulate", "negation", "join", "scale"], "rules": rules, "facts": facts,
                "queries": queries, "rows": heads, "simulate": sims}

    # -- realistic operator policies (tag `realistic`) --------------------
    NEUTRON_NETWORKS = ["id", "tenant_id", "name", "status", "admin_state_up", "shared"]
    NEUTRON_SUBNETS = ["id", "tenant_id", "network_id", "cidr", "gateway_ip", "ip_version"]
    NEUTRON_FIXED_IPS = ["port_id", "ip_address", "subnet_id"]
    KEYSTONE3_USERS = ["id", "name", "enabled", "domain_id", "default_project_id"]
    CIDRS = ["10.0.0.0/24", "10.0.1.0/24", "10.0.0.0/16", "192.168.0.0/24", "172.16.0.0/12", "0.0.0.0/0",
             "2001:db8::/64", "10.0.0.128/25"]

    def realistic_data(self, n_srv=None, n_port=None):
        """Small random clouds: ids from short domains so joins hit, values of every type the drivers publish."""
        r = self.r
        n_srv, n_port = n_srv or r.randint(2, 7), n_port or r.randint(1, 6)
        tenants = ["t1", "t2", "t3"]
        users = ["u1", "u2", "u3", "u4"]
        servers = [["s%d" % i, "vm-%d" % i, "h%d" % r.randint(1, 3), self.choice(["ACTIVE", "ERROR", "SHUTOFF", "BUILD"]),
                    self.choice(tenants), self.choice(users), self.choice(["img-ubuntu", "img-centos", "img-rogue", None]),
                    self.choice(["f1", "f2", "f3"]), self.choice(["nova", "az2"]), "compute%d" % r.randint(1, 3),
                    self.choice(["2020-01-05 10:00:00", "2020-02-29 23:59:59", "2019-12-24 00:00:00", "2020-03-10 12:00:00"])]
                   for i in range(n_srv)]
        flavors = [["f1", "m1.small", 1, 2048, 20, 0, 1.0], ["f2", "m1.large", 4, 8192, 80, 0, self.choice([1.0, 1.5])],
                   ["f3", "m1.xlarge", 8, self.choice([16384, 16384.0, "16384"]), 160, 10, 2.5]]
        nets = [["n1", "t1", "private-t1", "ACTIVE", True, False], ["n2", "t2", "private-t2", "ACTIVE", True, False],
                ["n3", "admin", "public", "ACTIVE", True, True], ["n4", "t3", "private-t3", "DOWN", self.choice([False, None]), False]]
        ports = [["p%d" % i, self.choice(tenants + ["admin"]), "", self.choice(["n1", "n2", "n3", "n4"]),
                  "fa:16:3e:00:00:%02d" % i, self.choice(["True", True]), self.choice(["ACTIVE", "DOWN"]),
                  self.choice(["s%d" % j for j in range(n_srv)] + ["r1"]),
                  self.choice(["compute:nova", "compute:nova", "network:router_gateway", "network:dhcp"])]
                 for i in range(n_port)]
        subnets = [["sub%d" % i, self.choice(tenants), self.choice(["n1", "n2", "n3"]), c,
                    c.split("/")[0][:-1] + "1" if ":" not in c else "2001:db8::1", 6 if ":" in c else 4]
                   for i, c in enumerate(r.sample(self.CIDRS, r.randint(1, 4)))]
        fixed = [[p[0], self.choice(["10.0.0.5", "10.0.1.7", "192.168.0.9", "172.20.1.1", "8.8.8.8", "2001:db8::5"]),
                  self.choice([s[0] for s in subnets])] for p in ports]
        kusers = [[u, "user-%s" % u, self.choice([True, False, True]), "default", self.choice(tenants + [None])]
                  for u in r.sample(users, r.randint(1, 4))]
        return servers, flavors, nets, ports, subnets, fixed, kusers

    def g_realistic(self, n_srv=None, n_port=None):
        r = self.r
        servers, flavors, nets, ports, subnets, fixed, kusers = self.realistic_data(n_srv, n_port)
        dict_schema = r.random() < 0.25

        def sch(cols):
            return [{"name": c} for c in cols] if dict_schema else list(cols)
        ds = {"nova": {"schema": {"servers": sch(NOVA_SERVERS), "flavors": sch(NOVA_FLAVORS)},
                       "data": {"servers": servers, "flavors": flavors}},
              "neutronv2": {"schema": {"ports": sch(NEUTRON_PORTS), "networks": sch(self.NEUTRON_NETWORKS),
                                       "subnets": sch(self.NEUTRON_SUBNETS), "ports.fixed_ips": sch(self.NEUTRON_FIXED_IPS)},
                            "data": {"ports": ports, "networks": nets, "subnets": subnets, "ports.fixed_ips": fixed}},
              "keystonev3": {"schema": {"users": sch(self.KEYSTONE3_USERS)}, "data": {"users": kusers}}}
        num = not dict_schema
        pool = [
            "error(vm) :- nova:servers(id=vm, status=\"ERROR\")",
            "vm_net(vm, net) :- neutronv2:ports(device_id=vm, network_id=net, device_owner=\"compute:nova\")",
            "foreign(vm, net) :- nova:servers(id=vm, tenant_id=t), vm_net(vm, net), "
            "neutronv2:networks(id=net, tenant_id=o, shared=\"False\"), not equal(t, o)",
            "big(vm, r) :- nova:servers(id=vm, flavor_id=f), nova:flavors(id=f, ram=r), gteq(r, 8192)",
            "fast(f) :- nova:flavors(id=f, rxtx_factor=x), gt(x, 1)",
            "disabled_owner(vm) :- nova:servers(id=vm, user_id=u), keystonev3:users(id=u, enabled=\"False\")",
            "known_user(u) :- keystonev3:users(id=u)",
            "orphan(vm) :- nova:servers(id=vm, user_id=u), not known_user(u)",
            "orphan2(vm) :- nova:servers(id=vm, user_id=u), not keystonev3:users(id=u)",
            "bad_image(vm, i) :- nova:servers(id=vm, image_id=i), not image_ok(i)",
            "no_image(vm) :- nova:servers(id=vm, image_id=\"None\")",
            "in_subnet(ip, s) :- neutronv2:ports.fixed_ips(ip_address=ip, subnet_id=s), neutronv2:subnets(id=s, cidr=c), "
            "ip_in_network(ip, c)",
            "stray_ip(p, ip) :- neutronv2:ports.fixed_ips(port_id=p, ip_address=ip, subnet_id=s), "
            "neutronv2:subnets(id=s, cidr=c), not ip_in_network(ip, c)",
            "overlap(a, b) :- neutronv2:subnets(id=a, cidr=c1), neutronv2:subnets(id=b, cidr=c2), lt(a, b), "
            "networks_overlap(c1, c2)",
            "public_ip(ip) :- neutronv2:ports.fixed_ips(ip_address=ip), not ip_in_network(ip, \"10.0.0.0/8\"), "
            "not ip_in_network(ip, \"192.168.0.0/16\"), not ip_in_network(ip, \"172.16.0.0/12\")",
            "old(vm) :- nova:servers(id=vm, created_at=d), datetime_lt(d, \"2020-03-01 00:00:00\")",
            "label(vm, l) :- nova:servers(id=vm, name=n, zone=z), concat(n, \"@\", t), concat(t, z, l)",
            "srv(i, s) :- nova:servers(i, n, h, s)",
            "down_net_vm(vm) :- vm_net(vm, net), neutronv2:networks(net, t, n, \"DOWN\")",
            "admin_down(n) :- neutronv2:networks(id=n, admin_state_up=\"False\")",
            "host_load(h, vm) :- nova:servers(id=vm, host_id=h, status=\"ACTIVE\")",
            "crowded(h) :- host_load(h, a), host_load(h, b), lt(a, b)",
            "quota_user(u, p) :- keystonev3:users(id=u, default_project_id=p), not equal(p, \"None\")",
            "v6(s) :- neutronv2:subnets(id=s, ip_version=6)",
            "v4(s) :- neutronv2:subnets(id=s, ip_version=4.0)",
            "wrong_tenant(p) :- neutronv2:ports(id=p, tenant_id=t, device_id=vm), nova:servers(id=vm, tenant_id=t2), "
            "not equal(t, t2)",
        ]
        if num:
            pool += ["az(vm, z) :- nova:servers(0=vm, 8=z)", "ram(f, m) :- nova:flavors(0=f, ram=m)",
                     "ports_on(n, p) :- neutronv2:ports(p, 3=n)"]
        rules = r.sample(pool, r.randint(3, 8))
        heads = sorted({ru.split("(")[0] for ru in rules})
        # rules read tables other rules define; include their definitions so they are not empty
        for dep, defn in (("vm_net", pool[1]), ("known_user", pool[6]), ("host_load", pool[20])):
            if any(dep + "(" in ru.split(":-")[1] for ru in rules) and defn not in rules:
                rules.insert(0, defn)
        heads = sorted({ru.split("(")[0] for ru in rules})
        arity = {}
        for ru in rules:
            h = ru.split(" :- ")[0]
            arity[h.split("(")[0]] = h.count(",") + 1
        facts = {}
        if any("image_ok" in ru for ru in rules):
            facts["image_ok"] = [[i] for i in r.sample(["img-ubuntu", "img-centos", "None"], r.randint(1, 2))]
        if r.random() < 0.4:
            rules.append({"policy": "classification",
                          "rule": "error(x) :- alpha:%s" % self.choice(["error(x)", "foreign(x, n)", "orphan(x)",
                                                                          "big(x, r)", "nosuch(x)"])})
        queries = []
        for h in heads:
            queries.append("%s(%s)" % (h, ", ".join("v%d" % i for i in range(arity[h]))))
        # queries with constants (each type) and repeated variables
        for _ in range(r.randint(1, 4)):
            h = self.choice(heads)
            a = arity[h]
            args = ["v%d" % i for i in range(a)]
            k = r.randrange(a)
            args[k] = self.choice(['"s1"', '"s2"', '"n1"', '"p1"', "8192", "8192.0", '"8192"', '"10.0.0.5"', "v0",
                                   '"None"', '"vm-1@nova"', "1", "1.0"])
            queries.append("%s(%s)" % (h, ", ".join(args)))
        queries += self.choice([
            ["nova:flavors(i, n, c, r, d, e, x)", "nova:flavors(i, n, c, 8192, d, e, x)", "nova:flavors(i, n, c, r, d, e, 1)"],
            ["nova:servers(id=x)", "nova:servers(i, n, h, s, t, u, m, f, z, hn, c)"],
            ["neutronv2:networks(i, t, n, s, a, \"True\")", "neutronv2:networks(i, i, n, s, a, sh)",
             "keystonev3:users(i, n, \"True\", d, p)"],
            ["z(vm) :- nova:servers(id=vm), not error(vm)" if "error" in heads else "z(x) :- nova:servers(x)",
             "z(n) :- nova:servers(0=n)"],
            [{"query": "error(x)", "policy": "classification"}],
        ])
        updates = []
        for _ in range(r.randint(0, 3)):
            t = self.choice(["servers", "servers", "ports", "users"])
            if t == "servers":
                row = ["s%d" % r.randint(0, 9), "vm-x", "h1", self.choice(["ERROR", "ACTIVE"]), self.choice(["t1", "t2"]),
                       "u9", "img-rogue", "f3", "nova", "compute1", "2019-01-01 00:00:00"]
                dsn, old = "nova", (servers[0] if servers else None)
            elif t == "ports":
                row = ["p9", "t1", "", "n2", "fa:16:3e:00:00:99", True, "ACTIVE", "s0", "compute:nova"]
                dsn, old = "neutronv2", (ports[0] if ports else None)
            else:
                row = ["u9", "user-u9", False, "default", "t1"]
                dsn, old = "keystonev3", (kusers[0] if kusers else None)
            updates.append({"datasource": dsn, "table": t, "add": [row] if r.random() < 0.8 else [],
                            "del": [old] if old and r.random() < 0.5 else []})
        sims = []
        if r.random() < 0.35:
            q = queries[0] if isinstance(queries[0], str) else "error(x)"
            sims.append({"query": q, "action_policy": "action", "delta": r.random() < 0.5,
                         "sequence": self.choice(["nova:servers+(\"s8\", \"vm-8\", \"h1\", \"ERROR\", \"t1\", \"u1\", "
                                                  "\"img-rogue\", \"f3\", \"nova\", \"compute1\", \"2019-01-01 00:00:00\")",
                                                  "nova:servers-(%s)" % ", ".join(self.lit(v if v is not None else "None")
                                                                                  for v in servers[0]),
                                                  "keystonev3:users+(\"u1\", \"x\", \"False\", \"default\", \"t1\")"])})
        rows = r.sample(heads, min(len(heads), 3)) + self.choice([["nova:servers"], [{"table": "flavors", "policy": "nova"}],
                                                                   [{"table": "ports.fixed_ips", "policy": "neutronv2"}],
                                                                   ["neutronv2:subnets"], []])
        out = {"tags": ["realistic", "datasource", "column-refs", "join", "negation"], "datasources": ds,
               "rules": rules, "facts": facts, "datasource_updates": updates, "queries": queries, "rows": rows}
        if sims:
            out["simulate"] = sims
        if r.random() < 0.15:
            out["mode"] = "runtime"
        return out

    # -- literal formats, mixed-type tables, constant queries (tag `types`/`query`) --
    def g_literals(self):
        """Facts written in every literal form (atom strings and JSON rows), mixed-type columns, and
        queries whose constants are written in other forms of the same value (spec 2.3, 2.4, 8.3, 10.1)."""
        r = self.r
        num_forms = ["1", "1.0", "1e0", "10e-1", "0.1e1", "01", "0.0", "0", "2.50", "2.5", "25e-1", "1e20", "1e+20",
                     "100000000000000000000", "9007199254740993", "3.14159", "1.5e300", "1e-7", "0.000001", "1E2"]
        str_forms = ['"1"', "'1'", '"a"', "'a'", '"a b"', '""', "''", '"a\\"b"', '"x\\ny"', '"\\\\"',
                     '"1.0"', '"True"', '"None"', '"é"', "'say \"hi\"'"]
        # forms the grammar rejects (negative literals, an escaped quote closing the string): rare, since
        # one of them rejects the whole fact batch
        bad_forms = ["-1", "-0.0", "1.", "'it\\'s'"]
        forms = num_forms + str_forms

        def form():
            return self.choice(bad_forms) if r.random() < 0.03 else self.choice(forms)
        facts_list = []
        for _ in range(r.randint(3, 7)):
            w = self.choice([1, 2, 2])
            facts_list.append("%s(%s)" % ("q" if w == 1 else "m", ", ".join(form() for _ in range(w))))
        json_vals = [1, 1.0, 0, 0.0, -0.0, 2.5, "1", "a", "", 10 ** 20, 1e20, 2 ** 53 + 1, 0.1, True, None]
        ds_rows = [[self.choice(json_vals), self.choice(json_vals)] for _ in range(r.randint(2, 5))]
        rules = ["qq(x) :- q(x)", "eq(x, y) :- m(x, y), equal(x, y)", "same(x) :- m(x, x)",
                 "dsj(x) :- src:t(x, y), q(y)", "dsq(x, y) :- src:t(x, y)", "neg(x) :- q(x), not src:t(x, x)",
                 "c1(x) :- m(x, %s)" % form()]
        rules = r.sample(rules, r.randint(3, len(rules)))
        rules += r.sample(facts_list, min(len(facts_list), r.randint(0, 3)))
        if r.random() < 0.5:
            facts = facts_list
        else:
            facts = {"q": [[self.choice(json_vals[:12])] for _ in range(3)],
                     "m": [[self.choice(json_vals[:12]), self.choice(json_vals[:12])] for _ in range(3)]}
        queries = ["q(x)", "m(x, y)", "m(x, x)"]
        for _ in range(r.randint(3, 7)):
            t = self.choice(["q", "m", "qq", "same", "dsq", "src:t"])
            w = 1 if t in ("q", "qq", "same") else 2
            args = [form() if r.random() < 0.7 else self.choice(["x", "y"]) for _ in range(w)]
            queries.append("%s(%s)" % (t, ", ".join(args)))
        queries += [ru.split(" :- ")[0] if " :- " in ru else ru for ru in rules
                    if ru.split("(")[0] in ("eq", "same", "dsj", "dsq", "neg", "c1")]
        if r.random() < 0.4:
            queries.append("z(x) :- m(x, y), q(y), %s" % self.choice(["lt(x, 2)", "equal(y, 1)", "not q(x)",
                                                                      "plus(x, 1, y)", "equal(x, \"1\")"]))
        return {"tags": ["types", "parse", "query", "quirk"], "mode": self.choice(["api", "api", "runtime"]),
                "datasources": {"src": {"schema": {"t": ["a", "b"]}, "data": {"t": ds_rows}}},
                "rules": rules, "facts": facts, "queries": queries,
                "rows": ["q", "m", "dsq", {"table": "t", "policy": "src"}, "src:t"]}

    # -- random programs spread over several policies (tag `multi-policy`) --
    def g_cross(self):
        """A random nonrecursive program whose tables live in three policies and a datasource, with
        prefixed references, negation across policies, cycles through other policies (rejected: the
        recursion ban is global), deletes of rules and policies, and prefixed queries and rows (5.4, 6.6, 8.6)."""
        r = self.r
        pols = ["alpha", "beta", "gamma"]
        # one constant type per case: the original sorts body literals by their arguments, and a string
        # meeting an integer there is a Python TypeError (no reference answer)
        c1, c2 = self.choice([("1", "2"), ('"s1"', '"s2"')])
        edb = {("alpha", "q"): 2, ("beta", "bq"): 1, ("gamma", "gq"): 2, ("nova", "servers"): 3}
        idb = []
        seq = []
        for _ in range(r.randint(3, 9)):
            pol = self.choice(pols)
            head = self.choice(["h0", "h1", "h2", "h3"])
            known = [w for (p, h), w in idb if p == pol and h == head]
            width = known[0] if known else r.randint(1, 2)
            avail = list(edb.items()) + [k for k in idb if k[0] != (pol, head)]
            body, bound = [], []
            for _ in range(r.randint(1, 3)):
                (tp, t), w = self.choice(avail)
                args = [self.choice(["x", "y", "z", c1, c2]) for _ in range(w)]
                if r.random() < 0.1 and w > 1:
                    args = args[:-1]  # short literal: padded from the schema, or a width conflict
                bound += [a for a in args if a in ("x", "y", "z")]
                prefix = "" if tp == pol and r.random() < 0.7 else tp + ":"
                body.append("%s%s(%s)" % (prefix, t, ", ".join(args)))
            if bound and r.random() < 0.4:
                (tp, t), w = self.choice(avail)
                body.append("not %s%s(%s)" % ("" if tp == pol else tp + ":", t,
                                               ", ".join(self.choice(bound) for _ in range(w))))
            hargs = [self.choice(bound or [c1]) for _ in range(width)]
            rule = "%s(%s) :- %s" % (head, ", ".join(hargs), ", ".join(body))
            seq.append(rule if pol == "alpha" else {"policy": pol, "rule": rule})
            if not known:
                idb.append(((pol, head), width))
        for _ in range(r.randint(0, 2)):
            victim = self.choice(seq)
            seq.insert(r.randint(0, len(seq)), {"op": "delete", "rule": victim if isinstance(victim, str) else victim["rule"],
                                                "policy": "alpha" if isinstance(victim, str) else victim["policy"]})
        facts = {"q": self.small_rows(2, r.randint(1, 4), domain=(1, 2, "s1")),
                 "beta:bq": self.small_rows(1, r.randint(1, 3), domain=(1, 2, "s1")),
                 "gamma:gq": self.small_rows(2, r.randint(0, 3), domain=(1, 2, "s1"))}
        queries, rows = [], []
        for (p, h), w in idb:
            vs = ", ".join("v%d" % i for i in range(w))
            if p == "alpha":
                queries.append("%s(%s)" % (h, vs))
            queries.append({"query": "%s(%s)" % (h, vs), "policy": self.choice([p, "alpha"]) if p != "alpha" else "beta"})
            if p != "alpha" and r.random() < 0.5:
                queries.append("%s:%s(%s)" % (p, h, vs))
            if r.random() < 0.5:
                rows.append(self.choice(["%s:%s" % (p, h), {"table": h, "policy": p}, h]))
        if idb and r.random() < 0.4:
            # an execution trigger keeps the tables it reads maintained through the later changes
            (p, h), w = self.choice(idb)
            vs = ", ".join("v%d" % i for i in range(w))
            rule = "execute[x_%s(%s)] :- %s%s(%s)" % (h, vs, "" if p == "alpha" else p + ":", h, vs)
            seq.insert(0, rule)
            queries.append("execute[x_%s(%s)]" % (h, vs))
        if r.random() < 0.4:
            queries.append("z(x) :- beta:bq(x), not %s" % self.choice(["gamma:gq(x, x)", "q(x, 1)", "nova:servers(x, y, z)"]))
        out = {"tags": ["multi-policy", "negation", "recursion"], "mode": self.choice(["api", "api", "runtime"]),
               "policies": {"beta": "nonrecursive", "gamma": self.choice(["nonrecursive", "nonrecursive", "action"])},
               "datasources": {"nova": {"schema": {"servers": ["id", "name", "status"]},
                                        "data": {"servers": [["s1", "a", "ERROR"], [1, "b", "ACTIVE"], [2, 1, "s1"]]}}},
               "rules": seq, "facts": facts, "queries": queries, "rows": rows}
        if r.random() < 0.3:
            out["delete_policies"] = [self.choice(["beta", "gamma"])]
        if r.random() < 0.4:
            # after the queries have read the tables: changes to every policy's base tables
            alpha_q = [q for q in queries if isinstance(q, str)]
            out["simulate"] = [{"query": self.choice(alpha_q) if alpha_q else "q(x, y)", "action_policy": "action",
                                "delta": r.random() < 0.5,
                                "sequence": " ".join(self.sim_update(c1, c2) for _ in range(r.randint(1, 3)))}
                               for _ in range(r.randint(1, 3))]
        return out

    def sim_update(self, c1, c2):
        t, w = self.choice([("q", 2), ("beta:bq", 1), ("gamma:gq", 2)])
        return "%s%s(%s)" % (t, self.choice("+-"), ", ".join(self.choice([c1, c2]) for _ in range(w)))

    # -- mid-size inputs (tag `scale`) -------------------------------------
    def g_scale(self):
        """Realistic policies over a cloud of a few hundred servers and ports, with up to about 110
        rules (many of them one-literal whitelist facts and shallow rules, as operators write them),
        datasource deltas, and simulates after the derived tables were first read. Shallow on
        purpose: the original evaluates top-down without tabling, deep programs do not finish."""
        r = self.r
        case = self.g_realistic(n_srv=r.randint(100, 300), n_port=r.randint(50, 200))
        rules = case["rules"]
        extra = []
        for i in range(r.randint(0, 90)):
            k = r.random()
            if k < 0.4:
                extra.append("flavor_ok(\"f%d\")" % r.randint(1, 40))
            elif k < 0.7:
                extra.append("watch%d(vm) :- nova:servers(id=vm, host_id=\"h%d\", status=\"%s\")"
                             % (i % 7, r.randint(1, 3), self.choice(["ACTIVE", "ERROR", "SHUTOFF", "BUILD"])))
            else:
                extra.append("tenant_vm%d(vm) :- nova:servers(id=vm, tenant_id=\"t%d\"), not error(vm)"
                             % (i % 5, r.randint(1, 3)))
        if any("not error(vm)" in x for x in extra) and not any(isinstance(x, str) and x.startswith("error(")
                                                               for x in rules):
            extra.append("error(vm) :- nova:servers(id=vm, status=\"ERROR\")")
        extra.append("odd_flavor(vm, f) :- nova:servers(id=vm, flavor_id=f), not flavor_ok(f)")
        rules = rules + extra
        heads = sorted({x.split("(")[0] for x in extra if ":-" in x})
        case["rules"] = rules
        case["queries"] = case["queries"] + ["%s(%s)" % (h, "vm, f" if h == "odd_flavor" else "vm") for h in heads]
        case["tags"] = ["scale", "datasource", "column-refs", "realistic"]
        case.pop("mode", None)
        return case

    # -- execute triggers watching a changing program (tags `modal/execute`, `delete`) --
    def g_exec_changes(self):
        """`execute[...]` rules over derived tables come first, so the server's execution triggers
        watch those tables through every later change: rule inserts and deletes, re-inserts, the fact
        batch, datasource deltas, deletes and a policy deletion (spec 15.2, 11). The queries at the
        end read the tables after all of it."""
        r = self.r
        rules, facts, queries, heads = self.program(neg=True, builtins=True, n_rules=r.randint(4, 10))
        widths = {}
        for q in queries:
            widths[q.split("(")[0]] = q.count("v")
        seq = list(rules)
        for _ in range(r.randint(1, 4)):
            victim = self.choice(rules)
            pos = r.randint(seq.index(victim) + 1, len(seq))
            seq.insert(pos, {"op": "delete", "rule": victim})
            if r.random() < 0.5:
                seq.insert(r.randint(pos + 1, len(seq)), victim)
        execs = []
        for h in r.sample(heads, min(len(heads), r.randint(1, 2))):
            vs = ", ".join("v%d" % i for i in range(widths[h]))
            execs.append("execute[e_%s(%s)] :- %s(%s)" % (h, vs, h, vs))
        if r.random() < 0.4:
            execs.append("execute[nova:servers.pause(x)] :- nova:servers(id=x, status=\"ERROR\"), r(x)")
            rules.append("bad(x) :- nova:servers(id=x, status=\"ERROR\"), not r(x)")
            seq.append(rules[-1])
            heads.append("bad")
            queries.append("bad(v0)")
        if r.random() < 0.3:
            seq.append("mirror(x) :- beta:t(x), r(x)")
            execs.append("execute[e_mirror(x)] :- mirror(x)")
            queries.append("mirror(v0)")
        seq = execs + seq
        deletes = []
        for _ in range(r.randint(0, 3)):
            t = self.choice(["q", "r", "s"])
            rows = facts[t]
            if rows and r.random() < 0.7:
                deletes.append("%s(%s)" % (t, ", ".join(str(v) for v in self.choice(rows))))
            else:
                deletes.append(self.choice(rules))
        queries += ["execute[%s" % e.split("execute[")[1].split("] :-")[0] + "]" for e in execs]
        out = {"tags": ["modal/execute", "delete", "negation"], "mode": self.choice(["api", "api", "runtime"]),
               "policies": {"beta": "nonrecursive"},
               "datasources": {"nova": {"schema": {"servers": ["id", "status"]},
                                        "data": {"servers": [[1, "ERROR"], [2, "ACTIVE"], [3, "ERROR"]]}}},
               "rules": seq, "facts": dict(facts, **{"beta:t": self.small_rows(1, 2)}),
               "datasource_updates": [{"datasource": "nova", "table": "servers",
                                       "add": [[self.choice([1, 2, 3, 4]), self.choice(["ERROR", "ACTIVE"])]],
                                       "del": [[self.choice([1, 2, 3]), self.choice(["ERROR", "ACTIVE"])]]}
                                      for _ in range(r.randint(0, 2))],
               "deletes": deletes, "queries": queries, "rows": heads}
        if r.random() < 0.3:
            out["delete_policies"] = ["beta"]
        if r.random() < 0.3:
            # the datasource arrives after the rules: its full load replaces tables the triggers watch
            out["datasources"]["nova"]["late"] = True
        if r.random() < 0.5:
            # simulated changes on top of the maintained tables, rolled back after each entry
            out["simulate"] = [{"query": self.choice(queries), "action_policy": "action", "delta": r.random() < 0.5,
                                "sequence": " ".join("%s%s(%s)" % (t, self.choice("+-"), ", ".join(
                                    str(r.randint(1, 4)) for _ in range(w)))
                                    for t, w in [self.choice([("q", 2), ("r", 1), ("s", 2)])
                                                 for _ in range(r.randint(1, 4))])}
                               for _ in range(r.randint(1, 3))]
        return out

    def generators(self):
        g = {
            "basic": self.g_basic, "negation": self.g_negation, "safety": self.g_safety, "parse": self.g_parse,
            "column-refs": self.g_colrefs, "arity": self.g_arity, "multi-policy": self.g_multi,
            "modal/execute": self.g_modal, "action-policy": self.g_action, "simulate": self.g_simulate,
            "delete": self.g_delete, "datasource": self.g_datasource, "unicode": self.g_unicode,
            "recursion": self.g_recursion, "materialized-database": self.g_kinds, "types": self.g_types,
            "policy": self.g_policy, "facts": self.g_facts, "query": self.g_query, "rows": self.g_rows,
            "arith-deep": self.g_arith_deep, "ds-late": self.g_ds_late, "simulate2": self.g_sim2,
            "negation-multi": self.g_negation_multi, "parse-fuzz": self.g_parse_fuzz,
            "width-delete": self.g_width_delete, "colref-multi": self.g_colref_multi,
            "incremental": self.g_incremental,
            "realistic": self.g_realistic, "literals": self.g_literals, "cross-policy": self.g_cross,
            "scale": self.g_scale, "exec-changes": self.g_exec_changes,
        }
        for tag in self.BUILTIN_FAMILIES:
            g[tag] = (lambda t: lambda: self.g_builtin(t))(tag)
            g[tag + "-wide"] = (lambda t: lambda: self.g_builtin_wide(t))(tag)
        return g


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--per-tag", type=int, default=20)
    ap.add_argument("--tags", default="")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    gens = Gen(rng).generators()
    wanted = [t for t in a.tags.split(",") if t] or list(gens)
    out = []
    for tag in wanted:
        for i in range(min(a.per_tag, MAX_PER_TAG)):
            c = gens[tag]()
            c = dict({"name": "gen-%s-%d-s%d" % (tag.replace("/", "-"), i, a.seed)}, **c)
            out.append(c)
    json.dump(out, __import__("sys").stdout, ensure_ascii=False, indent=None)


if __name__ == "__main__":
    main()
