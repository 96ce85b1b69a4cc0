"""Writes scenarios-extended.json: REST API steps in the conformance format
(shared/conformance/api/README.md), section by section of spec/api.md.
Record them against a fresh original server with
  node check.mjs BASE --record scenarios-extended.json transcript-extended.json
"""
import json
import os

SC = []


def scen(name, description):
    SC.append({'name': name, 'description': description, 'steps': []})


def step(id_, method, path, body=..., **kw):
    s = {'id': id_, 'method': method, 'path': path}
    if body is not ...:
        s['body'] = body
    for k, v in kw.items():
        if v is not None:
            s[k] = v
    SC[-1]['steps'].append(s)


U = ['body.results']
UR = ['body.result']
PARSE = {'body.error.message': '^Failed to parse body as application/json: .+'}
SCHEMA = {'body.error.error_data': 'string'}
EV = [
    {'time': '2016-02-22T11:48:55Z', 'type': 'compute.host.down',
     'details': {'hostname': 'compute1', 'status': 'down', 'monitor': 'zabbix1',
                 'monitor_event_id': '111'}},
    {'time': '2016-02-22T11:49:00Z', 'type': 'compute.host.down',
     'details': {'hostname': 'compute2', 'status': 'up', 'monitor': 'zabbix1',
                 'monitor_event_id': '112'}},
]

# ------------------------------------------------------------------ versions
scen('versions', 'Version documents at /, /v1 and unknown paths; routing')
step('versions-e01', 'GET', '/')
step('versions-e02', 'GET', '/v1')
step('versions-e03', 'GET', '/v1/')
step('versions-e04', 'POST', '/v1', {})
step('versions-e05', 'DELETE', '/v1/')
step('versions-e06', 'GET', '/foo/bar')
step('versions-e07', 'POST', '/v2/x/', {})
step('versions-e08', 'GET', '/v1/nosuch')
step('versions-e09', 'GET', '/v1/policies/')
step('versions-e10', 'HEAD', '/v1/policies', note='D21')
step('versions-e11', 'OPTIONS', '/v1/policies')
step('versions-e12', 'GET', '/v1/policies/classification/rules/x/y')
step('versions-e13', 'GET', '/v1/data-sources/x/tables/y/webhook')

# ------------------------------------------------------------------ policies
scen('policies', 'Policy create/read/delete, name/id resolution, validation')
step('policies-e01', 'GET', '/v1/policies', unordered=U,
     capture={'classification_id': 'body.results.[name=classification].id',
              'action_id': 'body.results.[name=action].id'})
step('policies-e02', 'GET', '/v1/policies/classification')
step('policies-e03', 'GET', '/v1/policies/{{action_id}}')
step('policies-e04', 'POST', '/v1/policies',
     {'name': 'alpha', 'description': 'first policy', 'abbreviation': 'alp'},
     capture={'alpha_id': 'body.id'})
step('policies-e05', 'POST', '/v1/policies', {'name': 'beta'}, capture={'beta_id': 'body.id'})
step('policies-e06', 'POST', '/v1/policies', {'name': 'gamma', 'kind': 'action'},
     capture={'gamma_id': 'body.id'})
step('policies-e07', 'POST', '/v1/policies', {'name': 'upkind', 'kind': 'NONRECURSIVE'},
     capture={'upkind_id': 'body.id'})
step('policies-e08', 'POST', '/v1/policies', {'name': 'matpol', 'kind': 'materialized'},
     capture={'matpol_id': 'body.id'})
step('policies-e09', 'POST', '/v1/policies',
     {'name': 'withid', 'id': 'abc', 'owner_id': 'someone', 'extra': [1, 2]},
     capture={'withid_id': 'body.id'}, note='client id, owner_id and unknown keys ignored')
step('policies-e10', 'POST', '/v1/policies', {'name': 'abbr1', 'abbreviation': 'toolong'})
step('policies-e11', 'POST', '/v1/policies', {'name': 'abbr2', 'abbreviation': 5})
step('policies-e12', 'POST', '/v1/policies', {'name': 'abbreviated', 'abbreviation': ''},
     capture={'abbreviated_id': 'body.id'})
step('policies-e13', 'POST', '/v1/policies', {'name': 'ab5', 'abbreviation': 'abcde'},
     capture={'ab5_id': 'body.id'})
step('policies-e14', 'POST', '/v1/policies', {})
step('policies-e15', 'POST', '/v1/policies', {'name': ''})
step('policies-e16', 'POST', '/v1/policies', {'description': 'no name'})
step('policies-e17', 'POST', '/v1/policies', {'name': 42}, defect='D1')
step('policies-e18', 'POST', '/v1/policies', {'name': '1abc'}, defect='D1')
step('policies-e19', 'POST', '/v1/policies', {'name': 'builtin'}, defect='D1')
step('policies-e20', 'POST', '/v1/policies', {'name': 'p\u00f6licy'}, defect='D1')
step('policies-e21', 'POST', '/v1/policies', {'name': 'a-b'}, defect='D1')
step('policies-e22', 'POST', '/v1/policies', {'name': 'kindx', 'kind': 'nosuchkind'}, defect='D1')
step('policies-e23', 'POST', '/v1/policies', {'name': 'zthree', 'kind': 'z3'}, defect='D1')
step('policies-e24', 'POST', '/v1/policies', {'name': 'alpha'})
step('policies-e25', 'POST', '/v1/policies', {'name': 'ALPHA'}, capture={'ALPHA_id': 'body.id'},
     note='names are case-sensitive')
step('policies-e26', 'POST', '/v1/policies', rawBody='null', defect='D13')
step('policies-e27', 'POST', '/v1/policies', [])
step('policies-e28', 'POST', '/v1/policies', 'a string')
step('policies-e29', 'POST', '/v1/policies',
     {'name': 'withrules', 'description': 'has rules',
      'rules': [{'rule': 'a(1)'}, {'rule': 'b(x) :- a(x)', 'name': 'rb', 'comment': 'cb'}]},
     capture={'withrules_id': 'body.id'})
step('policies-e30', 'POST', '/v1/policies', {'name': 'emptyrules', 'rules': []},
     capture={'emptyrules_id': 'body.id'})
step('policies-e31', 'POST', '/v1/policies', {'name': 'rulesbad', 'rules': 'a(1)'}, types=SCHEMA)
step('policies-e32', 'POST', '/v1/policies',
     {'name': 'rulesbad', 'rules': [{'rule': 'a(1)'}, {'rule': 'b(x) :- a(x'}]})
step('policies-e33', 'GET', '/v1/policies/rulesbad', note='nothing remains after a rule error')
step('policies-e34', 'POST', '/v1/policies',
     {'name': 'rulesbad', 'abbreviation': 'abcdef', 'rules': []}, note='1022 before the schema')
step('policies-e35', 'POST', '/v1/policies', {'name': 'rulesbad', 'kind': 'bogus', 'rules': []},
     types=SCHEMA)
step('policies-e36', 'POST', '/v1/policies', {'name': 'rulesbad', 'rules': [{'name': 'x'}]},
     types=SCHEMA)
step('policies-e37', 'POST', '/v1/policies',
     {'name': 'rulesbad', 'rules': [{'rule': 'a(1)'}, {'rule': 'c(x, y) :- a(x)'}]})
step('policies-e38', 'POST', '/v1/policies',
     {'name': 'withrules', 'rules': [{'rule': 'a(1)'}]})
step('policies-e39', 'POST', '/v1/policies',
     {'name': 'rulesact', 'kind': 'action', 'abbreviation': 'ra',
      'rules': [{'rule': 'action("go")', 'comment': None}]},
     types=SCHEMA, note='comment null violates the schema')
step('policies-e40', 'GET', '/v1/policies/alpha')
step('policies-e41', 'GET', '/v1/policies/{{alpha_id}}')
step('policies-e42', 'GET', '/v1/policies/nosuch')
step('policies-e43', 'GET', '/v1/policies/%C3%BCnknown')
step('policies-e44', 'GET', '/v1/policies/{{withrules_id}}')
step('policies-e45', 'PUT', '/v1/policies/alpha', {'name': 'alpha'})
step('policies-e46', 'PATCH', '/v1/policies/alpha', {'description': 'x'})
step('policies-e47', 'DELETE', '/v1/policies')
step('policies-e48', 'POST', '/v1/policies/alpha?action=nosuch', {})
step('policies-e49', 'POST', '/v1/policies/alpha?action=simulate&action=execute', {})
step('policies-e50', 'POST', '/v1/policies/alpha', {})
step('policies-e51', 'DELETE', '/v1/policies/classification', defect='D2')
step('policies-e52', 'DELETE', '/v1/policies/{{action_id}}', defect='D2')
step('policies-e53', 'DELETE', '/v1/policies/{{beta_id}}')
step('policies-e54', 'DELETE', '/v1/policies/{{beta_id}}')
step('policies-e55', 'DELETE', '/v1/policies/nosuch')
step('policies-e56', 'POST', '/v1/policies', {'name': 'beta', 'description': 'again'},
     capture={'beta2_id': 'body.id'})
step('policies-e57', 'DELETE', '/v1/policies/ALPHA')
step('policies-e58', 'GET', '/v1/policies', unordered=U)

# ------------------------------------------------------------------ bodies
scen('bodies', 'Malformed bodies and content types')
step('bodies-e01', 'POST', '/v1/policies', rawBody='{"name": "x",', patterns=PARSE)
step('bodies-e02', 'POST', '/v1/policies', rawBody='', patterns=PARSE)
step('bodies-e03', 'POST', '/v1/policies', rawBody='not json', patterns=PARSE)
step('bodies-e04', 'POST', '/v1/policies', rawBody='{"name":"ctpol"}',
     headers={'content-type': 'text/plain'})
step('bodies-e05', 'POST', '/v1/policies', rawBody='{"name":"ctpol"}',
     headers={'content-type': 'application/xml'})
step('bodies-e06', 'POST', '/v1/policies', rawBody='name=ctpol',
     headers={'content-type': 'application/x-www-form-urlencoded'})
step('bodies-e07', 'POST', '/v1/policies', rawBody='{"name":"ctok"}',
     headers={'content-type': 'APPLICATION/JSON; charset=UTF-8'}, capture={'ctok_id': 'body.id'})
step('bodies-e08', 'POST', '/v1/policies', rawBody='{"name":"ctok2"}',
     headers={'content-type': 'application/json; charset=utf8'}, capture={'ctok2_id': 'body.id'})
step('bodies-e09', 'POST', '/v1/policies', rawBody='{"name":"ctpol"}',
     headers={'content-type': 'application/json; charset=latin-1'})
step('bodies-e10', 'POST', '/v1/policies', rawBody='{"name":"ctpol"}',
     headers={'content-type': 'application/json; charset=ascii'})
step('bodies-e11', 'POST', '/v1/policies', rawBody='{"name":"ctpol"}', noContentType=True)
step('bodies-e12', 'POST', '/v1/policies/alpha/rules', rawBody='{"rule":"q(9)"}',
     headers={'content-type': 'text/plain'})
step('bodies-e13', 'POST', '/v1/policies/alpha/rules', rawBody='{"rule":', patterns=PARSE)
step('bodies-e14', 'POST', '/v1/librarypolicies', rawBody='[', patterns=PARSE)
step('bodies-e15', 'POST', '/v1/data-sources', rawBody='{"name":"dx","driver":"doctor"}',
     headers={'content-type': 'text/plain'})
step('bodies-e16', 'POST', '/v1/policies', rawBody='{"name": "dupkey", "name": "dupkey2"}',
     capture={'dupkey_id': 'body.id'}, note='duplicate keys: the last one wins')
step('bodies-e17', 'POST', '/v1/policies', {'name': ['list']}, defect='D1')
step('bodies-e18', 'POST', '/v1/policies', {'name': 'descnum', 'description': 12},
     capture={'descnum_id': 'body.id'})

# ------------------------------------------------------------------ rules
scen('rules', 'Rule CRUD and every error class')
A = '/v1/policies/alpha/rules'
step('rules-e01', 'POST', A, {'rule': 'q(1)'}, capture={'r_q1': 'body.id'})
step('rules-e02', 'POST', A, {'rule': 'q(2)', 'name': 'second', 'comment': 'q two'},
     capture={'r_q2': 'body.id'})
step('rules-e03', 'POST', A, {'rule': 'p(x) :- q(x), lt(x, 2)', 'name': 'prule',
                             'comment': 'p from q'}, capture={'r_p': 'body.id'})
step('rules-e04', 'POST', A, {'rule': 'w(x) :-\n    q(x),\n    not p(x)'},
     capture={'r_w': 'body.id'})
step('rules-e05', 'POST', A, {'rule': 'xx(x) :- q(x), not zz'}, capture={'r_xx': 'body.id'},
     defect='D14')
step('rules-e06', 'POST', A, {'rule': 'zz :- q(1)'}, capture={'r_zz': 'body.id'})
step('rules-e07', 'POST', A, {'rule': 'u("h\u00e9llo w\u00f6rld \u2713")', 'name': '\u00fcn\u00ef',
                             'comment': '\u00e7a va'}, capture={'r_u': 'body.id'})
step('rules-e08', 'POST', A, {'rule': 'g("a b", 2.5)'}, capture={'r_g': 'body.id'})
step('rules-e09', 'POST', A, {'rule': 'g("c", -3)', 'name': None, 'comment': None})
step('rules-e09b', 'POST', A, {'rule': 'g("c", 3)', 'name': None, 'comment': None},
     capture={'r_g2': 'body.id'})
step('rules-e10', 'POST', A, {'rule': 'p(x) :- q(x'})
step('rules-e11', 'POST', A, {'rule': ''})
step('rules-e12', 'POST', A, {'rule': '   '})
step('rules-e13', 'POST', A, {'name': 'norule'}, defect='D13')
step('rules-e14', 'POST', A, {'rule': 'a(1) b(2)'})
step('rules-e15', 'POST', A, {'rule': 'bad(x, y) :- q(x)'})
step('rules-e16', 'POST', A, {'rule': 'r(x) :- q(y), not t(x)'})
step('rules-e17', 'POST', A, {'rule': 'q(1, 2)'})
step('rules-e18', 'POST', A, {'rule': 'q(x) :- p(x)'})
step('rules-e19', 'POST', A, {'rule': 'p(x) :- w(x)'}, note='recursion through two rules')
step('rules-e20', 'POST', '/v1/policies/nosuch/rules', {'rule': 'q(1)'})
step('rules-e21', 'POST', '/v1/policies/{{alpha_id}}/rules', {'rule': 'q(3)'},
     capture={'r_q3': 'body.id'})
step('rules-e22', 'POST', A, {'rule': 'q(1)'})
step('rules-e23', 'POST', A, {'rule': 'q( 1 )'}, note='same rule, other spelling')
step('rules-e24', 'POST', A, {'rule': 'q(4)', 'id': 'abc'}, capture={'r_q4': 'body.id'})
step('rules-e25', 'POST', A, {'rule': 'execute[nova:servers.pause(x)] :- q(x)'},
     capture={'r_exec': 'body.id'})
