/**
 * Congress data types for VALUE translators (spec §2.9). A type normalises a value and names
 * the column's type in the schema. Null always passes. A value that does not fit is kept as it
 * is and reported to the caller, never fatal: translation must not fail because of types.
 */
import { isIP } from 'node:net';
import { stringifyJson } from '../../../datalog/json';
import { Float } from '../../../datalog/value';
import type { NativeValue } from './values';

/** The outcome of marshalling one value. */
export type Marshalled = { readonly ok: true; readonly value: NativeValue } | { readonly ok: false; readonly reason: string };

/** A named data type. */
export interface DataType {
  /** Name shown as the column `type` in the schema, e.g. `Str`. */
  readonly name: string;
  marshal(value: NativeValue): Marshalled;
}

const ok = (value: NativeValue): Marshalled => ({ ok: true, value });
const fail = (type: string, value: NativeValue): Marshalled => ({ ok: false, reason: `${stringifyJson(value)} is not a valid ${type}` });

function simple(name: string, accept: (v: NativeValue) => NativeValue | undefined): DataType {
  return {
    name,
    marshal: (v) => {
      if (v === null) return ok(null);
      const out = accept(v);
      return out === undefined ? fail(name, v) : ok(out);
    },
  };
}

// Canonical dotted quads (no leading zeros, each part <= 255) are the common case: no parsing.
const CANONICAL_V4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

function ipv4Canonical(text: string): string | undefined {
  if (CANONICAL_V4.test(text)) return text;
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const nums: number[] = [];
  for (const p of parts) {
    // Python's ipaddress rejects leading zeros (ambiguous octal).
    if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p.startsWith('0'))) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    nums.push(n);
  }
  return nums.join('.');
}

function ipv6Hextets(text: string): number[] | undefined {
  if (isIP(text) !== 6 || text.includes('%')) return undefined;
  let s = text;
  const tail: number[] = [];
  if (s.includes('.')) {
    const cut = s.lastIndexOf(':');
    const v4 = ipv4Canonical(s.slice(cut + 1));
    if (v4 === undefined) return undefined;
    const o = v4.split('.').map(Number);
    tail.push((o[0] << 8) | o[1], (o[2] << 8) | o[3]);
    s = s.slice(0, cut + 1);
    if (!s.endsWith('::')) s = s.slice(0, -1);
  }
  const want = 8 - tail.length;
  const parse = (part: string): number[] => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  let groups: number[];
  if (s.includes('::')) {
    const [a, b] = s.split('::');
    const left = parse(a);
    const right = parse(b);
    groups = [...left, ...new Array<number>(Math.max(want - left.length - right.length, 0)).fill(0), ...right];
  } else {
    groups = parse(s);
  }
  if (groups.length !== want) return undefined;
  const all = [...groups, ...tail];
  return all.every((h) => Number.isInteger(h) && h >= 0 && h <= 0xffff) ? all : undefined;
}

function ipv6Compressed(h: readonly number[]): string {
  // Python compresses the longest run (first on ties) of two or more zero hextets.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (h[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && h[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = h.map((x) => x.toString(16));
  if (bestLen < 2) return hex.join(':');
  const left = hex.slice(0, bestStart).join(':');
  const right = hex.slice(bestStart + bestLen).join(':');
  return left + '::' + right;
}

/** Canonical text of an IP address, or undefined if it is not one. */
export function canonicalIp(text: string): string | undefined {
  if (text.includes(':')) {
    const h = ipv6Hextets(text);
    if (h === undefined) return undefined;
    // An IPv4-mapped IPv6 address reads as its IPv4 form (the original's behaviour).
    if (h.slice(0, 5).every((x) => x === 0) && h[5] === 0xffff) {
      return [h[6] >> 8, h[6] & 255, h[7] >> 8, h[7] & 255].join('.');
    }
    return ipv6Compressed(h);
  }
  return ipv4Canonical(text);
}

/**
 * The prefix length an IPv4 netmask (`255.255.255.0`) or hostmask (`0.0.0.255`) stands for, as
 * Python's `ipaddress` reads the part after the slash when it is not a number.
 */
