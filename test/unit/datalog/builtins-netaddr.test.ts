/**
 * Network-address builtins as the original ran them on netaddr 0.8.0 (Debian 12, the version its
 * answers were recorded with): inet_aton's legacy IPv4 forms, partial network addresses, IPv4
 * before IPv6, IPv4-mapped addresses distinct from IPv4, networks compared by (version, first,
 * last), and the original's `networks_overlap` endpoint test. The hand-written cases read as
 * documentation; the vectors of test/fixtures/python/netaddr.json (made by
 * scripts/netaddr-vectors.py with netaddr 0.8.0 running the original's builtins) pin the rest.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BUILTINS } from '../../../src/datalog/builtins';
import { toIPAddress, toIPNetwork } from '../../../src/datalog/builtins/ipaddr';
import { Float, type Value } from '../../../src/datalog/value';

const FAIL = 'FAIL';

function run(name: string, ...args: Value[]): boolean | readonly Value[] | typeof FAIL {
  const b = BUILTINS.get(name);
  if (b === undefined) throw new Error(`no builtin ${name}`);
  try {
    return b.apply(args);
  } catch {
    return FAIL;
  }
}

const ORDER = ['ips_equal', 'ips_lt', 'ips_lteq', 'ips_gt', 'ips_gteq'];

describe('address comparisons', () => {
  it.each<[Value, Value, boolean[]]>([
    ['192.0.2.1', '192.0.2.1', [true, false, true, false, true]],
    ['192.0.2.1', '192.0.2.2', [false, true, true, false, false]],
    ['::ffff:192.0.2.2', '::ffff:192.0.2.1', [false, false, false, true, true]],
    ['10.0.0.1', '::ffff:10.0.0.1', [false, true, true, false, false]],
    ['255.255.255.255', '::', [false, true, true, false, false]],
    ['::FFFF:0a00:0001', '::ffff:10.0.0.1', [true, false, true, false, true]],
    [167772161, '10.0.0.1', [true, false, true, false, true]],
    [2 ** 32, '::1:0:0', [true, false, true, false, true]],
    ['::0.0.0.1', '::1', [true, false, true, false, true]],
    ['::0.0.0.1', '0.0.0.1', [false, false, false, true, true]],
    [2n ** 128n - 1n, 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', [true, false, true, false, true]],
    ['1::', '1:0:0:0:0:0:0:0', [true, false, true, false, true]],
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0', [true, false, true, false, true]],
    ['1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:102:304', [true, false, true, false, true]],
    // inet_aton's forms: fewer parts (the last fills the rest), octal, hex, text after a space
    ['10.1', '10.0.0.1', [true, false, true, false, true]],
    ['1.2.3', '1.2.0.3', [true, false, true, false, true]],
    ['1', '0.0.0.1', [true, false, true, false, true]],
    ['010.0.0.1', '8.0.0.1', [true, false, true, false, true]],
    ['0x0a000001', '10.0.0.1', [true, false, true, false, true]],
    ['10.0.0.1 junk', '10.0.0.1', [true, false, true, false, true]],
  ])('%p vs %p', (x, y, expected) => {
    expect(ORDER.map((name) => run(name, x, y))).toEqual(expected);
  });

  it.each<Value>([
    '256.0.0.1',
    '1.2.65536', // the last of three parts is at most 16 bits
    '08.0.0.1', // not octal
    '0x',
    '4294967296',
    '1.2.3.4.',
    ' 10.0.0.1', // white space only after the address
    '10.0.0.1\u00a0',
    '1.2.3.4\u0000',
    '10.0.0.1/32', // a network is not an address
    '1:2:3:4:5:6:7::8', // "::" standing for no group
    '1::2::3',
    ':::',
    '1:',
    '12345::1',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7:1.2.3.4',
    '::1.2.3.04',
    'fe80::1%eth0',
    'abc',
    '',
    -1,
    2n ** 128n,
    new Float(1),
  ])('%p is not an address', (x) => {
    expect(run('ips_equal', x, '0.0.0.0')).toBe(FAIL);
    expect(run('ips_lt', '0.0.0.0', x)).toBe(FAIL);
  });
});

describe('network comparisons', () => {
  it.each<[Value, Value, boolean | typeof FAIL, boolean | typeof FAIL]>([
    ['192.0.2.0/24', '192.0.2.112/24', true, true],
    ['192.0.2.0/24', '192.0.3.0/24', false, false],
    ['10.0.0.0/24', '10.0.0.0/255.255.255.0', true, true],
    ['10.0.0.0/24', '10.0.0.0/0.0.0.255', true, true],
    ['10.0.0.0/8', '::a00:0/104', false, true], // overlap compares integers across versions
    ['9.1.0.0/16', '8.0.0.0/7', false, false], // y strictly contains x: the quirk
    ['8.0.0.0/7', '9.1.0.0/16', false, true],
    ['192.0.2.0/23', '192.0.2.0/24', false, true],
    ['fe80::ffff:192.0.2.0/23', 'fe80::ffff:192.0.2.0/24', false, true],
    ['fe80::ffff:192.0.2.0/24', 'ae80::ffff:192.0.3.0/24', false, false],
    ['10.0.0.0', '10.0.0.0/32', true, true],
    ['10.0.0.0/ 24', '10.0.0.0/24', true, true],
    ['0.0.0.0/0', '::/0', false, true],
    ['10.0.0.0/33', '10.0.0.0/32', FAIL, FAIL],
    ['10/8', '10.0.0.0/8', true, true], // partial addresses are expanded
    ['010.1/16', '10.1.0.0/16', true, true], // by Python's int(), so decimal here
    ['10.1', '10.1.0.0/32', true, true],
    ['None', '0.0.0.0/0', FAIL, FAIL],
    ['10.0.0.0/255.0.255.0', '10.0.0.0/8', FAIL, FAIL],
    ['10.0.0.0/24/5', '10.0.0.0/24', FAIL, FAIL],
    [5, '0.0.0.5/32', FAIL, FAIL],
  ])('%p vs %p: equal %p, overlap %p', (x, y, equal, overlap) => {
    expect(run('networks_equal', x, y)).toBe(equal);
    expect(run('networks_overlap', x, y)).toBe(overlap);
  });

  it.each<[Value, Value, boolean | typeof FAIL]>([
    ['192.168.0.1', '192.168.0.0/24', true],
    ['192.168.10.1', '192.168.0.0/24', false],
    ['fe80::ffff:192.168.0.1', 'fe80::ffff:192.168.0.0/24', true],
    ['fe80::ffff:192.168.10.1', 'ae80::ffff:192.168.10.1/24', false],
    ['10.0.0.1', '::ffff:10.0.0.0/120', false], // versions differ
    ['::ffff:10.0.0.1', '::ffff:10.0.0.0/120', true],
    [167772161, '10.0.0.0/8', true],
    ['10.0.0.1', '10.0.0.1', true],
    ['0.0.0.0', '0.0.0.0/0', true],
    ['255.255.255.255', '0.0.0.0/0', true],
    ['10.0.0.1', 'abc', FAIL],
    ['abc', '10.0.0.0/8', FAIL],
  ])('ip_in_network(%p, %p) is %p', (ip, net, expected) => {
    expect(run('ip_in_network', ip, net)).toBe(expected);
  });
});

describe('netaddr 0.8.0 vectors', () => {
  type Encoded = { s: string } | { i: string } | { f: number };
  const decode = (e: Encoded): Value => {
    if ('s' in e) return e.s;
    if ('f' in e) return new Float(e.f);
    const n = Number(e.i);
    return Number.isSafeInteger(n) ? n : BigInt(e.i);
  };
  const outcome = <T>(f: () => T): T | typeof FAIL => {
    try {
      return f();
    } catch {
      return FAIL;
    }
  };
  const vectors = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'python', 'netaddr.json'), 'utf8')) as {
    address: [Encoded, unknown][];
    network: [Encoded, unknown][];
    pairs: [string, Encoded, Encoded, boolean | typeof FAIL][];
  };
  const { address: addresses, network: networks, pairs } = vectors;

  it('reads every address as IPAddress does', () => {
    expect(addresses.length).toBeGreaterThan(800);
    const got = addresses.map(([e]) => outcome(() => {
      const a = toIPAddress(decode(e));
      return [a.version, String(a.value)];
    }));
    expect(got).toEqual(addresses.map(([, want]) => want));
  });

  it('reads every network as IPNetwork does', () => {
    const got = networks.map(([e]) => outcome(() => {
      const n = toIPNetwork(decode(e));
      return [n.version, String(n.first), String(n.last), n.prefixlen];
    }));
    expect(got).toEqual(networks.map(([, want]) => want));
  });

  it('answers every pair as the original builtins do', () => {
    expect(pairs.filter((p) => p[3] === true).length).toBeGreaterThan(100);
    const got = pairs.map(([name, x, y]) => run(name, decode(x), decode(y)));
    expect(got).toEqual(pairs.map((p) => p[3]));
  });
});