step('rules-e26', 'POST', A, {'rule': 'p(x) :- q(x), lt(x, 2)'},
     note='duplicate with other name')
step('rules-e27', 'POST', A, {'rule': 'q(1) :- true'})
step('rules-e28', 'POST', A, {'rule': 'cnt(x) :- q(x), x = 1'})
step('rules-e29', 'POST', A, {'rule': 'neq(x) :- q(x), not equal(x, 1)'},
     capture={'r_neq': 'body.id'})
step('rules-e30', 'POST', A, {'rule': 'k(x, y) :- q(x), plus(x, 1, y)'}, capture={'r_k': 'body.id'})
step('rules-e31', 'POST', A, {'rule': 'h("x") :- q(1)', 'comment': 'c' * 300},
     capture={'r_long': 'body.id'}, defect='D19')
step('rules-e32', 'POST', A, {'rule': 1})
step('rules-e33', 'POST', A, {'rule': 'q(5).'})
step('rules-e34', 'POST', A, {'rule': 'q(x) :- not r(x)'})
step('rules-e35', 'GET', A, unordered=U)
step('rules-e36', 'GET', '/v1/policies/{{alpha_id}}/rules', defect='D3')
step('rules-e37', 'GET', '/v1/policies/nosuch/rules')
step('rules-e38', 'GET', A + '/{{r_p}}')
step('rules-e39', 'GET', A + '/{{r_w}}')
step('rules-e40', 'GET', A + '/{{r_xx}}')
step('rules-e41', 'GET', A + '/{{r_u}}')
step('rules-e42', 'GET', '/v1/policies/beta/rules/{{r_p}}')
step('rules-e43', 'GET', A + '/00000000-0000-0000-0000-000000000000')
step('rules-e44', 'GET', '/v1/policies/{{alpha_id}}/rules/{{r_p}}', defect='D3')
step('rules-e45', 'DELETE', '/v1/policies/{{alpha_id}}/rules/{{r_q3}}')
step('rules-e46', 'DELETE', A + '/{{r_q3}}', defect='D4')
step('rules-e47', 'DELETE', '/v1/policies/nosuch/rules/{{r_q4}}')
step('rules-e48', 'DELETE', A + '/{{r_q4}}')
step('rules-e49', 'PUT', A + '/{{r_q1}}', {'rule': 'q(8)'})
step('rules-e50', 'PATCH', A + '/{{r_q1}}', {'comment': 'x'}, defect='D5')
step('rules-e51', 'DELETE', A)
step('rules-e52', 'POST', A + '/{{r_q1}}', {})
step('rules-e53', 'POST', A + '/{{r_q1}}?action=simulate', {})
step('rules-e54', 'POST', '/v1/policies/gamma/rules', {'rule': 'action("setq")'},
     capture={'r_ga': 'body.id'})
step('rules-e55', 'POST', '/v1/policies/gamma/rules', {'rule': 'q+(x) :- setq(x)'},
     capture={'r_gb': 'body.id'})
step('rules-e56', 'POST', '/v1/policies/gamma/rules', {'rule': 'p-(x) :- setq(x), p(x)'})
step('rules-e57', 'POST', '/v1/policies/withrules/rules', {'rule': 'a(2)'},
     capture={'r_wa2': 'body.id'})
step('rules-e58', 'GET', '/v1/policies/withrules/rules', unordered=U)
step('rules-e59', 'POST', '/v1/policies/matpol/rules', {'rule': 'm(1)'},
     capture={'r_m1': 'body.id'})
step('rules-e60', 'POST', '/v1/policies/matpol/rules', {'rule': 'mm(x) :- m(x)'},
     note='Q13: upstream 500 on a materialized policy')

# ------------------------------------------------------------------ status
scen('status', 'Policy and rule status')
step('status-e01', 'GET', '/v1/policies/alpha/status')
step('status-e02', 'GET', '/v1/policies/{{alpha_id}}/status')
step('status-e03', 'GET', '/v1/policies/nosuch/status')
step('status-e04', 'GET', '/v1/policies/classification/status')
step('status-e05', 'GET', A + '/{{r_p}}/status')
step('status-e06', 'GET', A + '/{{r_q1}}/status')
step('status-e07', 'GET', '/v1/policies/{{alpha_id}}/rules/{{r_q2}}/status')
step('status-e08', 'GET', A + '/00000000-0000-0000-0000-000000000000/status')
step('status-e09', 'GET', '/v1/policies/nosuch/rules/{{r_p}}/status')
step('status-e10', 'PATCH', '/v1/policies/alpha/status', {'x': 1}, defect='D5')
step('status-e11', 'GET', A + '/{{r_u}}/status')

# ------------------------------------------------------------------ tables
scen('tables', 'Policy tables and rows, trace')
T = '/v1/policies/alpha/tables'
step('tables-e01', 'GET', T, unordered=U)
step('tables-e02', 'GET', '/v1/policies/{{alpha_id}}/tables', defect='D3')
step('tables-e03', 'GET', '/v1/policies/nosuch/tables')
step('tables-e04', 'GET', '/v1/policies/classification/tables', unordered=U)
step('tables-e05', 'GET', T + '/p')
step('tables-e06', 'GET', T + '/nosuch')
step('tables-e07', 'GET', T + '/lt')
step('tables-e08', 'POST', T + '/p', {})
step('tables-e09', 'GET', T + '/p/rows', unordered=U)
step('tables-e10', 'GET', T + '/q/rows', unordered=U)
step('tables-e11', 'GET', T + '/w/rows', unordered=U)
step('tables-e12', 'GET', T + '/xx/rows', unordered=U)
step('tables-e13', 'GET', T + '/zz/rows', unordered=U)
step('tables-e14', 'GET', T + '/u/rows', unordered=U)
step('tables-e15', 'GET', T + '/g/rows', unordered=U)
step('tables-e16', 'GET', T + '/k/rows', unordered=U)
step('tables-e17', 'GET', T + '/neq/rows', unordered=U)
step('tables-e18', 'GET', T + '/p/rows?trace=true', unordered=U, types={'body.trace': 'string'})
step('tables-e19', 'GET', T + '/p/rows?trace=TRUE', unordered=U, types={'body.trace': 'string'})
step('tables-e20', 'GET', T + '/p/rows?trace=1', unordered=U)
step('tables-e21', 'GET', T + '/p/rows?trace=false', unordered=U)
step('tables-e22', 'GET', T + '/nosuch/rows')
step('tables-e23', 'GET', T + '/nosuch/rows?trace=true')
step('tables-e24', 'GET', '/v1/policies/{{alpha_id}}/tables/p/rows', defect='D3')
step('tables-e25', 'GET', '/v1/policies/nosuch/tables/p/rows')
step('tables-e26', 'GET', T + '/p/rows/abc')
step('tables-e27', 'POST', T + '/p/rows', {})
step('tables-e28', 'DELETE', T + '/p/rows')
step('tables-e29', 'PUT', T + '/p/rows', [], defect='D25')
step('tables-e30', 'GET', '/v1/policies/withrules/tables/b/rows', unordered=U)
step('tables-e31', 'GET', '/v1/policies/gamma/tables', unordered=U)
step('tables-e32', 'GET', '/v1/policies/matpol/tables', unordered=U)
step('tables-e33', 'GET', T + '/execute/rows')
step('tables-e34', 'PATCH', T + '/p', {}, defect='D5')
step('tables-e35', 'DELETE', T + '/p')
step('tables-e36', 'GET', '/v1/policies/lt/tables')

# ------------------------------------------------------------------ simulate
scen('simulate', 'Simulate and execute actions on policies')
S = '/v1/policies/alpha?action=simulate'
step('simulate-e01', 'POST', S, {'query': 'p(x)', 'action_policy': 'action', 'sequence': 'q+(0)'},
     unordered=UR)
step('simulate-e02', 'POST', S + '&delta=true',
     {'query': 'p(x)', 'action_policy': 'action', 'sequence': 'q+(0) q-(1)'}, unordered=UR)
step('simulate-e03', 'POST', S + '&delta=1',
     {'query': 'q(x)', 'action_policy': 'action', 'sequence': 'q+(0) q-(1)'}, unordered=UR)
step('simulate-e04', 'POST', S + '&trace=true',
     {'query': 'p(x)', 'action_policy': 'action', 'sequence': 'q+(0)'}, unordered=UR,
     types={'body.trace': 'string'})
step('simulate-e05', 'POST', S, {'query': 'p(x)', 'action_policy': 'action'})
step('simulate-e06', 'POST', S, {'query': None, 'action_policy': 'action', 'sequence': 'q+(0)'})
step('simulate-e07', 'POST', S, {'sequence': 'q+(0)', 'action_policy': 'action'})
step('simulate-e08', 'POST', S, {})
step('simulate-e09', 'POST', '/v1/policies/{{alpha_id}}?action=simulate',
     {'query': 'p(x)', 'action_policy': 'action', 'sequence': 'q+(0)'}, defect='D3')
step('simulate-e10', 'POST', S, {'query': 'p(x)', 'action_policy': 'action', 'sequence': 'q+('})
step('simulate-e11', 'POST', S, {'query': 'p(x', 'action_policy': 'action', 'sequence': 'q+(0)'})
step('simulate-e12', 'POST', S, {'query': 'p(x)', 'action_policy': 'nosuch', 'sequence': 'q+(0)'})
step('simulate-e13', 'POST', '/v1/policies/nosuch?action=simulate',
     {'query': 'p(x)', 'action_policy': 'action', 'sequence': 'q+(0)'})
step('simulate-e14', 'POST', S, {'query': 'q(x)', 'action_policy': 'gamma', 'sequence': 'setq(5)'},
     unordered=UR)
step('simulate-e15', 'POST', S + '&delta=true',
     {'query': 'q(x)', 'action_policy': 'gamma', 'sequence': 'setq(5)'}, unordered=UR)
step('simulate-e16', 'POST', S, {'query': 'p(x)', 'action_policy': 'gamma', 'sequence': 'setq(0)'},
     unordered=UR)
step('simulate-e17', 'POST', S, rawBody='not json', defect='D12')
step('simulate-e18', 'GET', T + '/q/rows', unordered=U, note='simulation changed nothing')
step('simulate-e19', 'POST', S, {'query': 'nosuchtable(x)', 'action_policy': 'action',
                                 'sequence': 'q+(0)'}, unordered=UR)
step('simulate-e20', 'POST', S, {'query': 'p(x)', 'action_policy': 'action',
                                 'sequence': 'q+(0) q+(-1) q-(1)'}, unordered=UR)
step('simulate-e21', 'POST', S, {'query': 'p(x) q(x)', 'action_policy': 'action',
                                 'sequence': 'q+(0)'})
step('simulate-e22', 'POST', S, {'query': 'p(x)', 'action_policy': 'action', 'sequence': ''},
     unordered=UR)
step('simulate-e23', 'POST', S, {'query': 'p(x)', 'action_policy': 'alpha', 'sequence': 'q+(0)'},
     unordered=UR)
X = '/v1/policies/alpha?action=execute'
step('simulate-e24', 'POST', X, {'name': 'nova:servers.pause', 'args': {'positional': ['x']}})
step('simulate-e25', 'POST', X, {'name': 'novaservers.pause'})
step('simulate-e26', 'POST', X, {'name': 'a:b:c'})
step('simulate-e27', 'POST', X, {'name': 'nova:pause', 'args': 'notobj'})
step('simulate-e28', 'POST', X, {'args': {}}, defect='D12')
step('simulate-e29', 'POST', X, {'name': 'nova:pause', 'args': ['x']})

# ------------------------------------------------------------------ drivers
scen('drivers', 'Datasource drivers list and show')
step('drivers-e01', 'GET', '/v1/system/drivers', contains={'body.results': [
    {'id': 'doctor', 'description': 'Datasource driver that allows external systems to push data '
     'in accordance with OPNFV Doctor Inspector southbound interface specification.'},
    {'id': 'vitrage', 'description': 'Datasource driver that accepts Vitrage webhook alarm '
     'notifications.'},
    {'id': 'nova', 'description': 'Datasource driver that interfaces with OpenStack Compute aka '
     'nova.'}]})
for i, d in enumerate(['doctor', 'nova', 'vitrage', 'monasca', 'cinder', 'neutronv2', 'keystonev3',
                       'glancev2', 'heat', 'swift', 'monasca_webhook', 'aodh'], start=2):
    step('drivers-e%02d' % i, 'GET', '/v1/system/drivers/' + d)
step('drivers-e20', 'GET', '/v1/system/drivers/nosuch')
step('drivers-e21', 'DELETE', '/v1/system/drivers/doctor')
step('drivers-e22', 'PATCH', '/v1/system/drivers/doctor', {}, defect='D5')
step('drivers-e23', 'POST', '/v1/system/drivers/doctor', {})
step('drivers-e24', 'POST', '/v1/system/drivers', {})
step('drivers-e25', 'GET', '/v1/system/drivers/doctor/x')

# ------------------------------------------------------------------ datasources
scen('datasources', 'Datasource CRUD, push driver rows, schema, status, actions')
D = '/v1/data-sources'
step('datasources-e01', 'GET', D, unordered=U)
step('datasources-e02', 'POST', D, {'name': 'doc', 'driver': 'doctor', 'config': {}},
     capture={'doc_id': 'body.id'})
step('datasources-e03', 'POST', D, {'name': 'doc', 'driver': 'doctor', 'config': {}})
step('datasources-e04', 'POST', D, {'name': 'doc2', 'driver': 'doctor',
                                   'description': 'second doctor'},
     capture={'doc2_id': 'body.id'})
step('datasources-e05', 'POST', D, {'name': 'bad name', 'driver': 'doctor'}, defect='D9')
step('datasources-e06', 'POST', D, {'name': '_under', 'driver': 'doctor'}, defect='D9')
step('datasources-e07', 'POST', D, {'name': '', 'driver': 'doctor'}, defect='D9')
step('datasources-e08', 'POST', D, {'name': 'd2', 'driver': 'nosuch'}, defect='D10')
step('datasources-e09', 'POST', D, {'name': 'd2'}, defect='D10')
step('datasources-e10', 'POST', D, {'driver': 'doctor'}, defect='D13')
step('datasources-e11', 'POST', D, {'name': 'd3', 'driver': 'doctor', 'config': {'bogus': 1}})
step('datasources-e12', 'POST', D, {'name': 'nv', 'driver': 'nova',
                                   'config': {'auth_url': 'http://127.0.0.1:9/v3',
                                              'username': 'u', 'password': 'p'}})
step('datasources-e13', 'POST', D, {'name': 'doc3', 'driver': 'doctor', 'enabled': False},
     defect='D26')
step('datasources-e14', 'GET', D + '/doc3')
step('datasources-e14b', 'DELETE', D + '/doc3', defect='D26',
     note='keeps later lists independent of D26')
