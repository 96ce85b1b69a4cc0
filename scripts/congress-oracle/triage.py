#!/usr/bin/env python3
"""Sorts the diverging cases of oracle-compare reports by the known signatures of DIVERGENCES.md.

Usage: triage.py /tmp/congress-oracle/report-*.json

Prints the count per signature, then the cases no signature explains (new findings to read).
Heuristic: a signature is a cheap test on the case and the two answers, not a proof.
"""
import json, sys, collections, re
def sig(r):
  c=r['case']; o=r['original']; ours=r['ours']
  rules=[x if isinstance(x,str) else x.get('rule','') for x in c.get('rules',[])]
  txt=json.dumps(c)
  ms=' '.join(r['mismatches'])
  if any(re.search(r'\b[ur]"',x) or re.search(r"\b[ur]'",x) for x in rules): return 'KNOWN-string-prefix'
  if 'Rules are recursive' in json.dumps(o.get('rule_errors'))+json.dumps(o.get('fact_errors')) and ('Rules are recursive' in json.dumps(o.get('fact_errors')) or re.search(r'expected [^g]*got', ms)) :
    # original rejects more updates than ours after a recursion error
    oe={e['index'] for e in o.get('rule_errors',[]) if 'recursive' in e['message']}
    ae={e['index'] for e in ours.get('rule_errors',[])}
    if oe-ae or 'Rules are recursive' in json.dumps(o.get('fact_errors')): return 'BUG-stale-cycle'
  if 'Cannot read properties of undefined' in ms: return 'BUG-sim-nonground'
  dels=[x for x in c.get('deletes',[])]+[x.get('rule') for x in c.get('rules',[]) if isinstance(x,dict) and x.get('op')=='delete']
  if any(isinstance(d,str) and d.count('(')>1 and ':-' not in d for d in dels) and 'Received multiple rules' in json.dumps(ours): return 'BUG-delete-multi'
  if 'execute[p(1)]' in rules: return 'BUG-execute-fact'
  if any(re.search(r'\bnot q\(y\), q\(x, y\)', x) for x in rules): return 'BUG-inferred-width-reordered'
  if any(x.startswith('true(') or x.startswith('false(') or 'true(x)' in x for x in rules): return 'BUG-true-false-width'
  if any(isinstance(d, str) and re.search(r'\w=', d) for d in dels): return 'BUG-delete-colref-parked'
  if any('kill(x) :- p(x)' in s_.get('sequence', '') for s_ in c.get('simulate', [])): return 'ORACLE-sim-first-answer'
  if c.get('kind')=='datasource' or 'datasource' in json.dumps(c.get('policies',{})): return 'BUG-datasource-kind-policy'
  if 'classification' in c.get('delete_policies',[]) or 'action' in c.get('delete_policies',[]): return 'BUG-delete-default-policy'
  if any(re.match(r'^(insert|delete)\[',x) for x in rules): return 'KNOWN-Q16-events'
  if c.get('kind')=='materialized': return 'KNOWN-materialized?'
  if 'nonfinite' in ms: return 'ORACLE-nonfinite-json'
  if 'builtins-netaddr' in c.get('tags',[]) and re.search(r'"(10|10\.1|192\.168\.001\.001| 10\.0\.0\.1|10\.0\.0\.0/255\.255\.255\.0)\\?"|167772161', ms): return 'ORACLE-netaddr-legacy-forms'
  if any(isinstance(x,dict) and 'error' in x for x in o.get('simulate_results',[]) or []) and 'simulate[' in ms: return 'BUG-sim-failed-includes'
  return 'UNCLASSIFIED'
cnt=collections.Counter(); ex=collections.defaultdict(list)
for f in sys.argv[1:]:  # noqa: E501
  for r in json.load(open(f)):
    if r['mismatches'] and not r['originalCrashed']:
      s=sig(r); cnt[s]+=1; ex[s].append(r)
print(cnt)
for r in ex['UNCLASSIFIED'][:20] + ex['KNOWN-materialized?'][:3]:
  print(r['name'], json.dumps(r['case'].get('rules'),ensure_ascii=False)[:500]); print('   ',r['mismatches'][:3]); print('   ORIG',json.dumps(r['original'].get('rule_errors'),ensure_ascii=False)[:300]); print('   OURS',json.dumps(r['ours'].get('rule_errors'),ensure_ascii=False)[:300])
