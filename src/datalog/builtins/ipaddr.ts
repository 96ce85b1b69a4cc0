/**
 * netaddr's `IPAddress` and `IPNetwork`, as netaddr 0.8.0 reads them (the version of Debian 12
 * that the original's answers were recorded with, and of the original's own era; netaddr 1.0
 * dropped the legacy IPv4 forms in 2024) for the netaddr builtins.
 * - An address text is read as Python's `socket.inet_aton` (glibc) reads it, then as IPv6 by
 *   `inet_pton`: one to four parts in decimal, octal (`010`) or hex (`0x0a`), anything after a
 *   space ignored. An integer is an address, IPv4 up to 2^32 - 1 and IPv6 beyond.
 * - A network's address is read by `inet_pton`, and an IPv4 one that fails by netaddr's partial
 *   expansion (`10/8` is 10.0.0.0/8, `10.1` is 10.1.0.0/32); its prefix is a Python `int()` text
 *   or a netmask or hostmask.
 * Values are bigints so that IPv6 arithmetic stays exact.
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

/** The largest last part of an `inet_aton` text after 0-3 dotted parts (`1.65535` is 1.0.255.255). */
const ATON_LAST_MAX = [0xffffffff, 0xffffff, 0xffff, 0xff];
/** A NUL or a lone surrogate: Python cannot pass such a text to C (ValueError, UnicodeEncodeError). */
const NOT_A_C_STRING = /\0|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function isAsciiDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/**
 * glibc's `strtoul(s + i, &end, 0)` for text starting with a digit: `[value, end]`, or null
 * once the value passes 2^32 - 1 (which `inet_aton` refuses, as it does `strtoul`'s overflow).
 */
function atonNumber(s: string, i: number): [number, number] | null {
  let base = 10;
  if (s.charCodeAt(i) === 0x30) {
    const x = s.charCodeAt(i + 1);
    // "0x" without a hex digit after it is the number 0 ending before the "x".
    if ((x === 0x78 || x === 0x58) && hexDigit(s.charCodeAt(i + 2)) >= 0) {
      base = 16;
      i += 2;
    } else base = 8;
  }
  let value = 0;
  for (; i < s.length; i++) {
    const d = hexDigit(s.charCodeAt(i));
    if (d < 0 || d >= base) break;
    value = value * base + d;
    if (value > 0xffffffff) return null;
  }
  return [value, i];
}

/** Python's `socket.inet_aton` on glibc: the address, or null where it raises. */
function inetAton(s: string): bigint | null {
  if (NOT_A_C_STRING.test(s)) return null;
  const parts: number[] = [];
  let i = 0;
  let value: number;
  for (;;) {
    if (!isAsciiDigit(s.charCodeAt(i))) return null;
    const num = atonNumber(s, i);
    if (num === null) return null;
    [value, i] = num;
    if (s.charCodeAt(i) !== 0x2e) break;
    if (parts.length > 2 || value > 0xff) return null;
    parts.push(value);
    i++;
  }
  // Whatever follows ASCII white space is ignored; anything else after the number is refused.
  const c = s.charCodeAt(i);
  if (i < s.length && c !== 0x20 && (c < 0x09 || c > 0x0d)) return null;
  if (value > ATON_LAST_MAX[parts.length]) return null;
  let high = 0;
  parts.forEach((p, k) => {
    high += p * 2 ** (24 - 8 * k);
  });
  return BigInt(high + value);
}

/**
 * netaddr's `expand_partial_address` then `inet_pton`: one to four dotted Python `int()` texts,
 * missing parts zero (`10` is 10.0.0.0, `010.1` is 10.1.0.0).
 */
function partialIPv4(s: string): bigint | null {
  if (s.includes(':')) return null;
  const tokens: string[] = [];
  for (const part of s.split('.')) {
    try {
      tokens.push(String(parsePyInt(part)));
    } catch {
      return null;
    }
  }
  if (tokens.length > 4) return null;
  while (tokens.length < 4) tokens.push('0');
  return ipv4Value(tokens.join('.'));
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
  const v4 = inetAton(x);
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
  const value = addressOfText(addrText, version) ?? (version === 4 ? partialIPv4(addrText) : null);
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