step('datasources-e15', 'POST', D, {'name': 'doc4', 'driver': 'doctor',
                                   'config': {'persist_data': 'true'}},
     capture={'doc4_id': 'body.id'})
step('datasources-e16', 'GET', D, unordered=U)
step('datasources-e17', 'GET', D + '/doc')
step('datasources-e18', 'GET', D + '/{{doc_id}}')
step('datasources-e19', 'GET', D + '/nosuch')
step('datasources-e20', 'PUT', D + '/doc', {'name': 'doc'})
step('datasources-e21', 'PATCH', D + '/doc', {'description': 'x'}, defect='D5')
step('datasources-e22', 'DELETE', D)
step('datasources-e23', 'GET', D + '/doc/schema')
step('datasources-e24', 'GET', D + '/{{doc_id}}/schema')
step('datasources-e25', 'GET', D + '/doc/tables', unordered=U)
step('datasources-e26', 'GET', D + '/{{doc_id}}/tables', unordered=U)
step('datasources-e27', 'GET', D + '/doc/tables/events')
step('datasources-e28', 'GET', D + '/doc/tables/nosuch')
step('datasources-e29', 'GET', D + '/doc/tables/events/spec')
step('datasources-e30', 'GET', D + '/doc/tables/nosuch/spec')
step('datasources-e31', 'GET', D + '/doc/status')
step('datasources-e32', 'GET', D + '/doc/actions', defect='D23')
step('datasources-e33', 'GET', D + '/doc/tables/events/rows', unordered=U)
step('datasources-e34', 'PUT', D + '/doc/tables/events/rows', EV)
step('datasources-e35', 'GET', D + '/doc/tables/events/rows', unordered=U)
step('datasources-e36', 'GET', D + '/{{doc_id}}/tables/events/rows', unordered=U)
step('datasources-e37', 'GET', D + '/doc/tables/events/rows?trace=true', unordered=U)
step('datasources-e38', 'PUT', D + '/doc/tables/nosuch/rows', EV)
step('datasources-e39', 'PUT', D + '/doc/tables/events/rows',
     [{'time': '2016-02-22T11:48:55Z', 'type': 'compute.host.down'}], defect='D17')
step('datasources-e40', 'PUT', D + '/doc/tables/events/rows', rawBody='[{', patterns=PARSE)
step('datasources-e41', 'PUT', D + '/doc2/tables/events/rows', EV[:1])
step('datasources-e42', 'PUT', D + '/{{doc2_id}}/tables/events/rows', [])
step('datasources-e43', 'GET', D + '/doc2/tables/events/rows', unordered=U)
step('datasources-e44', 'GET', D + '/doc/status')
step('datasources-e45', 'POST', D + '/doc?action=request-refresh', {})
step('datasources-e46', 'POST', D + '/doc?action=execute',
     {'name': 'foo', 'args': {'positional': [], 'named': {}}})
step('datasources-e47', 'POST', D + '/doc?action=execute', {'name': 'foo', 'args': 'x'})
step('datasources-e48', 'POST', D + '/doc?action=nosuch', {})
step('datasources-e49', 'POST', D + '/doc', {})
step('datasources-e50', 'POST', '/v1/policies/alpha?action=execute', {'name': 'doc:foo'})
step('datasources-e51', 'GET', '/v1/policies/doc')
step('datasources-e52', 'GET', '/v1/policies/doc/tables', unordered=U)
step('datasources-e53', 'GET', '/v1/policies/doc/tables/events/rows')
step('datasources-e54', 'GET', '/v1/policies/doc/rules', unordered=U)
step('datasources-e55', 'POST', '/v1/policies/doc/rules', {'rule': 'x(1)'})
step('datasources-e56', 'POST', A, {'rule': 'down_host(h) :- doc:events(hostname=h, status="down")'},
     capture={'r_down': 'body.id'})
step('datasources-e57', 'POST', A, {'rule': 'bad_col(h) :- doc:events(nosuchcol=h)'})
step('datasources-e58', 'POST', A, {'rule': 'bad_ar(h) :- doc:events(h)'},
     capture={'r_badar': 'body.id'})
step('datasources-e59', 'POST', A, {'rule': 'ev(t, h) :- doc:events(t, ty, h, s, m, i)'},
     capture={'r_ev': 'body.id'})
step('datasources-e60', 'POST', A, {'rule': 'evs(h, s) :- doc:events(hostname=h, status=s)'},
     capture={'r_evs': 'body.id'})
step('datasources-e61', 'GET', T + '/down_host/rows', unordered=U, delayMs=1500)
step('datasources-e62', 'GET', T + '/ev/rows', unordered=U)
step('datasources-e63', 'GET', T + '/evs/rows', unordered=U)
step('datasources-e64', 'GET', T + '/bad_ar/rows', unordered=U)
step('datasources-e65', 'GET', D + '/doc/status')
step('datasources-e66', 'PUT', D + '/doc/tables/events/rows', EV[1:])
step('datasources-e67', 'GET', T + '/evs/rows', unordered=U, delayMs=500)
step('datasources-e68', 'GET', T + '/down_host/rows', unordered=U)
step('datasources-e69', 'GET', T, unordered=U)
step('datasources-e70', 'POST', S, {'query': 'evs(h, s)', 'action_policy': 'action',
                                    'sequence': 'q+(0)'}, unordered=UR)
step('datasources-e71', 'GET', D + '/nosuch/tables', note='~5 s ping timeout upstream (D24-like)')
step('datasources-e72', 'GET', D + '/nosuch/status')
step('datasources-e73', 'DELETE', D + '/{{doc2_id}}')
step('datasources-e74', 'DELETE', D + '/{{doc2_id}}', defect='D11')
step('datasources-e75', 'DELETE', D + '/nosuch', defect='D11')
step('datasources-e76', 'DELETE', D + '/doc4')
step('datasources-e77', 'GET', D, unordered=U)
NOVA = {'auth_url': 'http://127.0.0.1:9/v3', 'username': 'u', 'password': 'secret',
        'project_name': 'p'}
step('datasources-e78', 'POST', D, {'name': 'nv', 'driver': 'nova', 'config': NOVA},
     capture={'nv_id': 'body.id'}, note='dead auth_url: upstream 201, ours 400 (differences.md)')
step('datasources-e79', 'GET', D, unordered=U, note='password masked')
step('datasources-e80', 'GET', D + '/nv', defect='D8')
step('datasources-e81', 'GET', D + '/nv/status')
step('datasources-e82', 'DELETE', D + '/nv')

# ------------------------------------------------------------------ webhook
scen('webhook', 'Webhook notifications (vitrage) and push drivers without a handler')
VP = {'notification': 'vitrage.alarm.activate',
      'payload': {'vitrage_id': '2def31e9-6d9f-4c16-b007-893caa806cd4',
                  'name': 'Instance memory performance degraded', 'state': 'Active',
                  'vitrage_type': 'vitrage', 'vitrage_operational_severity': 'WARNING',
                  'update_timestamp': '2018-01-22T10:00:34Z',
                  'resource': {'vitrage_id': '437f1f4c-ccce-40a4-ac62-1c2f1fd9f6ac',
                               'name': 'app-1-server-1',
                               'id': '9b7d93b9-94ec-41e1-9cec-f28d4f8d702c',
                               'project_id': '8f007e5ba0944e84baa6f2a4f2b5d03a',
                               'vitrage_operational_state': 'OK',
                               'vitrage_type': 'nova.instance'}}}
step('webhook-e01', 'POST', D, {'name': 'vit', 'driver': 'vitrage', 'config': {}},
     capture={'vit_id': 'body.id'})
step('webhook-e02', 'GET', D + '/vit/tables', unordered=U)
step('webhook-e03', 'GET', D + '/vit/schema')
step('webhook-e04', 'POST', D + '/vit/webhook', VP)
step('webhook-e05', 'GET', D + '/vit/tables/alarms/rows', unordered=U)
VP2 = json.loads(json.dumps(VP))
VP2['payload']['state'] = 'Inactive'
VP2['notification'] = 'vitrage.alarm.deactivate'
step('webhook-e06', 'POST', D + '/{{vit_id}}/webhook', VP2)
step('webhook-e07', 'GET', D + '/vit/tables/alarms/rows', unordered=U)
step('webhook-e08', 'POST', D + '/vit/webhook', {'notification': 'x', 'payload': {}}, defect='D18')
step('webhook-e09', 'POST', D + '/doc/webhook', {'a': 1}, defect='D18')
step('webhook-e10', 'POST', D + '/vit/tables/alarms/webhook', VP)
step('webhook-e11', 'GET', D + '/vit/webhook')
step('webhook-e12', 'POST', D + '/vit/webhook', rawBody='{', patterns=PARSE)
step('webhook-e13', 'GET', D + '/vit/status')
step('webhook-e14', 'DELETE', D + '/vit')

# ------------------------------------------------------------------ library
scen('library', 'Library policies and creating live policies from them')
L = '/v1/librarypolicies'
step('library-e01', 'GET', L, unordered=U)
step('library-e02', 'POST', L, {'name': 'lib1', 'description': 'library one',
                               'rules': [{'rule': 'x(1)', 'name': 'r1', 'comment': 'c1'},
                                         {'rule': 'y(a) :- x(a)'}]},
     capture={'lib1_id': 'body.id'})
step('library-e03', 'POST', L, {'name': 'lib2', 'rules': []}, capture={'lib2_id': 'body.id'})
step('library-e04', 'POST', L, {'name': 'libfull', 'abbreviation': 'lf', 'kind': 'action',
                               'description': 'full', 'rules': [{'rule': 'action("a")'}]},
     capture={'libfull_id': 'body.id'})
step('library-e05', 'POST', L, {'name': 'lib1', 'rules': []})
step('library-e06', 'POST', L, {'name': 'libx'}, types=SCHEMA)
step('library-e07', 'POST', L, {'name': 'libx', 'abbreviation': 'abcdef', 'rules': []},
     types=SCHEMA)
step('library-e08', 'POST', L, {'name': 'libx', 'rules': [{'name': 'x'}]}, types=SCHEMA)
step('library-e09', 'POST', L, {'name': 'bad name', 'rules': []}, defect='D1')
step('library-e10', 'POST', L, {'name': 'libbad', 'rules': [{'rule': 'not even datalog ('}]},
     capture={'libbad_id': 'body.id'})
step('library-e11', 'POST', L, {'rules': []}, types=SCHEMA)
step('library-e12', 'POST', L, {'name': 'libx', 'rules': [{'rule': 'x(1)', 'comment': 5}]},
     types=SCHEMA)
step('library-e13', 'POST', L, {'name': 'libx', 'kind': 'nosuch', 'rules': []}, types=SCHEMA)
step('library-e14', 'POST', L, {'name': '', 'rules': []}, types=SCHEMA)
step('library-e15', 'GET', L, unordered=U)
step('library-e16', 'GET', L + '?include_rules=false', unordered=U)
step('library-e17', 'GET', L + '?include_rules=FALSE', unordered=U)
step('library-e18', 'GET', L + '?name=lib1', unordered=U)
step('library-e19', 'GET', L + '?name=nosuch', unordered=U)
step('library-e20', 'GET', L + '/{{lib1_id}}')
step('library-e21', 'GET', L + '/{{lib1_id}}?include_rules=False')
step('library-e22', 'GET', L + '/00000000-0000-0000-0000-000000000000', defect='D7')
step('library-e23', 'GET', L + '/lib1', defect='D7')
step('library-e24', 'PUT', L + '/{{lib2_id}}', {'name': 'lib2', 'rules': [{'rule': 'z(1)'}]},
     defect='D6')
step('library-e25', 'PATCH', L + '/{{lib2_id}}', {'description': 'x'})
step('library-e26', 'POST', '/v1/policies?library_policy={{lib1_id}}', {},
     capture={'lib1pol_id': 'body.id'})
step('library-e27', 'POST', '/v1/policies?library_policy={{lib1_id}}', {})
step('library-e28', 'POST', '/v1/policies?library_policy=00000000-0000-0000-0000-000000000000', {},
     defect='D7')
step('library-e29', 'POST', '/v1/policies?library_policy={{lib2_id}}', {'name': 'x'},
     defect='D12')
step('library-e30', 'POST', '/v1/policies?library_policy={{libbad_id}}', {})
step('library-e31', 'GET', '/v1/policies/libbad')
step('library-e32', 'POST', '/v1/policies?library_policy={{libfull_id}}', {},
     capture={'libfullpol_id': 'body.id'})
step('library-e33', 'GET', '/v1/policies/lib1/rules', unordered=U)
step('library-e34', 'GET', '/v1/policies/lib1/tables/y/rows', unordered=U)
step('library-e35', 'DELETE', L + '/{{lib1_id}}')
step('library-e36', 'DELETE', L + '/{{lib1_id}}')
step('library-e37', 'GET', '/v1/policies/lib1')
step('library-e38', 'POST', L + '/{{lib2_id}}', {})
step('library-e39', 'DELETE', L)
step('library-e40', 'GET', L, unordered=U)

# ------------------------------------------------------------------ edge
scen('edge', 'Unicode, cross-policy references, deleting things in use, database kind')
step('edge-e01', 'POST', '/v1/policies', {'name': 'uni', 'description': 'd\u00e9j\u00e0 vu \u2713',
                                         'abbreviation': '\u00fcni'},
     capture={'uni_id': 'body.id'})
step('edge-e02', 'GET', '/v1/policies/uni')
step('edge-e03', 'POST', '/v1/policies', {'name': 'n' * 300}, capture={'long_id': 'body.id'},
     defect='D19')
step('edge-e04', 'DELETE', '/v1/policies/' + 'n' * 300, defect='D19')
step('edge-e05', 'POST', '/v1/policies/beta/rules', {'rule': 'pb(x) :- alpha:q(x)'},
     capture={'r_pb': 'body.id'}, note='upstream blocks ~5 s (D24)')
step('edge-e06', 'GET', '/v1/policies/beta/tables/pb/rows', unordered=U)
step('edge-e07', 'GET', '/v1/policies/beta/tables', unordered=U)
step('edge-e08', 'POST', '/v1/policies/beta/rules', {'rule': 'pc(x) :- nosuchmod:q(x)'},
     capture={'r_pc': 'body.id'})
step('edge-e09', 'DELETE', '/v1/policies/alpha', note='policy referenced by beta rules')
step('edge-e10', 'GET', '/v1/policies/beta/tables/pb/rows', unordered=U)
step('edge-e11', 'GET', '/v1/policies/alpha/rules')
step('edge-e12', 'POST', '/v1/policies', {'name': 'alpha'}, capture={'alpha2_id': 'body.id'})
step('edge-e13', 'POST', '/v1/policies/alpha/rules', {'rule': 'q(7)'}, capture={'r_q7': 'body.id'})
step('edge-e14', 'GET', '/v1/policies/beta/tables/pb/rows', unordered=U)
step('edge-e15', 'GET', '/v1/policies/alpha/tables', unordered=U)
step('edge-e16', 'DELETE', '/v1/data-sources/doc')
step('edge-e17', 'GET', '/v1/data-sources/doc')
step('edge-e18', 'POST', '/v1/policies/alpha/rules',
     {'rule': 'dh(h) :- doc:events(hostname=h)'}, note='column reference to a deleted datasource')
