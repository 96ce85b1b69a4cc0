/**
 * netaddr's `IPAddress` and `IPNetwork` (netaddr 1.x semantics) for the netaddr builtins.
 * Text forms are read as glibc's `inet_pton` reads them (dotted quads without leading zeros;
 * IPv6 with `::` and an optional dotted-quad tail); an integer is an address, IPv4 up to
 * 2^32 - 1 and IPv6 beyond. Values are bigints so that IPv6 arithmetic stays exact.
 */
import { Float, type Value } from '../value';
import { fail } from './failure';
import { parsePyInt } from './pynum';

/** An address: IP version and its integer value. */
export interface IPAddr {
  readonly version: 4 | 6;
  readonly value: bigint;
}

/** A network: its address as written, prefix length, and first and last address. */
export interface IPNet {
  readonly version: 4 | 6;
  readonly value: bigint;
  readonly prefixlen: number;
  readonly first: bigint;
  readonly last: bigint;
}

const MAX_V4 = (1n << 32n) - 1n;
const MAX_V6 = (1n << 128n) - 1n;

/** glibc's inet_pton4 on `s[from, to)`: four decimal octets, no leading zeros. */
function ipv4Value(s: string, from = 0, to = s.length): bigint | null {
  let value = 0;
  let octet = 0;
  let octets = 0;
  let sawDigit = false;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      if (sawDigit && octet === 0) return null;
      octet = octet * 10 + (c - 0x30);
      if (octet > 255) return null;
      if (!sawDigit) {
        if (++octets > 4) return null;
        sawDigit = true;
      }
    } else if (c === 0x2e && sawDigit) {
      if (octets === 4) return null;
      value = value * 256 + octet;
      octet = 0;
      sawDigit = false;
    } else return null;
  }
  if (octets < 4 || !sawDigit) return null;
  return BigInt(value * 256 + octet);
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/** glibc's inet_pton6: eight groups, one `::`, an optional dotted-quad tail. */
function ipv6Value(s: string): bigint | null {
  const groups: number[] = []; // 16-bit groups written so far
  let gap = -1; // index in groups where "::" stands
  let i = 0;
  const n = s.length;
  if (n === 0) return null;
  if (s[0] === ':') {
    if (n < 2 || s[1] !== ':') return null;
    i = 1;
  }
  let tokenStart = i;
  let digits = 0;
  let val = 0;
  let tail: bigint | null = null;
  while (i < n) {
    const c = s.charCodeAt(i++);
    const d = hexDigit(c);
    if (d >= 0) {
      if (digits === 4) return null;
      val = (val << 4) | d;
      digits++;
      continue;
    }
    if (c === 0x3a) {
      tokenStart = i;
      if (digits === 0) {
        if (gap >= 0) return null;
        gap = groups.length;
        continue;
      }
      if (i === n) return null;
      if (groups.length >= 8) return null;
      groups.push(val);
      digits = 0;
      val = 0;
      continue;
    }
    if (c === 0x2e && groups.length <= 6) {
      tail = ipv4Value(s, tokenStart, n);
      if (tail === null) return null;
      digits = 0;
      break;
    }
    return null;
  }
  if (digits > 0) {
    if (groups.length >= 8) return null;
    groups.push(val);
  }
  const written = groups.length + (tail === null ? 0 : 2);
  if (gap >= 0) {
    if (written === 8) return null; // "::" must stand for at least one group
  } else if (written !== 8) return null;
  const zeros = 8 - written;
  let value = 0n;
  groups.forEach((g, k) => {
    if (k === gap) value <<= BigInt(16 * zeros);
    value = (value << 16n) | BigInt(g);
  });
  if (gap === groups.length) value <<= BigInt(16 * zeros);
  if (tail !== null) value = (value << 32n) | tail;
  return value;
}

function addressOfText(s: string, version: 4 | 6): bigint | null {
  if (version === 4) return s.includes(':') ? null : ipv4Value(s);
  return ipv6Value(s);
}

/** `netaddr.IPAddress(x)`. */
export function toIPAddress(x: Value): IPAddr {
  if (x instanceof Float) return fail('TypeError', "argument of type 'float' is not iterable");
  if (typeof x !== 'string') {
    const v = BigInt(x);
    if (v >= 0n && v <= MAX_V4) return { version: 4, value: v };
    if (v > MAX_V4 && v <= MAX_V6) return { version: 6, value: v };
    return fail('AddrFormatError', `failed to detect a valid IP address from ${String(x)}`);
  }
  if (x.includes('/')) return fail('ValueError', 'IPAddress() does not support netmasks or subnet prefixes!');
  const v4 = addressOfText(x, 4);
  if (v4 !== null) return { version: 4, value: v4 };
  const v6 = addressOfText(x, 6);
  if (v6 !== null) return { version: 6, value: v6 };
  return fail('AddrFormatError', `failed to detect a valid IP address from '${x}'`);
}

/** The prefix length a netmask (`255.255.255.0`) or hostmask (`0.0.0.255`) stands for. */
function maskPrefix(mask: bigint, width: number): number | null {
  const max = (1n << BigInt(width)) - 1n;
  const isPowerOfTwo = (v: bigint): boolean => (v & (v - 1n)) === 0n;
  const inverted = (mask ^ max) + 1n;
  if (isPowerOfTwo(inverted)) return width - (inverted.toString(2).length - 1);
  if (isPowerOfTwo(mask + 1n)) return width - (mask + 1n).toString(2).length + 1;
  return null;
}

/** `parse_ip_network` for one IP version; null where netaddr raises AddrFormatError. */
function parseNetwork(s: string, version: 4 | 6): IPNet | null {
  const width = version === 4 ? 32 : 128;
  const slash = s.indexOf('/');
  const addrText = slash < 0 ? s : s.slice(0, slash);
  const value = addressOfText(addrText, version);
  if (value === null) return null;
  let prefixlen: number;
  if (slash < 0) prefixlen = width;
  else {
    const prefixText = s.slice(slash + 1);
    let asInt: number | bigint | null = null;
    try {
      asInt = parsePyInt(prefixText);
    } catch {
      asInt = null;
    }
    if (asInt !== null) {
      if (asInt < 0 || asInt > width) return null;
      prefixlen = Number(asInt);
    } else {
      if (prefixText.includes('/')) fail('ValueError', 'IPAddress() does not support netmasks or subnet prefixes!');
      const mask = addressOfText(prefixText, version);
      if (mask === null) return null;
      const p = maskPrefix(mask, width);
      if (p === null) return null;
      prefixlen = p;
    }
  }
  const hostmask = (1n << BigInt(width - prefixlen)) - 1n;
  return { version, value, prefixlen, first: value & ~hostmask, last: value | hostmask };
}

/** `netaddr.IPNetwork(x)`: IPv4 first, then IPv6. */
export function toIPNetwork(x: Value): IPNet {
  if (typeof x !== 'string') return fail('TypeError', `unexpected type ${typeof x} for addr arg`);
  const net = parseNetwork(x, 4) ?? parseNetwork(x, 6);
  if (net === null) return fail('AddrFormatError', `invalid IPNetwork ${x}`);
  return net;
}
