#!/usr/bin/env python3
"""Differential oracle: runs conformance-format cases on the ORIGINAL OpenStack Congress engine.

Usage: run_case.py CASES.json [--src DIR] > results.json

Mirrors the steps of shared/conformance/README.md with the original's own code
(congress.policy_engines.agnostic.Runtime). The persistence layer (database,
synchronizer, message bus) is not loaded; the API paths that go through it
(POST/DELETE of rules, DELETE of policies) are re-enacted from
agnostic.Runtime.persistent_insert_rules / persistent_delete_rule and
congress/api/rule_model.py, calling the same engine methods in the same order.

Run-time patches (no change to the original's logic) are listed in README.md
and marked PATCH below.
"""
import collections
import collections.abc
import json
import os
import sys
import types

SRC = os.environ.get('CONGRESS_SRC', '/work/oracle-src')
if '--src' in sys.argv:
    SRC = sys.argv[sys.argv.index('--src') + 1]

# PATCH 1: Python 3.10 removed the ABC aliases from `collections`.
for _n in ('Mapping', 'MutableMapping', 'MutableSet', 'Set', 'Sequence',
           'Iterable', 'Hashable', 'Callable', 'MutableSequence'):
    if not hasattr(collections, _n):
        setattr(collections, _n, getattr(collections.abc, _n))

# PATCH 2: congress/__init__.py asks pbr for the package version, which needs
# an installed distribution or a git checkout; pbr honours PBR_VERSION.
os.environ.setdefault('PBR_VERSION', '11.0.0')

sys.path.insert(0, SRC)


def _stub(name, **attrs):
    mod = types.ModuleType(name)
    mod.__dict__.update(attrs)
    sys.modules[name] = mod
    parent, _, child = name.rpartition('.')
    if parent and parent in sys.modules:
        setattr(sys.modules[parent], child, mod)
    return mod


# PATCH 3: modules of the persistence and messaging layers that agnostic.py
# imports but the engine itself never calls on the paths used here (database,
# synchronizer, DSE2 bus, z3). They are replaced by empty stand-ins.
import congress  # noqa: E402
import congress.db  # noqa: E402,F401
import congress.dse2  # noqa: E402,F401
import congress.synchronizer  # noqa: E402,F401
import congress.z3  # noqa: E402,F401
_stub('congress.db.api')
_stub('congress.db.db_policy_rules')
_stub('congress.dse2.data_service', DataService=object)
_stub('congress.synchronizer.policy_rule_synchronizer')
_stub('oslo_messaging')
_stub('oslo_messaging.exceptions')


class _NoZ3Theory(object):
    pass


_stub('congress.z3.z3theory', Z3Theory=_NoZ3Theory,
      cycle_not_contained_in_z3=lambda *a: True)
_stub('congress.z3.z3types', Z3_AVAILABLE=False)

import logging  # noqa: E402
logging.disable(logging.CRITICAL)

from congress.datalog import base  # noqa: E402
from congress.datalog import compile  # noqa: E402
from congress import exception  # noqa: E402
from congress.policy_engines import agnostic  # noqa: E402
from congress import utils  # noqa: E402

# PATCH 4: the parser's event-statement path (insert[...]/delete[...]) prints
# syntax trees on stdout, which would corrupt the JSON output. stdout is
# redirected to stderr while the engine runs; results are written at the end.
_REAL_STDOUT = sys.stdout
API_POLICY_DELETE = os.environ.get('CONGRESS_ORACLE_API_POLICY_DELETE') == '1'
API_DATASOURCE_KIND = os.environ.get('CONGRESS_ORACLE_API_DATASOURCE_KIND') == '1'


class Engine(agnostic.Runtime):
    """The original Runtime plus DseRuntime's execution-trigger maintenance.

    The server's engine (DseRuntime) registers a trigger per execute[] table
    after every update; the trigger queries run before and after each update.
    The callbacks (which would send RPCs to datasources) do nothing here.
    """
    name = '__engine'

    def _maintain_triggers(self):
        agnostic.DseRuntime._maintain_triggers(self)

    def _execute_table(self, theory, table, old, new):
        pass


def error_object(err, code=None):
    return {'error': str(err), 'type': type(err).__name__, 'code': code}


def err_code(err):
    # Only Congress exceptions carry an error-code name (AttributeError has a .name too).
    if not isinstance(err, exception.CongressException):
        return None
    name = getattr(err, 'name', None)
    return name if isinstance(name, str) else None


class Rejected(exception.PolicyException):
    """An update the engine refused by returning (False, errors): a normal rejection."""