step('edge-e19', 'POST', '/v1/policies', {'name': 'doc'}, capture={'docpol_id': 'body.id'},
     note='name of a deleted datasource')
step('edge-e20', 'POST', '/v1/data-sources', {'name': 'alpha', 'driver': 'doctor'},
     note='datasource named like a policy')
step('edge-e21', 'DELETE', '/v1/policies/beta/rules/{{r_pb}}')
step('edge-e22', 'GET', '/v1/policies/beta/rules', unordered=U)
step('edge-e23', 'POST', '/v1/policies', {'name': 'dbpol', 'kind': 'database'},
     capture={'dbpol_id': 'body.id'}, defect='D22')
step('edge-e24', 'POST', '/v1/policies/beta/rules', {'rule': 'after_db(1)'}, defect='D22')
step('edge-e25', 'GET', '/v1/policies/dbpol/tables', defect='D22')
step('edge-e26', 'DELETE', '/v1/policies/dbpol')
step('edge-e27', 'POST', '/v1/policies/beta/rules', {'rule': 'after_db(2)'},
     capture={'r_adb': 'body.id'})
step('edge-e28', 'GET', '/v1/policies', unordered=U)
step('edge-e29', 'GET', '/v1/data-sources', unordered=U)

# ------------------------------------------------------------------ extra
scen('extra', 'Second round: values through push drivers, names, library queries, more simulate')
O = '/v1/policies/omega/rules'
step('extra-e01', 'POST', '/v1/policies', {'name': '_omega_', 'kind': 'action'}, capture={'uomega_id': 'body.id'})
step('extra-e02', 'POST', '/v1/policies', {'name': 'omega', 'description': None, 'abbreviation': None},
     capture={'omega_id': 'body.id'})
step('extra-e03', 'POST', '/v1/policies', {'name': 'x.y'}, defect='D1')
step('extra-e04', 'POST', '/v1/policies', {'name': 'not'})
step('extra-e05', 'POST', '/v1/policies', {'name': 'classification'})
step('extra-e06', 'POST', '/v1/policies', {'name': 'kinded', 'kind': 'Action'}, capture={'kinded_id': 'body.id'})
step('extra-e07', 'GET', '/v1/policies?name=omega&foo=bar', unordered=U)
step('extra-e08', 'POST', O, {'rule': 'q("a\\"b")'}, capture={'r_o1': 'body.id'})
step('extra-e09', 'POST', O, {'rule': 'q(1.5e3)'}, capture={'r_o2': 'body.id'})
step('extra-e10', 'POST', O, {'rule': "q('single')"}, capture={'r_o3': 'body.id'})
step('extra-e11', 'POST', O, {'rule': 'm2(x) :- q(x), not nofacts(x)'}, capture={'r_o4': 'body.id'})
step('extra-e12', 'GET', '/v1/policies/omega/tables/nofacts/rows', unordered=U)
step('extra-e13', 'GET', '/v1/policies/omega/tables/m2/rows', unordered=U)
step('extra-e14', 'GET', '/v1/policies/omega/tables/q/rows', unordered=U)
step('extra-e15', 'GET', '/v1/policies/omega/tables/m2/rows?trace=true', unordered=U,
     types={'body.trace': 'string'})
step('extra-e16', 'POST', O, {'rule': 'p(x), r(x) :- q(x)'})
step('extra-e17', 'POST', O, {'rule': 'insert[q(9)]'})
step('extra-e18', 'POST', O, {'rule': 'q(9)', 'name': 5, 'comment': 7})
step('extra-e19', 'POST', O, {'rule': 'q(10)', 'name': 'n' * 300}, defect='D19')
step('extra-e20', 'POST', O, {'rule': 'nn(x) :- q(x), not q(x)'}, capture={'r_o5': 'body.id'})
step('extra-e21', 'POST', O, {'rule': 'ee(x) :- q(x), execute[nova:pause(x)]'})
step('extra-e22', 'POST', O, {'rule': 'p(x) :- q(x)\n'}, capture={'r_o6': 'body.id'})
step('extra-e23', 'GET', '/v1/policies/omega/tables', unordered=U)
step('extra-e24', 'GET', O, unordered=U)
step('extra-e25', 'POST', '/v1/policies/omega?action=simulate',
     {'query': 'm2(x)', 'action_policy': 'action', 'sequence': 'nofacts+("single")'}, unordered=UR)
step('extra-e26', 'POST', '/v1/policies/omega?action=simulate&delta=true&trace=true',
     {'query': 'm2(x)', 'action_policy': 'action', 'sequence': 'nofacts+("single") q-(1500.0)'},
     unordered=UR, types={'body.trace': 'string'})
step('extra-e27', 'POST', '/v1/policies/omega?action=simulate',
     {'query': 'q(x)', 'action_policy': 'action', 'sequence': 'q+(1) q+(2) q-(1)'}, unordered=UR)
step('extra-e28', 'POST', '/v1/policies/classification?action=simulate',
     {'query': 'nothing(x)', 'action_policy': 'action', 'sequence': 'nothing+(1)'}, unordered=UR)
step('extra-e29', 'POST', '/v1/policies/omega?action=simulate',
     {'query': 'lt(1, 2)', 'action_policy': 'action', 'sequence': 'q+(1)'}, unordered=UR)
step('extra-e30', 'POST', '/v1/policies/omega?action=simulate',
     {'query': 'q(x)', 'action_policy': 'action', 'sequence': 5})
step('extra-e31', 'POST', '/v1/policies/omega?action=simulate',
     {'query': 'q(x)', 'action_policy': 'action', 'sequence': 'q+(x)'}, unordered=UR)
step('extra-e32', 'POST', '/v1/policies/omega?action=simulate',
     {'query': 'q(x)', 'action_policy': 'omega', 'sequence': 'q+(1)'}, unordered=UR)
step('extra-e33', 'POST', D, {'name': 'doc5', 'driver': 'doctor', 'config': {'persist_data': False}},
     capture={'doc5_id': 'body.id'})
step('extra-e34', 'PUT', D + '/doc5/tables/events/rows',
     [{'time': 1, 'type': True, 'details': {'hostname': None, 'status': 2.5, 'monitor': 'm\u00e9',
                                             'monitor_event_id': [1, 2]}}])
step('extra-e35', 'GET', D + '/doc5/tables/events/rows', unordered=U)
step('extra-e36', 'PUT', D + '/doc5/tables/events/rows', {'a': 1})
step('extra-e37', 'PUT', D + '/doc5/tables/events/rows', [{'details': 5}])
step('extra-e38', 'PUT', D + '/doc5/tables/events/rows', [{'details': {}}])
step('extra-e39', 'GET', D + '/doc5/tables/events/rows', unordered=U)
step('extra-e40', 'POST', D, {'name': 'doc6', 'driver': 'doctor', 'config': None},
     capture={'doc6_id': 'body.id'})
step('extra-e41', 'POST', D, {'name': 'doc7', 'driver': 'doctor', 'config': 'x'})
step('extra-e42', 'POST', D, {'name': 'Doc8', 'driver': 'doctor', 'description': 'd\u00e9'},
     capture={'doc8_id': 'body.id'})
step('extra-e43', 'POST', D, {'name': 'omega', 'driver': 'doctor'})
step('extra-e44', 'POST', D, {'name': 'doc9', 'driver': 'doctor', 'id': 'abc', 'type': 'x'},
     capture={'doc9_id': 'body.id'})
step('extra-e45', 'GET', D, unordered=U)
step('extra-e46', 'POST', D + '/nosuch?action=request-refresh', {})
step('extra-e47', 'POST', D + '/nosuch/webhook', {'a': 1})
step('extra-e48', 'POST', O, {'rule': 'hd(h, s) :- doc5:events(hostname=h, status=s)'},
     capture={'r_o7': 'body.id'})
step('extra-e49', 'GET', '/v1/policies/omega/tables/hd/rows', unordered=U, delayMs=1000)
step('extra-e50', 'POST', O, {'rule': 'hd2(h) :- doc5:events(hostname=h, status=s, nosuch=t)'})
step('extra-e51', 'POST', O, {'rule': 'hd3(t) :- doc5:events(t, y)'}, capture={'r_o8': 'body.id'})
step('extra-e52', 'POST', O, {'rule': 'hd4(t) :- doc5:events(0=t)'}, note='Q8: upstream 500')
step('extra-e53', 'GET', '/v1/policies/omega/tables/hd4/rows', unordered=U, delayMs=500)
step('extra-e54', 'POST', O, {'rule': 'hd5(t) :- doc5:events(0=t, time=u)'})
step('extra-e55', 'POST', O, {'rule': 'hd6(t) :- doc5:nosuchtable(t)'})
step('extra-e56', 'POST', L, {'name': 'libz', 'description': 'z\u00e9', 'kind': 'database', 'rules': [
    {'rule': 'a(1)', 'name': None}]}, types=SCHEMA)
step('extra-e57', 'POST', L, {'name': 'libz', 'abbreviation': 'lz', 'kind': 'materialized',
                             'rules': [{'rule': 'a(1)', 'comment': 'c'}, {'rule': 'a(1)'}]},
     capture={'libz_id': 'body.id'})
step('extra-e58', 'GET', L + '?name=libz&include_rules=false', unordered=U)
step('extra-e59', 'GET', L + '?include_rules=0', unordered=U)
step('extra-e60', 'POST', '/v1/policies?library_policy={{libz_id}}', {})
step('extra-e61', 'GET', '/v1/policies/libz')
step('extra-e62', 'POST', L, {'name': 'libw', 'rules': [{'rule': 'a(1)'}], 'id': 'x', 'extra': 1},
     capture={'libw_id': 'body.id'})
step('extra-e63', 'POST', '/v1/policies?library_policy={{libw_id}}', rawBody='')
step('extra-e64', 'POST', '/v1/policies?library_policy={{libw_id}}', None)
step('extra-e65', 'GET', '/v1/policies/libw/rules', unordered=U)
step('extra-e66', 'DELETE', '/v1/policies/omega/rules/{{r_o4}}')
step('extra-e67', 'GET', '/v1/policies/omega/tables/m2/rows')
step('extra-e68', 'DELETE', '/v1/policies/omega')
step('extra-e69', 'GET', '/v1/policies/omega/rules/{{r_o1}}')
step('extra-e70', 'DELETE', '/v1/policies/omega/rules/{{r_o1}}')

# ------------------------------------------------------------------ types
scen('types', 'Wrong JSON types in bodies of every kind')
step('types-e01', 'POST', '/v1/policies', {'name': 'tp'}, capture={'tp_id': 'body.id'})
TP = '/v1/policies/tp/rules'
step('types-e02', 'POST', TP, {'rule': None}, defect='D13')
step('types-e03', 'POST', TP, {'rule': ['a(1)']})
step('types-e04', 'POST', TP, {'rule': 'a(2)', 'comment': 5}, capture={'r_t1': 'body.id'})
step('types-e05', 'POST', TP, {'rule': 'a(5)', 'comment': True}, capture={'r_t2': 'body.id'})
step('types-e06', 'POST', TP, [], defect='D13')
step('types-e07', 'POST', TP, 'a(4)', defect='D13')
step('types-e08', 'GET', TP, unordered=U)
step('types-e09', 'POST', '/v1/policies', {'name': 'td1', 'description': True}, capture={'td1_id': 'body.id'})
step('types-e10', 'POST', '/v1/policies', {'name': 'td2', 'description': 2.5}, capture={'td2_id': 'body.id'})
step('types-e11', 'GET', '/v1/policies/td1')
step('types-e12', 'GET', '/v1/policies/td2')
step('types-e13', 'POST', '/v1/policies', {'name': None})
step('types-e14', 'POST', '/v1/policies', {'name': 'td3', 'kind': None, 'abbreviation': None,
                                          'description': None}, capture={'td3_id': 'body.id'})
step('types-e15', 'POST', '/v1/policies', {'name': 'td4', 'kind': ''}, defect='D1')
step('types-e16', 'POST', '/v1/policies', {'name': 'td5', 'rules': None}, types=SCHEMA)
step('types-e17', 'POST', '/v1/policies', {'name': 'td6', 'rules': [{'rule': 5}]}, types=SCHEMA)
step('types-e18', 'POST', '/v1/policies', {'name': 'td7', 'rules': [{'rule': 'a(1)'}], 'description': None},
     types=SCHEMA)
step('types-e19', 'POST', '/v1/policies', {'name': 'td8', 'rules': [{'rule': 'a(1)', 'name': ''}]},
     capture={'td8_id': 'body.id'})
step('types-e20', 'POST', L, {'name': 5, 'rules': []}, types=SCHEMA)
step('types-e21', 'POST', L, [], types=SCHEMA)
step('types-e22', 'POST', L, rawBody='null', types=SCHEMA)
step('types-e23', 'POST', D, {'name': 'dd1', 'driver': 5}, defect='D10')
step('types-e24', 'POST', D, {'name': 'dd3', 'driver': 'doctor', 'enabled': 'yes'})
step('types-e25', 'POST', '/v1/policies/tp?action=simulate',
     {'query': 'a(x)', 'sequence': 'a+(1)', 'action_policy': 5})
step('types-e26', 'POST', '/v1/policies/tp?action=simulate', [], defect='D12')
step('types-e27', 'POST', '/v1/policies/tp?action=execute', {'name': 5}, defect='D12')
step('types-e28', 'POST', '/v1/policies/tp?action=execute', {'name': 'a:b', 'args': {'positional': 'x'}})
step('types-e29', 'POST', '/v1/policies', {'name': 'td9', 'abbreviation': '  ', 'kind': 'action'},
     capture={'td9_id': 'body.id'})

# ------------------------------------------------------------------ prefixed
scen('prefixed', 'Prefixed table names in policy paths, subscriptions after deletes')
step('prefixed-e01', 'POST', '/v1/policies', {'name': 'px'}, capture={'px_id': 'body.id'})
step('prefixed-e02', 'POST', D, {'name': 'dz2', 'driver': 'doctor'}, capture={'dz2_id': 'body.id'})
step('prefixed-e03', 'POST', '/v1/policies/px/rules', {'rule': 'dh(h) :- dz2:events(hostname=h)'},
     capture={'r_dh': 'body.id'})
step('prefixed-e04', 'GET', '/v1/policies/px/tables', unordered=U)
step('prefixed-e05', 'GET', '/v1/policies/px/tables/dz2:events')
step('prefixed-e06', 'GET', '/v1/policies/px/tables/dz2:events/rows', unordered=U)
step('prefixed-e07', 'GET', '/v1/policies/px/tables/dz2%3Aevents')
step('prefixed-e08', 'GET', D + '/dz2/status', delayMs=500)
step('prefixed-e09', 'DELETE', '/v1/policies/px')
step('prefixed-e10', 'GET', D + '/dz2/status', delayMs=500)
step('prefixed-e11', 'DELETE', D + '/dz2')

