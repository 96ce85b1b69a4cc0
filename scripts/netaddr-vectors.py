#!/usr/bin/env python3
"""Writes test/fixtures/python/netaddr.json: what netaddr 0.8.0 (Debian 12's python3-netaddr,
the version the original's answers were recorded with) makes of addresses and networks, and the
original's eight netaddr builtins on pairs of them, for test/unit/datalog/builtins-netaddr.test.ts.

    /usr/bin/python3 scripts/netaddr-vectors.py > test/fixtures/python/netaddr.json
"""
import json
import random

import netaddr

assert netaddr.__version__ == '0.8.0', netaddr.__version__


# The original's builtins (congress/datalog/builtin.py), called the same way.
def ips_equal(a, b): return netaddr.IPAddress(a) == netaddr.IPAddress(b)
def ips_lt(a, b): return netaddr.IPAddress(a) < netaddr.IPAddress(b)
def ips_lteq(a, b): return netaddr.IPAddress(a) <= netaddr.IPAddress(b)
def ips_gt(a, b): return netaddr.IPAddress(a) > netaddr.IPAddress(b)
def ips_gteq(a, b): return netaddr.IPAddress(a) >= netaddr.IPAddress(b)
def networks_equal(a, b): return netaddr.IPNetwork(a) == netaddr.IPNetwork(b)


def networks_overlap(a, b):
    x, y = netaddr.IPNetwork(a), netaddr.IPNetwork(b)
    return x.first <= y.first <= x.last or x.first <= y.last <= x.last


def ip_in_network(a, b):
    net = netaddr.IPNetwork(b)
    return netaddr.IPAddress(a) in net


BUILTINS = [ips_equal, ips_lt, ips_lteq, ips_gt, ips_gteq, networks_equal, networks_overlap,
            ip_in_network]

FIXED = [
    # standard forms
    '10.0.0.1', '0.0.0.0', '255.255.255.255', '192.0.2.1', '::', '::1', '::ffff:10.0.0.1',
    'fe80::1', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:1.2.3.4', '::0.0.0.1', 'fe80::1%eth0',
    # inet_aton's legacy forms
    '10', '1', '0', '00', '10.1', '10.1.2', '1.2.65535', '1.2.65536', '1.16777215', '1.16777216',
    '4294967295', '4294967296', '167772161', '0x0a000001', '0X0A.0.0.1', '0xA.0xB.0xC.0xD', '0x',
    '0x.1', '0xg', '0x100000000', '010.0.0.1', '0377.0.0.1', '0400.0.0.1', '08.0.0.1', '09',
    '00000000000000000000001', '99999999999999999999999', '0x00000000000000000000a',
    # trailing and leading characters
    '10.0.0.1 ', '10.0.0.1 junk', '10.0.0.1\tx', '10.0.0.1\n', '10.0.0.1\x0b', '10.0.0.1\xa0',
    ' 10.0.0.1', '10.0.0.1.', '1.2.3.4.5', '1..2', '.1', '+1', '-1', '1.2.3.256', '1.2.3.4\x00',
    '1.2.3.4 \u00e9', '\u00e9', '\u0661\u0660.0.0.1', '1_0.0.0.1', '',
    # networks
    '10/8', '10.1/16', '10.1.2/24', ' 10/8', '10 /8', '1_0/8', '\u0661\u0660/8', '-1/8', '256/8',
    '010.1/16', '10.0.0.0.0/8', '10/08', '10.0.0.0/8', '10.0.0.1/24', '10.0.0.0/255.0.0.0',
    '10.0.0.0/0.255.255.255', '10.0.0.0/255.0.255.0', '10.0.0.0/ 8', '10.0.0.0/+8',
    '10.0.0.0/-1', '10.0.0.0/1_6', '10.0.0.0/33', '10.0.0.0/0', '10.0.0.0/', '/8', '10/',
    '10.0.0.0/8/9', '10.0.0.0/0x8', '10.0.0.0/010', '10.0.0.0/255.255.255.255', '::/0',
    '::ffff:10.0.0.0/104', '::ffff:10.0.0.0/ffff:ffff:ffff:ffff:ffff:ffff:ff00:0', '::/129',
    '0x0a000001/8', '10.0.0.1 /8', 'abc', 'None',
]
ALPHABET = '0123456789abcdefxX.:/ \t+-_'


def encode(v):
    if isinstance(v, bool):
        raise TypeError(v)
    if isinstance(v, int):
        return {'i': str(v)}
    if isinstance(v, float):
        return {'f': v}
    return {'s': v}


def address(v):
    try:
        a = netaddr.IPAddress(v)
    except Exception:
        return 'FAIL'
    return [a.version, str(a.value)]


def network(v):
    try:
        n = netaddr.IPNetwork(v)
    except Exception:
        return 'FAIL'
    return [n.version, str(n.first), str(n.last), n.prefixlen]


def main():
    r = random.Random(8)
    pool = list(FIXED)
    for _ in range(400):
        pool.append(''.join(r.choice(ALPHABET) for _ in range(r.randint(1, 12))))
    # Legacy-looking texts: one to five parts in decimal, octal or hex, some out of range.
    for _ in range(300):
        parts = []
        for _ in range(r.randint(1, 5)):
            n = r.choice([0, 1, 7, 8, 10, 255, 256, 4095, 65535, 65536, 16777215, 16777216,
                          4294967295, 4294967296, r.randint(0, 300)])
            parts.append(r.choice(['%d', '0%o', '0x%x', '0X%X', '%d', '%d']) % n)
        text = '.'.join(parts)
        if r.random() < 0.3:
            text += '/' + r.choice(['8', '16', '24', '32', '0', '33', '255.255.0.0', '0.0.255.255',
                                    ' 16', '016', '0x10'])
        pool.append(text)
    values = pool + [5, 0, -1, 167772161, 2 ** 32 - 1, 2 ** 32, 2 ** 128 - 1, 2 ** 128, 1.0, 10.5]
    out = {
        'note': 'netaddr 0.8.0 (Debian 12) on CPython 3.11: IPAddress(x) as [version, value], '
                'IPNetwork(x) as [version, first, last, prefixlen], and the original builtins on '
                'pairs; made by scripts/netaddr-vectors.py',
        'address': [[encode(v), address(v)] for v in values],
        'network': [[encode(v), network(v)] for v in values],
        'pairs': [],
    }
    parseable = [v for v in values if address(v) != 'FAIL' or network(v) != 'FAIL']
    for _ in range(1500):
        f = r.choice(BUILTINS)
        x = r.choice(parseable if r.random() < 0.8 else values)
        y = r.choice(parseable if r.random() < 0.8 else values)
        try:
            res = bool(f(x, y))
        except Exception:
            res = 'FAIL'
        out['pairs'].append([f.__name__, encode(x), encode(y), res])
    # One vector per line: readable in a diff, and a tenth of the lines of indented JSON.
    lines = ['{"note": %s,' % json.dumps(out['note'])]
    for key in ('address', 'network', 'pairs'):
        rows = ',\n'.join('  ' + json.dumps(v) for v in out[key])
        lines.append('"%s": [\n%s\n]%s' % (key, rows, ',' if key != 'pairs' else '}'))
    print('\n'.join(lines))


if __name__ == '__main__':
    main()