function prefixOfIpv4Mask(text: string): number | undefined {
  const mask = ipv4Canonical(text);
  if (mask === undefined) return undefined;
  const value = mask.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  for (const candidate of [value, 2 ** 32 - 1 - value]) {
    // A netmask is ones then zeros; the hostmask's inverse is one.
    for (let prefix = 0; prefix <= 32; prefix++) if (candidate === 2 ** 32 - 2 ** (32 - prefix)) return prefix;
  }
  return undefined;
}

function canonicalNetwork(text: string): string | undefined {
  const slash = text.indexOf('/');
  const addrText = slash < 0 ? text : text.slice(0, slash);
  const v6 = addrText.includes(':');
  const bits = v6 ? 128 : 32;
  const prefixText = slash < 0 ? String(bits) : text.slice(slash + 1);
  const prefix = /^\d+$/.test(prefixText) ? Number(prefixText) : v6 ? undefined : prefixOfIpv4Mask(prefixText);
  if (prefix === undefined || prefix > bits) return undefined;
  if (v6) {
    const h = ipv6Hextets(addrText);
    if (h === undefined) return undefined;
    const value = h.reduce((acc, x) => (acc << 16n) | BigInt(x), 0n);
    const hostMask = (1n << BigInt(128 - prefix)) - 1n;
    if ((value & hostMask) !== 0n) return undefined;
    return `${ipv6Compressed(h)}/${prefix}`;
  }
  const v4 = ipv4Canonical(addrText);
  if (v4 === undefined) return undefined;
  const value = v4.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const hostSize = 2 ** (32 - prefix);
  if (value % hostSize !== 0) return undefined;
  return `${v4}/${prefix}`;
}

/** Strings. */
export const Str = simple('Str', (v) => (typeof v === 'string' ? v : undefined));
/** Booleans. */
export const Bool = simple('Bool', (v) => (typeof v === 'boolean' ? v : undefined));
/** Integers; a float with an integral value becomes the integer. Python's booleans are integers. */
export const Int = simple('Int', (v) => {
  if (v instanceof Float) return v.v;
  return (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'boolean' || typeof v === 'bigint' ? v : undefined;
});
/** Floats; integers (and booleans) become floats, as Python's `float()` makes them. */
export const FloatType: DataType = simple('Float', (v) => {
  if (v instanceof Float) return v;
  if (typeof v === 'boolean') return new Float(v ? 1 : 0);
  if (typeof v === 'bigint') return new Float(Number(v));
  if (typeof v !== 'number') return undefined;
  return Number.isInteger(v) ? new Float(v) : v;
});
/** IPv4/IPv6 address text, canonicalised. */
export const IPAddress = simple('IPAddress', (v) => (typeof v === 'string' ? canonicalIp(v) : undefined));
/** CIDR network text, canonicalised; host bits set is an error. */
export const IPNetwork = simple('IPNetwork', (v) => (typeof v === 'string' ? canonicalNetwork(v) : undefined));

/** An enumeration: members pass; others become `catchAll` when there is one, else fail. */
export function enumType(name: string, domain: readonly NativeValue[], catchAll?: NativeValue): DataType {
  return simple(name, (v) => (domain.includes(v) ? v : catchAll === undefined ? undefined : catchAll));
}

/** Neutron resource status. */
export const NeutronStatus = enumType('NeutronStatus', ['ACTIVE', 'DOWN', 'BUILD', 'ERROR'], 'OTHER');
/** Floating IP status. */
export const FloatingIPStatus = enumType('FloatingIPStatus', ['ACTIVE', 'DOWN', 'ERROR'], 'OTHER');
/** Security group rule direction. */
export const IngressEgress = enumType('IngressEgress', ['ingress', 'egress']);
/** IP version. */
export const IPv4IPv6 = enumType('IPv4IPv6', [4, 6]);

/** Types that configs (generic drivers) may name. */
export const NAMED_TYPES: Readonly<Record<string, DataType>> = {
  Str,
  Bool,
  Int,
  Float: FloatType,
  IPAddress,
  IPNetwork,
  NeutronStatus,
  FloatingIPStatus,
  IngressEgress,
  IPv4IPv6,
};