# ------------------------------------------------------------------ wide
scen('wide', 'Third round: error bodies on every collection, query parameters, column '
     'references, simulate options, actions, library details, unicode and long names, '
     'push and webhook drivers, cloud drivers whose upstream is unreachable')
WP = '/v1/policies/wp'
WR = WP + '/rules'
WT = WP + '/tables'
WS = WP + '?action=simulate'
WD = D + '/wdoc'
step('wide-e01', 'POST', '/v1/policies', {'name': 'wp', 'description': 'wide'},
     capture={'wp_id': 'body.id'})
step('wide-e02', 'POST', D, {'name': 'wdoc', 'driver': 'doctor'}, capture={'wdoc_id': 'body.id'})
step('wide-e03', 'PUT', WD + '/tables/events/rows', EV)
# bodies on every collection
step('wide-e04', 'POST', D, rawBody='{', patterns=PARSE)
step('wide-e05', 'POST', D, rawBody='{"name":"wx","driver":"doctor"}',
     headers={'content-type': 'application/json; charset=latin-1'})
step('wide-e06', 'POST', D, rawBody='{"name":"wx","driver":"doctor"}', noContentType=True)
step('wide-e07', 'POST', D, [])
step('wide-e08', 'POST', D, 'wx')
step('wide-e09', 'POST', L, rawBody='{"name":"wl","rules":[]}', headers={'content-type': 'text/plain'})
step('wide-e10', 'POST', L, rawBody='{"name":"wl","rules":[]}',
     headers={'content-type': 'application/json; charset=ascii'})
step('wide-e11', 'POST', L, rawBody='', patterns=PARSE)
step('wide-e12', 'POST', WR, rawBody='{"rule":"q(1)"}',
     headers={'content-type': 'application/json; charset=latin-1'})
step('wide-e13', 'POST', WR, rawBody='{"rule":"q(1)"}', noContentType=True)
step('wide-e14', 'POST', WR, rawBody='', patterns=PARSE)
step('wide-e15', 'PUT', WD + '/tables/events/rows', rawBody='[]', headers={'content-type': 'text/plain'})
step('wide-e16', 'PUT', WD + '/tables/events/rows', rawBody='[]', noContentType=True)
step('wide-e17', 'PUT', WD + '/tables/events/rows', rawBody='',  patterns=PARSE)
step('wide-e18', 'POST', WS, rawBody='{"query": "q(x)", "action_policy": "action", "sequence": "q+(1)"}',
     headers={'content-type': 'text/plain'}, unordered=UR, note='actions read the body themselves')
# methods on collections and elements
step('wide-e19', 'PUT', '/v1/policies', {})
step('wide-e20', 'PATCH', D, {})
step('wide-e21', 'PUT', L, {})
step('wide-e22', 'POST', WT, {})
step('wide-e23', 'POST', WD + '/tables', {})
step('wide-e24', 'PUT', WR, [])
step('wide-e25', 'DELETE', WT)
step('wide-e26', 'POST', WP + '/status', {})
step('wide-e27', 'POST', WP + '/status?action=x', {})
step('wide-e28', 'DELETE', WP + '/status')
step('wide-e29', 'DELETE', WD + '/status')
step('wide-e30', 'DELETE', WD + '/schema')
step('wide-e31', 'PUT', WD + '/schema', {})
step('wide-e32', 'GET', WD + '/tables/events/rows/x')
step('wide-e33', 'DELETE', WD + '/tables/events/rows')
step('wide-e34', 'POST', WD + '/tables/events/rows', {})
step('wide-e35', 'DELETE', WD + '/tables/events')
step('wide-e36', 'POST', WD + '/tables/events?action=x', {})
step('wide-e37', 'POST', '/v1/system/drivers/doctor?action=x', {})
step('wide-e38', 'GET', '/v1/system')
step('wide-e39', 'GET', '/v1/system/drivers/')
step('wide-e40', 'GET', '/v1/data-sources/')
step('wide-e41', 'GET', '/v1//policies')
step('wide-e42', 'GET', '/V1/policies')
step('wide-e43', 'GET', '/v1/policies/a%2Fb')
step('wide-e44', 'GET', WR + '/x/status/y')
step('wide-e45', 'DELETE', WD + '/actions')
step('wide-e46', 'GET', WD + '/webhook')
# query parameters
step('wide-e47', 'GET', '/v1/policies?name=wp&limit=1&marker=x', unordered=U)
step('wide-e48', 'GET', D + '?name=wdoc&limit=1', unordered=U)
step('wide-e49', 'GET', '/v1/system/drivers?limit=1', contains={'body.results': [
    {'id': 'doctor', 'description': 'Datasource driver that allows external systems to push data '
     'in accordance with OPNFV Doctor Inspector southbound interface specification.'}]})
step('wide-e50', 'GET', WR + '?name=x', unordered=U)
step('wide-e51', 'GET', WP + '?x=1')
step('wide-e52', 'GET', WD + '?x=1')
# rules over datasource tables
step('wide-e53', 'POST', WR, {'rule': 'wq(h) :- wdoc:events(hostname=h)'}, capture={'r_wq': 'body.id'})
step('wide-e54', 'POST', WR, {'rule': 'wm(t, h) :- wdoc:events(t, hostname=h)'},
     capture={'r_wm': 'body.id'})
step('wide-e55', 'POST', WR, {'rule': 'wd(h) :- wdoc:events(hostname=h, hostname=g)'})
EVS = r'wdoc:events\(x_10, x_11, h, "down", x_14, x_15\)'
step('wide-e56', 'POST', WR, {'rule': 'wh(h) :- wq(h), not wdoc:events(hostname=h, status="down")'},
     patterns={'body.error.message': r'^Syntax error for rule::Could not reorder rule wh\(h\) :- '
               r'wq\(h\), not ' + EVS + r'\.  Unsafe lits: not ' + EVS +
               r" \(vars \{'x_1[0145]', 'x_1[0145]', 'x_1[0145]', 'x_1[0145]'\}\)$"},
     note='the variable set is printed in Python hash order (random per process)')
step('wide-e57', 'POST', WR, {'rule': 'wx(x) :- classification:q(a=x)'})
step('wide-e58', 'POST', WR, {'rule': 'wy(x) :- wq(a=x)'})
HEAD6 = r'wdoc:events\(x_00, x_01, h, x_03, x_04, x_05\)'
step('wide-e59', 'POST', WR, {'rule': 'wdoc:events(hostname=h) :- wq(h)'},
     patterns={'body.error.message': r'^Syntax error for rule::(Variable x_0[01345] found in head but '
               r'not in body, rule ' + HEAD6 + r' :- wq\(h\);){5}Non-modal rule head ' + HEAD6 +
               r' should not reference any policy: ' + HEAD6 + r' :- wq\(h\)$'},
     note='one message per unbound head variable, in Python hash order')
step('wide-e60', 'POST', WR, {'rule': 'wz(h) :- wdoc:events(hostname=h, status=_)'})
step('wide-e61', 'POST', WR, {'rule': 'wv(h, s) :- wdoc:events(hostname=h, status=s), s = "up"'})
step('wide-e62', 'POST', WR, {'rule': 'wu(h) :- wdoc:events(hostname=h, type="compute.host.down", '
                              'monitor_event_id="112")'}, capture={'r_wu': 'body.id'})
step('wide-e63', 'POST', WR, {'rule': 'wnone(h) :- wdoc:nosuch(hostname=h)'})
step('wide-e64', 'POST', WR, {'rule': 'wnone(h) :- nosuchds:events(hostname=h)'})
step('wide-e65', 'GET', WT, unordered=U, delayMs=1000)
step('wide-e66', 'GET', WT + '/wq/rows', unordered=U)
step('wide-e67', 'GET', WT + '/wm/rows', unordered=U)
step('wide-e68', 'GET', WT + '/wh/rows', unordered=U)
step('wide-e69', 'GET', WT + '/wv/rows', unordered=U)
step('wide-e70', 'GET', WT + '/wu/rows', unordered=U)
step('wide-e71', 'GET', WT + '/wq/rows?trace=True', unordered=U, types={'body.trace': 'string'})
step('wide-e72', 'GET', WT + '/wq/rows?trace=yes', unordered=U)
step('wide-e73', 'GET', WT + '/wq/rows?trace=0', unordered=U)
step('wide-e74', 'GET', WT + '/wq/rows?trace=', unordered=U)
step('wide-e75', 'GET', WT + '/wdoc:events/rows', unordered=U)
step('wide-e76', 'GET', WT + '/wdoc:events')
step('wide-e77', 'GET', WD + '/tables/events/rows?trace=true&x=1', unordered=U)
step('wide-e78', 'GET', WD + '/status', delayMs=300)
step('wide-e79', 'GET', WR + '/{{r_wq}}/status')
step('wide-e80', 'GET', '/v1/policies/{{wp_id}}/rules/{{r_wm}}/status')
step('wide-e81', 'GET', WR + '/{{r_wm}}')
# simulate options
step('wide-e82', 'POST', WR, {'rule': 'q(1)'}, capture={'r_wq1': 'body.id'})
step('wide-e83', 'POST', WR, {'rule': 'p(x) :- q(x), not r(x)'}, capture={'r_wp': 'body.id'})
step('wide-e84', 'POST', WR, {'rule': 'r(2)'}, capture={'r_wr2': 'body.id'})
step('wide-e85', 'POST', WS + '&delta=TRUE',
     {'query': 'p(x)', 'action_policy': 'action', 'sequence': 'q+(2) q+(3) r-(2)'}, unordered=UR)
step('wide-e86', 'POST', WS + '&delta=yes',
     {'query': 'p(x)', 'action_policy': 'action', 'sequence': 'q+(3)'}, unordered=UR)
step('wide-e87', 'POST', WS + '&delta=0',
     {'query': 'p(x)', 'action_policy': 'action', 'sequence': 'q+(3)'}, unordered=UR)
step('wide-e88', 'POST', WS + '&trace=1',
     {'query': 'p(x)', 'action_policy': 'action', 'sequence': 'q+(3)'}, unordered=UR,
     types={'body.trace': 'string'})
step('wide-e89', 'POST', WS + '&trace=false&delta=true',
     {'query': 'p(x)', 'action_policy': 'action', 'sequence': 'q+(3)'}, unordered=UR)
step('wide-e90', 'POST', WS + '&trace=TRUE&delta=1',
     {'query': 'p(x)', 'action_policy': 'action', 'sequence': 'q-(1)'}, unordered=UR,
     types={'body.trace': 'string'})
step('wide-e91', 'POST', WS, {'query': 'p(x)', 'action_policy': '{{action_id}}', 'sequence': 'q+(3)'},
     defect='D3')
step('wide-e92', 'POST', WS, {'query': 'p(x)', 'action_policy': 'action', 'sequence': 'q+(3)\nq+(4)\n'},
     unordered=UR)
step('wide-e93', 'POST', WS, {'query': 'p(x)', 'action_policy': 'action', 'sequence': 'q+(3);q+(4)'},
     unordered=UR)
step('wide-e94', 'POST', WS, {'query': 'p(x)', 'action_policy': 'action',
                              'sequence': 'q+(x) :- r(x)'}, unordered=UR)
step('wide-e95', 'POST', WS, {'query': 'not p(1)', 'action_policy': 'action', 'sequence': 'q+(3)'},
     unordered=UR)
step('wide-e96', 'POST', WS, {'query': 'p(1)', 'action_policy': 'action', 'sequence': 'r+(1)'},
     unordered=UR)
step('wide-e97', 'POST', WS, {'query': 'wq(h)', 'action_policy': 'action',
                              'sequence': 'wdoc:events+("t", "ty", "hx", "up", "m", "i")'},
     unordered=UR)
step('wide-e98', 'POST', WS, {'query': 'wdoc:events(hostname=h)', 'action_policy': 'action',
                              'sequence': 'q+(3)'}, unordered=UR)
step('wide-e99', 'POST', WS, {'query': 'p(x)', 'action_policy': 'action', 'sequence': 'q+(3)',
                              'extra': 1, 'delta': True}, unordered=UR)
step('wide-e100', 'POST', '/v1/policies/classification?action=simulate',
     {'query': 'wp:p(x)', 'action_policy': 'action', 'sequence': 'wp:q+(7)'}, unordered=UR)
step('wide-e101', 'POST', WS, {'query': 'p(x)', 'action_policy': 'action', 'sequence': 'p+(9)'},
     unordered=UR)
step('wide-e102', 'POST', WS, {'query': 'p(x)', 'action_policy': 'action', 'sequence': 'q(3)'},
     unordered=UR)
step('wide-e103', 'POST', WS, {'query': 'p(x)', 'action_policy': 'action', 'sequence': 'q+(3, 4)'})
step('wide-e104', 'POST', WS, {'query': 'p(x, y)', 'action_policy': 'action', 'sequence': 'q+(3)'})
step('wide-e105', 'POST', WS, {'query': 'plus(1, 2, x)', 'action_policy': 'action', 'sequence': 'q+(3)'},
     unordered=UR)
step('wide-e106', 'POST', WS, {'query': '', 'action_policy': 'action', 'sequence': 'q+(3)'})
step('wide-e107', 'POST', WS, {'query': 'p(x)', 'action_policy': '', 'sequence': 'q+(3)'})
step('wide-e108', 'POST', WT + '/q/rows?x=1', {})
step('wide-e109', 'GET', WT + '/q/rows', unordered=U, note='nothing changed by the simulations')
# action policy with updates
step('wide-e110', 'POST', '/v1/policies', {'name': 'wact', 'kind': 'action'}, capture={'wact_id': 'body.id'})
step('wide-e111', 'POST', '/v1/policies/wact/rules', {'rule': 'action("addq")'})
step('wide-e112', 'POST', '/v1/policies/wact/rules', {'rule': 'wp:q+(x) :- addq(x)'})
step('wide-e113', 'POST', '/v1/policies/wact/rules', {'rule': 'wp:r-(x) :- addq(x), wp:r(x)'})
step('wide-e114', 'POST', WS, {'query': 'p(x)', 'action_policy': 'wact', 'sequence': 'addq(2)'},
     unordered=UR)
step('wide-e115', 'POST', WS + '&delta=true', {'query': 'p(x)', 'action_policy': 'wact',
                                               'sequence': 'addq(2) addq(5)'}, unordered=UR)
step('wide-e116', 'POST', WS, {'query': 'p(x)', 'action_policy': '{{wact_id}}', 'sequence': 'addq(2)'},
     defect='D3')
step('wide-e117', 'POST', WS, {'query': 'p(x)', 'action_policy': 'wact', 'sequence': 'nosuchaction(2)'},
     unordered=UR)
