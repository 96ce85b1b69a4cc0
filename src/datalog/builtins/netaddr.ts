/**
 * Network-address builtins over netaddr's IPAddress / IPNetwork. Addresses order by
 * (version, value), so every IPv4 address sorts before every IPv6 one and `10.0.0.1` differs
 * from `::ffff:10.0.0.1`. `networks_overlap` keeps the original's test (one of y's endpoints
 * inside x, versions ignored), which misses a y that strictly contains x.
 */
import type { Value } from '../value';
import { toIPAddress, toIPNetwork, type IPAddr, type IPNet } from './ipaddr';
import { builtin, type Builtin } from './registry';

/** Parsed texts kept per string; cleared when it grows past this many entries. */
const CACHE_LIMIT = 50_000;

function memo<T>(parse: (x: Value) => T): (x: Value) => T {
  const cache = new Map<string, { ok: true; v: T } | { ok: false; e: unknown }>();
  return (x) => {
    if (typeof x !== 'string') return parse(x);
    let entry = cache.get(x);
    if (entry === undefined) {
      try {
        entry = { ok: true, v: parse(x) };
      } catch (e) {
        entry = { ok: false, e };
      }
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(x, entry);
    }
    if (!entry.ok) throw entry.e;
    return entry.v;
  };
}

/** Orders addresses by netaddr's sort key (version, value). */
function compareAddresses(a: IPAddr, b: IPAddr): number {
  if (a.version !== b.version) return a.version - b.version;
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}

/** The netaddr builtins, each with its own parse cache. */
export function netaddrBuiltins(): readonly Builtin[] {
  const address = memo(toIPAddress);
  const network = memo(toIPNetwork);
  const cmp = (a: readonly Value[]): number => compareAddresses(address(a[0]), address(a[1]));
  const within = (net: IPNet, v: bigint): boolean => net.first <= v && v <= net.last;
  return [
    builtin('ips_equal', 2, 2, (a) => cmp(a) === 0),
    builtin('ips_lt', 2, 2, (a) => cmp(a) < 0),
    builtin('ips_lteq', 2, 2, (a) => cmp(a) <= 0),
    builtin('ips_gt', 2, 2, (a) => cmp(a) > 0),
    builtin('ips_gteq', 2, 2, (a) => cmp(a) >= 0),
    builtin('networks_equal', 2, 2, (a) => {
      const x = network(a[0]);
      const y = network(a[1]);
      return x.version === y.version && x.first === y.first && x.last === y.last;
    }),
    builtin('networks_overlap', 2, 2, (a) => {
      const x = network(a[0]);
      const y = network(a[1]);
      return within(x, y.first) || within(x, y.last);
    }),
    builtin('ip_in_network', 2, 2, (a) => {
      const net = network(a[1]);
      const ip = address(a[0]);
      return ip.version === net.version && within(net, ip.value);
    }),
  ];
}