def unmapped(err):
    """Why the original gives no reference answer for this error, or None when it does.

    Anything that is not a Congress exception is a Python crash; a Congress exception
    without an error-code name that escaped the update pipeline (rather than being
    returned as a rejection) is a late failure, e.g. quirk Q15 in action policies.
    """
    if not isinstance(err, exception.CongressException):
        return 'python ' + type(err).__name__
    if err_code(err) is None and not isinstance(err, Rejected):
        return 'raised ' + type(err).__name__
    return None


class Case(object):
    def __init__(self, c):
        self.c = c
        self.rt = Engine()
        self.policy = c.get('policy', 'alpha')
        self.kind = c.get('kind', 'nonrecursive')
        self.mode = c.get('mode', 'api')
        # policies that exist in the (emulated) database: every policy created
        # through the policy API. Datasource policies are not persisted, which
        # is what makes the API answer rule_not_permitted for them.
        self.persisted = set()

    # -- API emulation ---------------------------------------------------
    def api_insert_rule(self, policy_name, text):
        """agnostic.Runtime.persistent_insert_rules for one rule (rule_model.add_item)."""
        rt = self.rt
        # The real API refuses only policies missing from the database (datasource policies);
        # the README says "rules cannot be inserted into datasource policies", which also covers
        # a policy created with kind datasource through the policy API. The README wins; set
        # CONGRESS_ORACLE_API_DATASOURCE_KIND=1 for the API's behaviour.
        if policy_name in rt.theory and (
                policy_name not in self.persisted or
                (not API_DATASOURCE_KIND and
                 rt.theory[policy_name].kind == base.DATASOURCE_POLICY_TYPE)):
            raise exception.PolicyRuntimeException(name='rule_not_permitted')
        try:
            rule = rt.parse(text)
        except exception.PolicyException as e:
            raise exception.PolicyException(str(e), name='rule_syntax')
        if len(rule) == 0:
            raise exception.PolicyException(
                "Empty string passed. Not a valid rule", name='rule_syntax')
        elif len(rule) == 1:
            rule = rule[0]
        else:
            raise exception.PolicyRuntimeException(
                "Received multiple rules: " + "; ".join(str(x) for x in rule),
                name='multiple_rules')
        rule.set_id(compile.uuidutils.generate_uuid())
        rule.set_name(None)
        rule.set_comment("")
        rule.set_original_str(text)
        changes = self.safe_update([rule], policy_name, True, True)
        if len(changes) == 0:
            raise exception.PolicyRuntimeException(name='rule_already_exists')

    def api_delete_rule(self, policy_name, text):
        """persistent_delete_rule: the stored text is parsed and deleted."""
        try:
            rule = self.rt.parse1(text)
        except exception.PolicyException as e:
            raise exception.PolicyException(str(e), name='rule_syntax')
        self.safe_update([rule], policy_name, False, False)

    def safe_update(self, rules, policy_name, insert, persistent):
        """agnostic.Runtime._safe_process_policy_update, with its rejection marked as such."""
        rt = self.rt
        if policy_name not in rt.theory:
            raise exception.PolicyRuntimeException(
                'Policy ID %s does not exist' % policy_name, name='policy_not_exist')
        events = [compile.Event(formula=r, insert=insert, target=policy_name) for r in rules]
        permitted, changes = rt.process_policy_update(events, persistent=persistent)
        if not permitted:
            raise Rejected(";".join([str(x) for x in changes]), name='rule_syntax')
        return changes

    def create_policy(self, name, kind):
        if not compile.string_is_servicename(name):
            raise exception.PolicyException(
                "Policy name %s is not a valid tablename" % name)
        self.rt.create_policy(name, kind=kind)
        self.persisted.add(name)

    # -- steps -----------------------------------------------------------
    def run(self):
        c = self.c
        rt = self.rt
        res = {'name': c.get('name', ''), 'rule_errors': [], 'fact_errors': []}
        policy_errors = []
        ds_errors = []
        # 1-2
        for n, k in (('classification', 'nonrecursive'), ('action', 'action')):
            if n != self.policy:
                rt.create_policy(n, kind=k)
                self.persisted.add(n)
        policies = [(self.policy, self.kind)] + list((c.get('policies') or {}).items())
        for n, k in policies:
            try:
                self.create_policy(n, k)
            except Exception as e:
                d = error_object(e, err_code(e))
                d['policy'] = n
                policy_errors.append(d)
        # 3
        datasources = list((c.get('datasources') or {}).items())

        def setup_ds(name, spec):
            try:
                schema = spec.get('schema') or {}
                rt.create_policy(name, kind=base.DATASOURCE_POLICY_TYPE)
                rt.set_schema(name, schema, complete=spec.get('complete') is True)
                for table, rows in (spec.get('data') or {}).items():
                    # DseRuntime.receive_data_full
                    facts = [compile.Fact(table, utils.tuple_to_congress(r))
                             for r in rows]
                    rt.initialize_tables([table], facts, target=name)
            except Exception as e:
                d = error_object(e, err_code(e))
                d['datasource'] = name
                if not isinstance(e, exception.CongressException):
                    d['internal'] = unmapped(e)
                ds_errors.append(d)

        for n, spec in datasources:
            if not spec.get('late'):
                setup_ds(n, spec)
        # 4
        for index, entry in enumerate(c.get('rules') or []):
            target = self.policy
            op = 'insert'
            if isinstance(entry, dict):
                target = entry.get('policy', self.policy)
                text = entry.get('rule', '')
                op = entry.get('op', 'insert')
            else:
                text = entry
            try:
                if op == 'delete':
                    self.api_delete_rule(target, text)
                elif self.mode == 'runtime':
                    # Runtime.insert -> _insert_string, with the parse kept apart so
                    # that a parse error counts as an ordinary rejection.
                    try:
                        parsed = rt.parse(text)
                    except exception.PolicyException as e:
                        raise Rejected(str(e))
                    permitted, changes = rt._update_obj(
                        [compile.Event(formula=x, insert=True, target=target)
                         for x in parsed], target)
                    if not permitted:
                        raise Rejected(";".join(str(x) for x in changes))
                else:
                    self.api_insert_rule(target, text)
            except Exception as e:
                code = err_code(e)
                if code is None and self.mode != 'runtime' and isinstance(e, exception.CongressException):
                    code = 'rule_syntax'  # README: any other rejection gives rule_syntax
                res['rule_errors'].append({
                    'index': index, 'message': str(e),
                    'code': None if self.mode == 'runtime' else code})
                why = unmapped(e)
                if why is not None:
                    res['rule_errors'][-1]['internal'] = why
        for n, spec in datasources:
            if spec.get('late'):
                setup_ds(n, spec)
        # 5
        batches = collections.OrderedDict()
        facts = c.get('facts')
        if isinstance(facts, dict):
            for key, rows in facts.items():
                tgt, sep, table = key.partition(':')
                if not sep:
                    tgt, table = self.policy, key
                for r in rows:
                    batches.setdefault(tgt, []).append(
                        compile.Literal.create_from_table_tuple(table, r))
        elif isinstance(facts, list):
            for f in facts:
                tgt = f.get('policy', self.policy) if isinstance(f, dict) else self.policy
                text = f.get('fact', '') if isinstance(f, dict) else f
                try:
                    batches.setdefault(tgt, []).extend(rt.parse(text))
                except Exception as e:
                    res['fact_errors'].append({'policy': tgt, 'message': str(e),
                                               'code': 'rule_syntax'})
        for tgt, stmts in batches.items():
            try:
                if tgt not in rt.theory:
                    rt.create_policy(tgt, kind='nonrecursive')
                    self.persisted.add(tgt)
                events = [compile.Event(formula=s, insert=True, target=tgt)
                          for s in stmts]
                permitted, changes = rt.process_policy_update(events, persistent=True)
                if not permitted:
                    raise Rejected(";".join(str(x) for x in changes), name='rule_syntax')
            except Exception as e:
                res['fact_errors'].append({'policy': tgt, 'message': str(e),
                                           'code': err_code(e)})
                if unmapped(e) is not None:
                    res['fact_errors'][-1]['internal'] = unmapped(e)
        # 6: DseRuntime.receive_data (delta) -> receive_data_update
        update_errors = []
        for u in c.get('datasource_updates') or []:
            ds = u.get('datasource', '')
            table = u.get('table', '')
            try:
                events = []
                for row in u.get('del') or []:
                    events.append(compile.Event(
                        formula=compile.Literal.create_from_table_tuple(
                            table, utils.tuple_to_congress(row)), insert=False))
                for row in u.get('add') or []:
                    events.append(compile.Event(
                        formula=compile.Literal.create_from_table_tuple(
                            table, utils.tuple_to_congress(row)), insert=True))
                for ev in events:
                    ev.target = ds
                permitted, changes = rt.update(events)
                if not permitted:
                    raise Rejected(
                        "Update not permitted." + '\n'.join(str(x) for x in changes))
            except Exception as e:
                d = error_object(e, err_code(e))
                if unmapped(e) is not None:
                    d['internal'] = unmapped(e)
                d['datasource'] = ds
                update_errors.append(d)
        # 7
        delete_errors = []
        for index, d in enumerate(c.get('deletes') or []):
            tgt = d.get('policy', self.policy) if isinstance(d, dict) else self.policy
            text = d.get('rule', '') if isinstance(d, dict) else d
            try:
                self.api_delete_rule(tgt, text)
            except Exception as e:
                delete_errors.append({'index': index, 'message': str(e),
                                      'code': err_code(e)})
        # 8: Runtime.delete_policy, as the README words it ("their rules leave the dependency
        # graph"); with CONGRESS_ORACLE_API_POLICY_DELETE=1, persistent_delete_policy instead
        # (DELETE /v1/policies/<p>: unknown to the database or a default policy is refused).
        for p in c.get('delete_policies') or []:
            try:
                if API_POLICY_DELETE:
                    if p not in self.persisted:  # db_policy_rules.get_policy
                        raise KeyError("Policy Name or ID '%s' does not exist" % p)
                    if p in (rt.DEFAULT_THEORY, rt.ACTION_THEORY):
                        raise KeyError("Cannot delete system-maintained policy %s" % p)
                rt.delete_policy(p)
                self.persisted.discard(p)
            except Exception as e:
                d = error_object(e, err_code(e))
                d['policy'] = p
                policy_errors.append(d)
        # 9
        results = {}
        for q in c.get('queries') or []:
            if isinstance(q, dict):
                text = q.get('query', '')
                tgt = q.get('policy', self.policy)
                key = q.get('key', '%s::%s' % (tgt, text))
            else:
                text, tgt, key = q, self.policy, q
            try:
                theory = rt.get_target(tgt)
                parsed = rt.parse(text)
                if len(parsed) != 1:
                    raise exception.PolicyException(
                        "Queries can have only 1 statement: {}".format(
                            [str(x) for x in parsed]))
                results[key] = sorted(str(x) for x in rt._select_obj(parsed[0], theory, False))
            except Exception as e:
                results[key] = error_object(e)
                if not isinstance(e, exception.CongressException):
                    results[key]['internal'] = True
        res['results'] = results
        # 10
        rows = {}
        for r in c.get('rows') or []:
            if isinstance(r, dict):
                table = r.get('table', '')
                tgt = r.get('policy', self.policy)
                key = r.get('key', '%s::%s' % (tgt, table))
            else:
                table, tgt, key = r, self.policy, r
            try:
                data = rt.get_row_data(table, tgt)
                rows[key] = sorted((d['data'] for d in data), key=json.dumps)
            except Exception as e:
                rows[key] = error_object(e)
                if not isinstance(e, exception.CongressException):
                    rows[key]['internal'] = True
        res['rows'] = rows
        # 11: policy_model.simulate_action
        if isinstance(c.get('simulate'), list):
            sims = []
            for s in c['simulate']:
                try:
                    out = rt.simulate(s.get('query', ''), s.get('policy', self.policy),
                                      s.get('sequence', ''), s.get('action_policy', 'action'),
                                      delta=s.get('delta') is True, trace=False, as_list=True)
                    sims.append(sorted(out))
                except Exception as e:
                    d = error_object(e, 'simulate_error')
                    if not isinstance(e, exception.CongressException):
                        d['internal'] = True
                    sims.append(d)
            res['simulate_results'] = sims
        if policy_errors:
            res['policy_errors'] = policy_errors
        if ds_errors:
            res['datasource_errors'] = ds_errors
        if update_errors:
            res['datasource_update_errors'] = update_errors
        if 'deletes' in c:
            res['delete_errors'] = delete_errors
        return res


def json_safe(v):
    """JSON has no inf/nan: such floats (e.g. from 1e400) are written as their Python text."""
    if isinstance(v, float) and (v != v or v in (float('inf'), float('-inf'))):
        return {'nonfinite': repr(v)}
    if isinstance(v, list):
        return [json_safe(x) for x in v]
    if isinstance(v, dict):
        return {k: json_safe(x) for k, x in v.items()}
    return v


def run_one(c):
    try:
        return Case(c).run()
    except Exception as e:  # a crash of the harness itself, not a case answer
        return {'name': c.get('name', ''), 'crash': '%s: %s' % (type(e).__name__, e)}


def main():
    args = [a for i, a in enumerate(sys.argv[1:], 1)
            if a != '--src' and (i < 2 or sys.argv[i - 1] != '--src')]
    path = args[0] if args else '-'
    with (sys.stdin if path == '-' else open(path, encoding='utf-8')) as f:
        data = json.load(f)
    cases = data if isinstance(data, list) else [data]
    sys.stdout = sys.stderr
    out = [run_one(c) for c in cases]
    sys.stdout = _REAL_STDOUT
    json.dump(json_safe(out), sys.stdout, ensure_ascii=False, allow_nan=False)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