step('wide-e118', 'GET', '/v1/policies/wact/tables', unordered=U)
# execute actions
WX = WP + '?action=execute'
step('wide-e119', 'POST', WX, {'name': 'wdoc:foo', 'args': {'positional': [1], 'named': {'a': 1}}})
step('wide-e120', 'POST', WX, {'name': 'wdoc:foo', 'args': {}})
step('wide-e121', 'POST', WX, {'name': ':foo'})
step('wide-e122', 'POST', WX, {'name': 'wdoc:'})
step('wide-e123', 'POST', WX, {'name': 'wdoc:foo', 'args': {'named': 5}})
step('wide-e124', 'POST', WX, {'name': 'wdoc:foo', 'args': None})
step('wide-e125', 'POST', WD + '?action=execute', {'name': 'foo', 'args': {'positional': [], 'named': 5}})
step('wide-e126', 'POST', WD + '?action=execute', {'name': 'foo', 'args': {'positional': 'x'}})
step('wide-e127', 'POST', WD + '?action=execute', {'args': {}})
step('wide-e128', 'POST', WD + '?action=execute', {'name': 'foo'})
step('wide-e129', 'POST', D + '/{{wdoc_id}}?action=request-refresh', {})
step('wide-e130', 'POST', WD + '?action=request_refresh', {})
step('wide-e131', 'POST', WD + '?action=request-refresh', rawBody='x', headers={'content-type': 'text/plain'})
step('wide-e132', 'POST', D + '/nosuch?action=execute', {'name': 'foo'})
step('wide-e133', 'GET', D + '/{{wdoc_id}}/actions', defect='D23')
# webhook drivers
step('wide-e134', 'POST', D, {'name': 'wvit', 'driver': 'vitrage'}, capture={'wvit_id': 'body.id'})
step('wide-e135', 'GET', D + '/wvit/actions', defect='D23')
step('wide-e136', 'POST', D + '/wvit/webhook', VP, headers={'content-type': 'text/plain'})
step('wide-e137', 'POST', D + '/wvit/webhook', VP, noContentType=True)
step('wide-e138', 'GET', D + '/wvit/tables/alarms/rows', unordered=U)
step('wide-e139', 'PUT', D + '/wvit/tables/alarms/rows', [])
step('wide-e140', 'GET', D + '/wvit/tables/alarms/spec')
step('wide-e141', 'POST', D, {'name': 'wmw', 'driver': 'monasca_webhook'}, capture={'wmw_id': 'body.id'})
step('wide-e142', 'GET', D + '/wmw/schema')
step('wide-e143', 'GET', D + '/wmw/tables', unordered=U)
MW = {'alarm_id': 'a1', 'alarm_definition_id': 'ad1', 'alarm_name': 'high cpu',
      'alarm_description': 'cpu', 'alarm_timestamp': 1546300800, 'state': 'ALARM',
      'old_state': 'OK', 'message': 'm', 'tenant_id': 't1',
      'metrics': [{'id': 'm1', 'name': 'cpu.idle_perc', 'dimensions': {'hostname': 'h1'}}]}
step('wide-e144', 'POST', D + '/wmw/webhook', MW)
step('wide-e145', 'GET', D + '/wmw/tables/alarm_notification/rows', unordered=U)
step('wide-e146', 'GET', D + '/wmw/tables/alarms.metrics/rows', unordered=U)
step('wide-e147', 'GET', D + '/wmw/tables/alarms.metrics.dimensions/rows', unordered=U)
step('wide-e148', 'GET', D + '/wmw/status')
step('wide-e149', 'GET', D + '/wmw/actions', defect='D23')
step('wide-e150', 'DELETE', D + '/{{wmw_id}}')
step('wide-e151', 'DELETE', D + '/wvit')
# library details
step('wide-e152', 'POST', L, {'name': 'l' * 255, 'rules': []}, capture={'llong_id': 'body.id'})
step('wide-e153', 'POST', L, {'name': 'l' * 256, 'rules': []}, types=SCHEMA)
step('wide-e154', 'POST', L, {'name': 'wl1', 'description': 'd\u00e9j\u00e0', 'abbreviation': '\u00fcni',
                             'rules': [{'rule': 'u("\u2713")', 'name': '\u00fc', 'comment': '\u00e7'}]},
     capture={'wl1_id': 'body.id'})
step('wide-e155', 'POST', L, {'name': 'wl2', 'abbreviation': '', 'rules': []}, types=SCHEMA)
step('wide-e156', 'POST', L, {'name': 'wl2', 'rules': [{'rule': 'a(1)', 'extra': 1}]},
     capture={'wl2_id': 'body.id'})
step('wide-e157', 'POST', L, {'name': 'wl3', 'description': None, 'rules': []}, types=SCHEMA)
step('wide-e158', 'POST', L, {'name': 'wl3', 'rules': [{'rule': 'a(1)', 'comment': 'c' * 256}]},
     types=SCHEMA)
step('wide-e159', 'POST', L, {'name': 'wl3', 'rules': {}}, types=SCHEMA)
step('wide-e160', 'GET', L + '?name=wl1&include_rules=no', unordered=U)
step('wide-e161', 'GET', L + '?name=wl1&include_rules=', unordered=U)
step('wide-e162', 'GET', L + '?name=%C3%BC', unordered=U)
step('wide-e163', 'GET', L + '/{{wl1_id}}')
step('wide-e164', 'GET', L + '/{{wl2_id}}?include_rules=true')
step('wide-e165', 'POST', '/v1/policies?library_policy={{wl1_id}}&x=1', {})
step('wide-e166', 'GET', '/v1/policies/wl1/rules', unordered=U)
step('wide-e167', 'POST', '/v1/policies?library_policy=', {}, defect='D7')
step('wide-e168', 'POST', '/v1/policies?library_policy={{wl2_id}}', {'name': 'x'}, defect='D12')
step('wide-e169', 'POST', '/v1/policies?library_policy={{llong_id}}', {},
     capture={'llongpol_id': 'body.id'})
step('wide-e170', 'DELETE', '/v1/policies/{{llongpol_id}}')
step('wide-e171', 'DELETE', L + '/{{llong_id}}')
step('wide-e172', 'POST', L + '/{{wl1_id}}?action=x', {})
# unicode and long names
step('wide-e173', 'POST', '/v1/policies', {'name': 'w' * 255}, capture={'w255_id': 'body.id'})
step('wide-e174', 'GET', '/v1/policies/' + 'w' * 255)
step('wide-e175', 'DELETE', '/v1/policies/' + 'w' * 255)
step('wide-e176', 'POST', '/v1/policies', {'name': 'wuni', 'abbreviation': '\u00fcnic\u00f6',
                                          'description': '\u2713' * 10},
     capture={'wuni_id': 'body.id'})
step('wide-e177', 'POST', '/v1/policies/wuni/rules',
     {'rule': 'uu("\u00e9")', 'name': '\u00e9' * 255, 'comment': '\u00e7' * 255},
     capture={'r_uu': 'body.id'})
step('wide-e178', 'GET', '/v1/policies/wuni/rules/{{r_uu}}')
step('wide-e179', 'GET', '/v1/policies/wuni/rules/{{r_uu}}/status')
step('wide-e180', 'GET', '/v1/policies/wuni/tables/uu/rows', unordered=U)
step('wide-e181', 'POST', '/v1/policies/wuni/rules', {'rule': 'p\u00f6(1)'})
step('wide-e182', 'POST', '/v1/policies/wuni/rules', {'rule': 'pp(x) :- uu(x), x = "\u00e9"'})
step('wide-e183', 'GET', '/v1/policies/wuni/tables/pp/rows', unordered=U)
step('wide-e184', 'GET', '/v1/policies/w%C3%B6')
step('wide-e185', 'GET', WT + '/%C3%BC/rows')
step('wide-e186', 'GET', D + '/%C3%BC')
step('wide-e187', 'GET', WR + '/%20')
step('wide-e188', 'GET', L + '/%C3%BC', defect='D7')
step('wide-e189', 'POST', D, {'name': 'wdoc2', 'driver': 'doctor', 'description': '\u00e9\u2713'},
     capture={'wdoc2_id': 'body.id'})
step('wide-e190', 'GET', D + '/wdoc2')
step('wide-e191', 'POST', D, {'name': 'd' * 255, 'driver': 'doctor'}, capture={'d255_id': 'body.id'})
step('wide-e192', 'GET', D + '/' + 'd' * 255 + '/status')
step('wide-e193', 'DELETE', D + '/' + 'd' * 255)
step('wide-e194', 'DELETE', D + '/{{wdoc2_id}}')
# policy and rule status after deletes
step('wide-e195', 'DELETE', WR + '/{{r_wr2}}')
step('wide-e196', 'GET', WR + '/{{r_wr2}}/status')
step('wide-e197', 'GET', WR + '/{{r_wr2}}')
step('wide-e198', 'GET', '/v1/policies/{{wp_id}}/status')
step('wide-e199', 'DELETE', '/v1/policies/{{wuni_id}}')
step('wide-e200', 'GET', '/v1/policies/{{wuni_id}}/status')
step('wide-e201', 'GET', '/v1/policies/wuni/rules/{{r_uu}}/status')
# cloud drivers whose upstream is unreachable
DEAD = {'auth_url': 'http://127.0.0.1:9/v3', 'username': 'u', 'password': 'secret',
        'project_name': 'p'}
PW = {'body.config.password': 'string'}
MISSING = {'body.error.message': '^Missing required config options: '
           '(username|project_name|password), (username|project_name|password), '
           '(username|project_name|password)$'}
step('wide-e202', 'POST', D, {'name': 'wc0', 'driver': 'neutronv2', 'config': DEAD},
     capture={'wc0_id': 'body.id'})
step('wide-e203', 'GET', D + '/{{wc0_id}}', defect='D8')
step('wide-e204', 'GET', D + '/wc0/schema', note='upstream: the service failed to start')
step('wide-e205', 'GET', D + '/wc0/tables', unordered=U)
step('wide-e206', 'GET', D + '/wc0/status', delayMs=500)
step('wide-e207', 'POST', D + '/wc0?action=request-refresh', {})
step('wide-e208', 'POST', D, {'name': 'wc0b', 'driver': 'neutronv2',
                              'config': {'auth_url': 'http://127.0.0.1:9/v3'}}, patterns=MISSING,
     note='the missing options are printed in Python set order')
step('wide-e209', 'DELETE', D + '/wc0')
for i, drv in enumerate(['cinder', 'glancev2', 'keystonev3', 'heat', 'swift', 'aodh', 'monasca'],
                        start=1):
    n = 'wc%d' % i
    base = 206 + i * 4
    step('wide-e%d' % base, 'POST', D, {'name': n, 'driver': drv, 'config': DEAD},
         capture={n + '_id': 'body.id'}, types=PW, note='D8: ours masks the password')
    step('wide-e%d' % (base + 1), 'GET', D + '/' + n, types=PW)
    step('wide-e%d' % (base + 2), 'POST', D, {'name': n + 'b', 'driver': drv,
                                              'config': {'auth_url': 'http://127.0.0.1:9/v3'}},
         patterns=MISSING)
    step('wide-e%d' % (base + 3), 'DELETE', D + '/{{%s_id}}' % n)
step('wide-e266', 'POST', D, {'name': 'wten', 'driver': 'neutronv2',
                              'config': {'auth_url': 'http://127.0.0.1:9/v3', 'username': 'u',
                                         'password': 'p', 'tenant_name': 't'}},
     capture={'wten_id': 'body.id'}, types=PW)
step('wide-e267', 'GET', D + '/{{wten_id}}', types=PW)
step('wide-e268', 'POST', D, {'name': 'wten2', 'driver': 'neutronv2',
                              'config': {'auth_url': 'http://127.0.0.1:9/v3', 'username': 'u',
                                         'password': 'p', 'project_name': 't', 'poll_time': 5,
                                         'lazy_tables': ['ports']}},
     capture={'wten2_id': 'body.id'}, types=PW)
step('wide-e269', 'GET', D + '?x=1', unordered=U, note='secrets masked in the list')
step('wide-e273', 'DELETE', D + '/wten')
step('wide-e274', 'DELETE', D + '/wten2')
step('wide-e276', 'DELETE', D + '/wdoc')
step('wide-e277', 'GET', WT + '/wq/rows', unordered=U)
step('wide-e278', 'GET', WT, unordered=U)
step('wide-e279', 'DELETE', '/v1/policies/wp')
step('wide-e280', 'DELETE', '/v1/policies/wact')

# ------------------------------------------------------------------ wide2
scen('wide2', 'Fourth round: kinds, rule text details, push data shapes, datasource and '
     'policy name interplay, recreated datasources')
V = '/v1/policies/vp'
VR = V + '/rules'
VT = V + '/tables'
VD = D + '/vdoc'
step('wide2-e01', 'POST', '/v1/policies', {'name': 'vp'}, capture={'vp_id': 'body.id'})
step('wide2-e02', 'POST', '/v1/policies', {'name': 'vk1', 'kind': 'delta'}, defect='D1')
step('wide2-e03', 'POST', '/v1/policies', {'name': 'vk2', 'kind': 'datasource'})
step('wide2-e04', 'POST', '/v1/policies', {'name': 'vk3', 'kind': 'DATABASE', 'rules': []},
     types=SCHEMA)
step('wide2-e05', 'POST', '/v1/policies', {'name': 'vk4', 'kind': 'z3', 'rules': []}, defect='D1')
step('wide2-e06', 'POST', '/v1/policies', {'name': 'vk5', 'kind': 'action', 'rules': [
    {'rule': 'action("go")'}, {'rule': 'vp:q+(x) :- go(x)'}]}, capture={'vk5_id': 'body.id'})
step('wide2-e07', 'GET', '/v1/policies/vk5/tables', unordered=U)
step('wide2-e08', 'POST', '/v1/policies', {'name': 'vk6', 'rules': [{'rule': 'a(1)', 'name': None}]},
     types=SCHEMA)
step('wide2-e09', 'POST', '/v1/policies', {'name': 'vk7', 'rules': [{'rule': 'a(1)', 'extra': 1}]},
     capture={'vk7_id': 'body.id'})
step('wide2-e10', 'GET', '/v1/policies', unordered=U)
# rule text details
step('wide2-e11', 'POST', VR, {'rule': 'q(11) // trailing comment'})
step('wide2-e12', 'POST', VR, {'rule': '// only a comment'})
step('wide2-e13', 'POST', VR, {'rule': 'q(12)', 'comment': 'line one\nline two', 'name': ''},
     capture={'r_v2': 'body.id'})
step('wide2-e14', 'GET', VR + '/{{r_v2}}')
step('wide2-e15', 'POST', VR, {'rule': 'p(x) :- q(x), lt(x)'})
step('wide2-e16', 'POST', VR, {'rule': 'p(x) :- q(x), nosuchbuiltin(x, 1)'}, capture={'r_v3': 'body.id'})
step('wide2-e17', 'POST', VR, {'rule': 'p(x) :- q(x), gt(x, 11)'})
step('wide2-e18', 'POST', VR, {'rule': 's(x, y) :- q(x), plus(x, 1, y), y > 12'})
step('wide2-e19', 'POST', VR, {'rule': 's(x, y) :- q(x), plus(x, 1, y)'}, capture={'r_v4': 'body.id'})
step('wide2-e20', 'POST', VR, {'rule': 'c(x) :- q(x), equal(x, 11.0)'}, capture={'r_v5': 'body.id'})
step('wide2-e21', 'POST', VR, {'rule': 'q(11.0)'}, capture={'r_v6': 'body.id'})
step('wide2-e22', 'POST', VR, {'rule': 'q(-0)'})
step('wide2-e23', 'POST', VR, {'rule': 'e("")'}, capture={'r_v7': 'body.id'})
step('wide2-e24', 'POST', VR, {'rule': 'e("tab\\there")'}, capture={'r_v8': 'body.id'})
step('wide2-e25', 'GET', VT + '/s/rows', unordered=U)
step('wide2-e26', 'GET', VT + '/c/rows', unordered=U)
step('wide2-e27', 'GET', VT + '/q/rows', unordered=U)
step('wide2-e28', 'GET', VT + '/e/rows', unordered=U)
step('wide2-e29', 'GET', VT + '/p/rows', unordered=U)
step('wide2-e30', 'GET', VT, unordered=U)
step('wide2-e31', 'DELETE', '/v1/policies/{{vp_id}}/rules/{{r_v3}}')
step('wide2-e32', 'DELETE', '/v1/policies/vk5/rules/{{r_v4}}', defect='D4')
step('wide2-e33', 'GET', VR, unordered=U)
# push data shapes
step('wide2-e34', 'POST', D, {'name': 'vdoc', 'driver': 'doctor', 'config': {'persist_data': True}},
     capture={'vdoc_id': 'body.id'})
step('wide2-e35', 'PUT', VD + '/tables/events/rows', [EV[0], EV[0]])
step('wide2-e36', 'GET', VD + '/tables/events/rows', unordered=U)
EVX = json.loads(json.dumps(EV[1]))
EVX['extra'] = 1
EVX['details']['more'] = 'x'
step('wide2-e37', 'PUT', VD + '/tables/events/rows', [EVX])
step('wide2-e38', 'GET', VD + '/tables/events/rows', unordered=U)
step('wide2-e39', 'PUT', VD + '/tables/events/rows', [{'details': {}}])
step('wide2-e40', 'GET', VD + '/tables/events/rows', unordered=U)
step('wide2-e41', 'PUT', VD + '/tables/events/rows', [{'time': 't', 'type': 'x', 'details': None}])
step('wide2-e42', 'PUT', VD + '/tables/events/rows', [5])
step('wide2-e43', 'PUT', VD + '/tables/events/rows', EV)
step('wide2-e44', 'GET', VD + '/status')
step('wide2-e45', 'POST', VR, {'rule': 'vh(h) :- vdoc:events(hostname=h)'}, capture={'r_vh': 'body.id'})
step('wide2-e46', 'GET', VT + '/vh/rows', unordered=U, delayMs=500)
# names shared by datasources and policies; recreated datasource
step('wide2-e47', 'POST', '/v1/policies', {'name': 'vdoc'},
     note='named like a live datasource: upstream 201, ours 409 (differences.md)')
step('wide2-e48', 'GET', '/v1/policies/vdoc/rules', unordered=U)
step('wide2-e49', 'GET', '/v1/policies/vdoc/tables', unordered=U)
step('wide2-e50', 'GET', '/v1/policies/vdoc/status')
step('wide2-e51', 'DELETE', VD)
step('wide2-e52', 'GET', VT + '/vh/rows', unordered=U)
step('wide2-e53', 'POST', D, {'name': 'vdoc', 'driver': 'doctor'}, capture={'vdoc2_id': 'body.id'})
step('wide2-e54', 'GET', VD + '/tables/events/rows', unordered=U)
step('wide2-e55', 'PUT', VD + '/tables/events/rows', EV[1:])
step('wide2-e56', 'GET', VT + '/vh/rows', unordered=U, delayMs=500)
step('wide2-e57', 'GET', VD + '/status')
step('wide2-e58', 'POST', D, {'name': 'vdoc', 'driver': 'vitrage'})
step('wide2-e59', 'POST', D, {'name': 'vp', 'driver': 'doctor'})
step('wide2-e60', 'DELETE', D + '/{{vdoc2_id}}')
step('wide2-e61', 'DELETE', '/v1/policies/{{vk5_id}}')
step('wide2-e62', 'DELETE', '/v1/policies/{{vk7_id}}')
step('wide2-e63', 'DELETE', '/v1/policies/vp')
step('wide2-e64', 'GET', '/v1/policies/vp/status')


# ------------------------------------------------------------------ wide3
scen('wide3', 'Fifth round: cross-policy recursion and arity, builtins in heads and negation, '
     'number and string spellings, materialized and action policies in simulate, config values')
XA='/v1/policies/xa/rules'; XB='/v1/policies/xb/rules'
step('wide3-x01','POST','/v1/policies',{'name':'xa'})
step('wide3-x02','POST','/v1/policies',{'name':'xb'})
step('wide3-x03','POST',XA,{'rule':'p(x) :- xb:q(x)'})
step('wide3-x04','POST',XB,{'rule':'q(x) :- xa:p(x)'})
step('wide3-x05','POST',XB,{'rule':'q(x, y) :- r(x, y)'})
step('wide3-x06','POST',XB,{'rule':'q(1)'})
step('wide3-x07','GET','/v1/policies/xa/tables/p/rows',unordered=U)
step('wide3-x08','POST',XA,{'rule':'lt(1, 2)'})
step('wide3-x09','POST',XA,{'rule':'plus(x, y, z) :- p(x), p(y), p(z)'})
step('wide3-x10','POST',XA,{'rule':'n(x) :- p(x), not lt(x, 3)'})
step('wide3-x11','POST',XA,{'rule':'n2(x) :- p(x), lt(x, y)'})
step('wide3-x12','POST',XA,{'rule':'u(X) :- p(X)'})
step('wide3-x13','POST',XA,{'rule':'s(x) :- xa:p(x)'})
step('wide3-x14','POST',XA,{'rule':'execute[p(x)] :- p(x)'})
step('wide3-x15','POST',XA,{'rule':'a(1), b(2)'})
step('wide3-x16','POST',XA,{'rule':'a(1);'})
step('wide3-x17','POST',XA,{'rule':'a(1) :- '})
step('wide3-x19','POST',XA,{'rule':':- a(1)'})
step('wide3-x23','POST',XA,{'rule':'f(true)'})
step('wide3-x24','POST',XA,{'rule':'f(-2.50)'})
step('wide3-x26','GET','/v1/policies/xa/tables/n/rows',unordered=U)
step('wide3-x28','GET','/v1/policies/xa/tables/p/rows?trace=true&x=1',unordered=U,types={'body.trace':'string'})
step('wide3-x29','GET','/v1/policies/xa/tables/p?trace=true')
step('wide3-x30','POST','/v1/policies/action?action=simulate',{'query':'action(x)','action_policy':'action','sequence':'action+("z")'},unordered=UR)
step('wide3-x31','POST','/v1/policies/xa?action=simulate',{'query':'xb:q(x)','action_policy':'action','sequence':'xb:q+(5)'},unordered=UR)
step('wide3-x32','POST','/v1/policies/xa?action=simulate&delta=true',{'query':'f(x)','action_policy':'action','sequence':'q+(5)'},unordered=UR)
step('wide3-x33','POST','/v1/policies/xa?action=simulate',{'query':'p(x)','action_policy':'action','sequence':'execute[nova:pause(1)]'},unordered=UR)
step('wide3-x34','POST','/v1/policies',{'name':'_x'})
step('wide3-x35','POST','/v1/policies',{'name':'x '})
step('wide3-x36','POST','/v1/policies',{'name':'action'})
step('wide3-x37','POST','/v1/data-sources',{'name':'xd','driver':'doctor','enabled':True,'type':'x','description':5,'config':{'persist_data':'false'}})
step('wide3-x38','GET','/v1/data-sources/xd')
step('wide3-x39','POST','/v1/data-sources',{'name':'xd2','driver':'doctor','config':{'persist_data':5}})
step('wide3-x40','POST','/v1/data-sources',{'name':'xd3','driver':'doctor','config':{'persist_data':None}})
step('wide3-x41','GET','/v1/data-sources',unordered=U)
step('wide3-x42','POST',XA,{'rule':'dd(h) :- xd:events(hostname=h), xd:events(status=h)'})
step('wide3-x43','POST',XA,{'rule':'dd2(h) :- xd:events(hostname=h, status=h)'})
step('wide3-x44','POST',XA,{'rule':'dd3(h) :- xd:events(hostname=h, status="down", time=t), not p(t)'})
step('wide3-x45','PUT','/v1/data-sources/xd/tables/events/rows',[{'time':'1','type':'t','details':{'hostname':'down','status':'down','monitor':'m','monitor_event_id':'i'}}])
step('wide3-x46','GET','/v1/policies/xa/tables/dd2/rows',unordered=U,delayMs=500)
step('wide3-x47','GET','/v1/policies/xa/tables/dd3/rows',unordered=U)
step('wide3-x48','GET','/v1/data-sources/xd/tables/events/rows?trace=true',unordered=U)
step('wide3-x49','DELETE','/v1/policies/xb')
step('wide3-x50','GET','/v1/policies/xa/tables/p/rows',unordered=U)
step('wide3-x51','GET','/v1/policies/xa/rules/x/status')
step('wide3-x52','GET','/v1/policies/xb/status')
step('wide3-x53','GET','/v1/policies/xa/tables/xb:q/rows',unordered=U,defect='D1')
step('wide3-x54','POST','/v1/librarypolicies',{'name':'xl','rules':[{'rule':'a(1)'}],'kind':'action'})
step('wide3-x55','POST','/v1/librarypolicies',{'name':'xl2','rules':[],'abbreviation':'toolongx'},types=SCHEMA)
step('wide3-x56','GET','/v1/librarypolicies?include_rules=false&name=xl',unordered=U)
step('wide3-x57','DELETE','/v1/librarypolicies/xl')
step('wide3-x58','POST','/v1/policies?library_policy=xl',{},defect='D7')
step('wide3-x59','GET','/v1/librarypolicies/',)
step('wide3-x60','POST','/v1/policies/xa/rules',{'rule':'p(x) :- q(x)','comment':'x'*255,'name':'y'*255})
YA='/v1/policies/ya/rules'
step('wide3-y01','POST','/v1/policies',{'name':'ya'})
step('wide3-y02','POST',YA,{'rule':'Q(1)'})
step('wide3-y03','POST',YA,{'rule':'f(1.5e-3)'})
step('wide3-y04','POST',YA,{'rule':'f(1e10)'})
step('wide3-y05','POST',YA,{'rule':'f(007)'})
step('wide3-y06','POST',YA,{'rule':'f(1.0)'})
step('wide3-y07','POST',YA,{'rule':'f(1)'})
step('wide3-y08','POST',YA,{'rule':'f(+1)'})
step('wide3-y09','POST',YA,{'rule':'f(12345678901234567890)'})
step('wide3-y10','POST',YA,{'rule':'f("a\\nb")'})
step('wide3-y11','POST',YA,{'rule':"f('it\"s')"})
step('wide3-y12','POST',YA,{'rule':'f(1.50)'})
step('wide3-y13','POST',YA,{'rule':'f(.5)'})
step('wide3-y14','POST',YA,{'rule':'f(5.)'})
step('wide3-y15','GET','/v1/policies/ya/tables/f/rows',unordered=U)
step('wide3-y16','GET','/v1/policies/ya/rules',unordered=U)
step('wide3-y17','POST',YA,{'rule':'g(x) :- f(x), x = 1'})
step('wide3-y18','POST',YA,{'rule':'g(x) :- f(x), equal(x, 1)'})
step('wide3-y19','GET','/v1/policies/ya/tables/g/rows',unordered=U)
step('wide3-y20','POST','/v1/policies',{'name':'ym','kind':'materialized'})
step('wide3-y21','POST','/v1/policies/ym/rules',{'rule':'m(1)'})
step('wide3-y22','POST','/v1/policies/ym/rules',{'rule':'m(2)'})
step('wide3-y23','GET','/v1/policies/ym/tables/m/rows',unordered=U)
step('wide3-y24','GET','/v1/policies/ym/tables/m/rows?trace=true',unordered=U,types={'body.trace':'string'})
step('wide3-y25','POST','/v1/policies',{'name':'yact','kind':'action'})
step('wide3-y26','POST','/v1/policies/yact/rules',{'rule':'action("boot")'})
step('wide3-y27','POST','/v1/policies/yact/rules',{'rule':'execute[nova:servers.start(x)] :- boot(x)'})
step('wide3-y28','POST','/v1/policies/yact/rules',{'rule':'ya:f+(x) :- boot(x)'})
step('wide3-y29','GET','/v1/policies/yact/tables',unordered=U)
step('wide3-y30','GET','/v1/policies/yact/tables/action/rows',unordered=U)
step('wide3-y31','POST','/v1/policies/ya?action=simulate',{'query':'f(x)','action_policy':'yact','sequence':'boot(42)'},unordered=UR)
step('wide3-y32','POST','/v1/policies/ya?action=simulate&delta=true',{'query':'f(x)','action_policy':'yact','sequence':'boot(42) boot(43)'},unordered=UR)
step('wide3-y33','POST','/v1/policies/yact?action=simulate',{'query':'boot(x)','action_policy':'yact','sequence':'boot(1)'},unordered=UR)
step('wide3-y34','POST','/v1/policies/ya?action=simulate',{'query':'f(x)','action_policy':'yact','sequence':'boot(x)'})
step('wide3-y35','POST','/v1/policies/ya?action=simulate',{'query':'f(x)','action_policy':'yact','sequence':'ya:f+(9)'},unordered=UR)
step('wide3-y36','POST','/v1/policies/ya?action=simulate',{'query':'f(x)','action_policy':'ya','sequence':'f+(9)'},unordered=UR)
step('wide3-y37','POST','/v1/policies/ya?action=simulate',{'query':'f(x)','action_policy':'classification','sequence':'f+(9)'},unordered=UR)
step('wide3-y38','POST','/v1/policies/ya?action=simulate',{'query':'g(x)','action_policy':'action','sequence':'f-(1)'},unordered=UR)
step('wide3-y39','DELETE','/v1/policies/ya/rules/00000000-0000-0000-0000-000000000000',defect='D4')
step('wide3-y40','POST','/v1/policies/ya/rules/00000000-0000-0000-0000-000000000000?action=x',{})
step('wide3-y41','GET','/v1/policies/ya/rules/00000000-0000-0000-0000-000000000000/status?x=1')
step('wide3-y42','POST',YA,{'rule':'h(x) :- f(x), not g(x), not f(2)'})
step('wide3-y43','GET','/v1/policies/ya/tables/h/rows',unordered=U)
step('wide3-y44','POST',YA,{'rule':'k() :- f(1)'})
step('wide3-y45','POST',YA,{'rule':'k2 :- f(1)'})
step('wide3-y46','GET','/v1/policies/ya/tables/k2/rows',unordered=U)
step('wide3-y47','GET','/v1/policies/ya/tables',unordered=U)
# huge texts (the last steps before the stale-cache one)
step('wide3-h01', 'POST', '/v1/policies', {'name': 'hp'})
step('wide3-h02', 'POST', '/v1/policies/hp/rules', {'rule': 's("%s")' % ('a' * 5000)})
step('wide3-h03', 'GET', '/v1/policies/hp/tables/s/rows', unordered=U)
step('wide3-h04', 'POST', '/v1/policies/hp/rules',
     {'rule': 'big(x) :- ' + ', '.join('b%d(x)' % i for i in range(300))})
step('wide3-h05', 'POST', '/v1/policies/hp/rules', {'rule': 'b0(1)'})
step('wide3-h06', 'GET', '/v1/policies/hp/tables/big/rows', unordered=U)
step('wide3-h07', 'POST', '/v1/policies', {'name': 'hq', 'description': 'd' * 200000}, defect='D19',
     note='a 200 kB body: no size limit upstream (nor here by default)')
step('wide3-h09', 'POST', '/v1/policies/hp/rules', {'rule': 'f0(1) f1(1)'})
step('wide3-h11', 'POST', '/v1/policies/hp/rules', {'rule': 'w(x) :- s(x)', 'comment': '\u00e9' * 255})
step('wide3-h13', 'POST', '/v1/policies', {'name': 'h' * 255, 'description': '\u00e9' * 255,
                                           'abbreviation': '\u00e9' * 5})
step('wide3-h14', 'GET', '/v1/policies/hp/rules', unordered=U)
# body and query details
step('wide3-q01', 'POST', '/v1/policies', {'name': 'qp'})
step('wide3-q04', 'POST', '/v1/policies', rawBody='\ufeff{"name": "qn3"}')
step('wide3-q04b', 'POST', '/v1/policies/qp?action=simulate',
     rawBody='\ufeff{"query": "p(x)", "action_policy": "action", "sequence": "p+(1)"}', defect='D12')
step('wide3-q05', 'POST', '/v1/policies', rawBody='{"name": "qn4"} x', patterns=PARSE)
step('wide3-q07', 'POST', '/v1/policies', rawBody='  {"name": "qn6"}  \n')
step('wide3-q09', 'POST', '/v1/policies/qp?action=', {})
step('wide3-q10', 'POST', '/v1/policies/qp?ACTION=simulate', {})
step('wide3-q11', 'POST', '/v1/policies/qp?action=Simulate', {})
step('wide3-q12', 'POST', '/v1/policies/qp?action=simu%6Cate',
     {'query': 'p(x)', 'action_policy': 'action', 'sequence': 'p+(1)'}, unordered=UR)
step('wide3-q13', 'GET', '/v1/policies/qp/')
step('wide3-q14', 'GET', '/v1/policies/classification/tables/x/spec')
step('wide3-q15', 'GET', '/v1/policies/qp/rules?x=1&x=2', unordered=U)
step('wide3-q16', 'POST', '/v1/policies/qp/rules', rawBody='{"rule": "a(1)", "rule": "a(2)"}',
     capture={'r_qa2': 'body.id'})
step('wide3-q17', 'GET', '/v1/policies/qp/rules', unordered=U)
step('wide3-q18', 'POST', '/v1/policies/qp?action=simulate&delta=true&delta=false',
     {'query': 'a(x)', 'action_policy': 'action', 'sequence': 'a+(3)'}, unordered=UR,
     note='a repeated parameter counts with its last value')
step('wide3-q19', 'POST', '/v1/policies/qp?action=simulate&trace=true&trace=false',
     {'query': 'a(x)', 'action_policy': 'action', 'sequence': 'a+(3)'}, unordered=UR)
step('wide3-q20', 'GET', '/v1/policies/qp/tables/a/rows?trace=false&trace=true', unordered=U,
     types={'body.trace': 'string'})
step('wide3-q21', 'GET', '/v1/librarypolicies?include_rules=false&include_rules=true', unordered=U)
step('wide3-q22', 'GET', '/v1/librarypolicies?name=a&name=b', unordered=U)
step('wide3-q23', 'POST', '/v1/policies?library_policy=a&library_policy=b', {}, defect='D7')
step('wide3-q24', 'POST', '/v1/policies?library_policy', {}, defect='D7')
step('wide3-q25', 'POST', '/v1/policies/qp/rules', {'rule': 'b(1)', 'name': 'x', 'comment': None})
step('wide3-q26', 'POST', '/v1/policies', {'name': 'qn8', 'rules': [{'rule': 'a(1)'}],
                                          'library_policy': 'x'})
step('wide3-q27', 'POST', '/v1/policies', rawBody='{"name": "qn9", "abbreviation": "ab\\u00e9cd"}')
step('wide3-q28', 'POST', '/v1/policies',
     rawBody='{"name": "qn10", "abbreviation": "abcd\\ud83d\\ude00"}')
# datasources addressed by id in actions; execute arguments; webhook payloads
step('wide3-i01', 'POST', D, {'name': 'idoc', 'driver': 'doctor'}, capture={'idoc_id': 'body.id'})
step('wide3-i02', 'POST', D + '/{{idoc_id}}?action=execute', {'name': 'foo'}, delayMs=300,
     note='the engine is asked for a service named like the id')
step('wide3-i03', 'POST', '/v1/policies/classification?action=execute', {'name': '{{idoc_id}}:foo'})
step('wide3-i04', 'GET', D + '/{{idoc_id}}/status')
step('wide3-i05', 'POST', D + '/{{idoc_id}}/webhook', {'a': 1}, defect='D18')
step('wide3-i06', 'PUT', D + '/{{idoc_id}}/tables/nosuch/rows', [])
step('wide3-i07', 'GET', D + '/{{idoc_id}}/tables/events/spec')
step('wide3-i08', 'GET', D + '/{{idoc_id}}/tables/nosuch/spec')
step('wide3-i09', 'GET', D + '/IDOC')
step('wide3-i10', 'POST', '/v1/policies/classification?action=execute',
     {'name': 'idoc:foo', 'args': {'positional': [1, 'a', None, 2.5], 'named': {'k': [1]}}})
step('wide3-i11', 'POST', D + '/idoc?action=execute', {'name': 'foo', 'args': {'positional': None,
                                                                              'named': None}})
step('wide3-i12', 'POST', '/v1/policies/classification?action=execute',
     {'name': 'idoc:foo', 'args': {'positional': None}})
step('wide3-i13', 'POST', '/v1/policies/classification?action=execute',
     {'name': 'idoc:foo', 'args': {'extra': 1}})
step('wide3-i14', 'DELETE', D + '/{{idoc_id}}')
step('wide3-i15', 'POST', '/v1/policies/classification?action=execute', {'name': 'idoc:foo'})
step('wide3-i16', 'POST', D, {'name': 'iwh', 'driver': 'monasca_webhook'}, capture={'iwh_id': 'body.id'})
step('wide3-i17', 'POST', D + '/iwh/webhook', {'alarm_id': 'a2'})
step('wide3-i18', 'GET', D + '/iwh/tables/alarm_notification/rows', unordered=U)
step('wide3-i19', 'POST', D + '/iwh/webhook', {})
step('wide3-i20', 'POST', D + '/iwh/webhook', [])
step('wide3-i21', 'POST', D + '/iwh/webhook', dict(MW, alarm_id='a3', metrics=[]))
step('wide3-i22', 'GET', D + '/iwh/tables/alarms.metrics/rows', unordered=U)
step('wide3-i23', 'DELETE', D + '/iwh')
# a datasource's engine policy through the policy paths; library kinds
step('wide3-k01', 'POST', D, {'name': 'kdoc', 'driver': 'doctor'}, capture={'kdoc_id': 'body.id'})
step('wide3-k02', 'GET', '/v1/policies/kdoc/status', delayMs=300)
step('wide3-k03', 'GET', '/v1/policies/{{kdoc_id}}/status')
step('wide3-k04', 'GET', '/v1/policies/kdoc/rules/x/status')
step('wide3-k05', 'GET', '/v1/policies/kdoc/tables/events')
step('wide3-k06', 'POST', '/v1/policies/kdoc?action=simulate',
     {'query': 'events(a, b, c, d, e, f)', 'action_policy': 'action',
      'sequence': 'events+(1, 2, 3, 4, 5, 6)'}, unordered=UR)
step('wide3-k07', 'DELETE', '/v1/policies/kdoc')
step('wide3-k08', 'POST', '/v1/policies/{{kdoc_id}}/rules', {'rule': 'x(1)'})
step('wide3-k09', 'GET', '/v1/policies/kdoc/rules/x')
step('wide3-k10', 'DELETE', '/v1/policies/kdoc/rules/x', defect='D4')
step('wide3-k11', 'POST', L, {'name': 'kl1', 'kind': 'delta', 'rules': []}, capture={'kl1_id': 'body.id'})
step('wide3-k12', 'POST', '/v1/policies?library_policy={{kl1_id}}', {}, defect='D1')
step('wide3-k13', 'POST', L, {'name': 'kl2', 'kind': 'datasource', 'rules': [{'rule': 'a(1)'}]},
     capture={'kl2_id': 'body.id'})
step('wide3-k14', 'POST', '/v1/policies?library_policy={{kl2_id}}', {})
step('wide3-k15', 'GET', '/v1/policies/kl2')
step('wide3-k16', 'POST', '/v1/policies/kl2/rules', {'rule': 'b(1)'})
step('wide3-k17', 'POST', L, {'name': 'builtin', 'rules': []}, defect='D1')
step('wide3-k18', 'POST', L, {'name': 'kl3', 'abbreviation': '\u00e9' * 5, 'rules': []})
step('wide3-k19', 'GET', '/v1/policies/kdoc/tables/events/rows')
step('wide3-k20', 'GET', '/v1/policies/kdoc')
step('wide3-k21', 'POST', '/v1/policies', {'name': 'kp', 'kind': 'datasource'})
step('wide3-k22', 'POST', '/v1/policies/kp/rules', {'rule': 'a(1)'})
step('wide3-k23', 'GET', '/v1/policies/kp/tables', unordered=U)
step('wide3-k24', 'DELETE', '/v1/policies/kp')
step('wide3-k25', 'DELETE', D + '/kdoc')
step('wide3-k26', 'GET', '/v1/policies/kdoc/status')
# Integral floats pushed to a datasource stay floats (1.0 matches 1.0, not 1; simulate prints 1.0).
# Rows compare as parsed JSON (1.0 equals 1 there): the rule answers and simulate texts tell.
step('wide3-f01', 'POST', D, {'name': 'fdoc', 'driver': 'doctor'}, capture={'fdoc_id': 'body.id'})
step('wide3-f02', 'POST', '/v1/policies', {'name': 'fpol'}, capture={'fpol_id': 'body.id'})
for i, rule in enumerate(['fa(h, s) :- fdoc:events(hostname=h, status=s)',
                          'fw(h) :- fdoc:events(hostname=h, status=1.0)',
                          'fi(h) :- fdoc:events(hostname=h, status=1)',
                          'fe(h) :- fdoc:events(hostname=h, status=100.0)',
                          'fz(h) :- fdoc:events(hostname=h, status=0.0)']):
    step('wide3-f%02d' % (3 + i), 'POST', '/v1/policies/fpol/rules', {'rule': rule})
FLOAT_EVENTS = ', '.join(
    '{"time": "2016-02-22T11:48:55Z", "type": "compute.host.down", "details": {"hostname": "%s", '
    '"status": %s, "monitor": "z", "monitor_event_id": "%d"}}' % (h, v, i)
    for i, (h, v) in enumerate([('c1', '1.0'), ('c2', '1'), ('c3', '2.5'), ('c4', '1e2'),
                                ('c5', '-0.0'), ('c6', '"1.0"'), ('c7', '100')]))
step('wide3-f08', 'PUT', D + '/fdoc/tables/events/rows', rawBody='[' + FLOAT_EVENTS + ']')
step('wide3-f09', 'GET', D + '/fdoc/tables/events/rows', unordered=U, delayMs=1500)
for i, t in enumerate(['fa', 'fw', 'fi', 'fe', 'fz']):
    step('wide3-f%02d' % (10 + i), 'GET', '/v1/policies/fpol/tables/%s/rows' % t, unordered=U)
step('wide3-f15', 'POST', '/v1/policies/fpol?action=simulate',
     {'query': 'fa(x, y)', 'action_policy': 'action', 'sequence': ''}, unordered=UR)
step('wide3-f16', 'POST', '/v1/policies/fpol?action=simulate',
     {'query': 'fw(x)', 'action_policy': 'action', 'sequence': 'fdoc:events("t", "y", "c9", 1.0, "m", "9")'},
     unordered=UR)
# Integers beyond 2^53 keep every digit (12345678901234567890 rounds to ...7168 as a double).
step('wide3-f19', 'POST', '/v1/policies/fpol/rules',
     {'rule': 'fb(h) :- fdoc:events(hostname=h, status=12345678901234567890)'})
step('wide3-f20', 'POST', '/v1/policies/fpol/rules',
     {'rule': 'fr(h) :- fdoc:events(hostname=h, status=12345678901234567168)'})
BIG_EVENTS = ', '.join(
    '{"time": "2016-02-22T11:48:55Z", "type": "compute.host.down", "details": {"hostname": "%s", '
    '"status": %s, "monitor": "z", "monitor_event_id": "%d"}}' % (h, v, i)
    for i, (h, v) in enumerate([('c8', '12345678901234567890'), ('c9', '-9007199254740993'),
                                ('c10', '1e400')]))
step('wide3-f21', 'PUT', D + '/fdoc/tables/events/rows', rawBody='[' + BIG_EVENTS + ']')
step('wide3-f22', 'GET', '/v1/policies/fpol/tables/fb/rows', unordered=U, delayMs=1500)
step('wide3-f23', 'GET', '/v1/policies/fpol/tables/fr/rows', unordered=U)
step('wide3-f24', 'POST', '/v1/policies/fpol?action=simulate',
     {'query': 'fa(x, y)', 'action_policy': 'action', 'sequence': ''}, unordered=UR)
step('wide3-f17', 'DELETE', '/v1/policies/fpol')
step('wide3-f18', 'DELETE', D + '/fdoc')
step('wide3-y48','POST',YA,{'rule':'t(1) :- t(1)'})

out = {'format': 'congress-api-scenarios/1',
       'description': 'Extended Congress REST API v1 steps (scripts/congress-api-oracle); run in '
                      'order against a freshly initialised server (empty database, no library '
                      'policies, noauth, doctor and vitrage drivers).',
       'scenarios': SC}
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, 'scenarios-extended.json'), 'w') as f:
    json.dump(out, f, indent=1, ensure_ascii=False)
    f.write('\n')
print(sum(len(s['steps']) for s in SC), 'steps')
