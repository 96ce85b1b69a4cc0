/**
 * Option kinds, with oslo.config's value syntax: each kind is a zod schema that accepts the text
 * of a config file and the typed value of a command-line override, and yields the typed value.
 */
import net from 'node:net';
import { z } from 'zod';

/** The kinds of option, named after oslo.config's types. */
export type OptionKind = 'string' | 'integer' | 'float' | 'boolean' | 'list' | 'port' | 'host address' | 'choice';

/** An option where it may also be set under an older name. */
export interface OptionAlias {
  readonly section: string;
  readonly name: string;
}

/** Everything known about one option. */
export interface OptionSpec<T> {
  readonly kind: OptionKind;
  /** The original's default (or ours, for options Congress-TS adds). */
  readonly default: T;
  /** Default when Congress-TS runs with no configuration file at all, if it differs. */
  readonly embedded?: T;
  /** One line for the sample file. */
  readonly help: string;
  /** Converts a file's text or an override's value; fails with a readable message. */
  readonly schema: z.ZodType<T>;
  /** Why the option is deprecated (it is still read, with a warning when set). */
  readonly deprecated?: string;
  /** Never print the value (passwords, URLs with credentials). */
  readonly secret?: boolean;
  /** For `choice`: the accepted values. */
  readonly choices?: readonly string[];
  /** Older names the value may be given under (oslo's deprecated_opts). */
  readonly aliases?: readonly OptionAlias[];
  /** What the sample shows as the default when it is computed at run time. */
  readonly sampleDefault?: string;
  /** True for options Congress-TS adds to the original's set. */
  readonly ours?: boolean;
  /**
   * Why the option, though accepted so that an operator's file keeps working, changes nothing in
   * Congress-TS; setting it gives a start-up warning saying so.
   */
  readonly inert?: string;
}

/** Settings shared by every option builder. */
export type OptionExtras<T> = Partial<Pick<OptionSpec<T>, 'embedded' | 'deprecated' | 'secret' | 'aliases' | 'sampleDefault' | 'ours' | 'inert'>>;

const TRUE_WORDS = ['true', '1', 'on', 'yes'];
const FALSE_WORDS = ['false', '0', 'off', 'no'];
const BOOLEAN_EXPECTED = 'expected a boolean: true/false, yes/no, on/off or 1/0 (any case)';

const INTEGER = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,62}))*\.?$/;

// File values arrive as text and overrides already typed: text that looks like the type is
// converted first, anything else reaches the typed check and fails with its message.
function textTo(pattern: RegExp) {
  return (value: unknown): unknown => (typeof value === 'string' && pattern.test(value.trim()) ? Number(value.trim()) : value);
}

function wordToBoolean(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const word = value.trim().toLowerCase();
  if (TRUE_WORDS.includes(word)) return true;
  if (FALSE_WORDS.includes(word)) return false;
  return value;
}

function emptyToNull(value: unknown): unknown {
  return value === '' ? null : value;
}

/** oslo.config's List type: comma-separated, items trimmed, a trailing comma ignored. */
function splitList(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim().replace(/,+$/, '');
  return trimmed === '' ? [] : trimmed.split(',').map((item) => item.trim());
}

function spec<T>(kind: OptionKind, schema: z.ZodType<T>, defaultValue: T, help: string, extras: OptionExtras<T>): OptionSpec<T> {
  return { kind, schema, default: defaultValue, help, ...extras };
}

function boundedInteger(expected: string, min: number | undefined, max: number | undefined) {
  let checked = z.number({ message: `expected ${expected}` }).int({ message: `expected ${expected}` });
  if (min !== undefined) checked = checked.min(min, { message: `must be at least ${min}` });
  if (max !== undefined) checked = checked.max(max, { message: `must be at most ${max}` });
  return checked;
}

/** A string option (`StrOpt`). */
export function str(defaultValue: string, help: string, extras: OptionExtras<string> = {}): OptionSpec<string> {
  return spec('string', z.string({ message: 'expected a string' }), defaultValue, help, extras);
}

/** A string option without a default (`StrOpt`, default None); an empty value is also unset. */
export function optionalStr(help: string, extras: OptionExtras<string | null> = {}): OptionSpec<string | null> {
  const schema = z.preprocess(emptyToNull, z.string({ message: 'expected a string' }).nullable());
  return spec('string', schema, null, help, extras);
}

/** A boolean option (`BoolOpt`): true/false, yes/no, on/off, 1/0, any case. */
export function bool(defaultValue: boolean, help: string, extras: OptionExtras<boolean> = {}): OptionSpec<boolean> {
  return spec('boolean', z.preprocess(wordToBoolean, z.boolean({ message: BOOLEAN_EXPECTED })), defaultValue, help, extras);
}

/** An integer option (`IntOpt`), optionally bounded. */
export function int(
  defaultValue: number,
  help: string,
  { min, max, ...extras }: { min?: number; max?: number } & OptionExtras<number> = {},
): OptionSpec<number> {
  const schema = z.preprocess(textTo(INTEGER), boundedInteger('an integer', min, max));
  return spec('integer', schema, defaultValue, help, extras);
}

/** An integer option without a default (None); an empty value is also unset. */
export function optionalInt(
  help: string,
  { min, ...extras }: { min?: number } & OptionExtras<number | null> = {},
): OptionSpec<number | null> {
  const schema = z.preprocess((v) => textTo(INTEGER)(emptyToNull(v)), boundedInteger('an integer', min, undefined).nullable());
  return spec('integer', schema, null, help, extras);
}

/** A floating-point option (`FloatOpt`). */
export function float(defaultValue: number, help: string, extras: OptionExtras<number> = {}): OptionSpec<number> {
  const schema = z.preprocess(textTo(FLOAT), z.number({ message: 'expected a number' }));
  return spec('float', schema, defaultValue, help, extras);
}

/** A floating-point option without a default (None); an empty value is also unset. */
export function optionalFloat(help: string, extras: OptionExtras<number | null> = {}): OptionSpec<number | null> {
  const schema = z.preprocess((v) => textTo(FLOAT)(emptyToNull(v)), z.number({ message: 'expected a number' }).min(0, { message: 'expected a number of at least 0' }).nullable());
  return spec('float', schema, null, help, extras);
}

/** A TCP port (`PortOpt`): 0 to 65535. */
export function port(defaultValue: number, help: string, extras: OptionExtras<number> = {}): OptionSpec<number> {
  const schema = z.preprocess(textTo(INTEGER), boundedInteger('a port number (0-65535)', undefined, undefined).min(0, {
    message: 'expected a port number (0-65535)',
  }).max(65535, { message: 'expected a port number (0-65535)' }));
  return spec('port', schema, defaultValue, help, extras);
}

/** An IP address or host name (`HostAddressOpt`). */
export function host(defaultValue: string, help: string, extras: OptionExtras<string> = {}): OptionSpec<string> {
  const schema = z
    .string({ message: 'expected an IP address or a host name' })
    .trim()
    .refine((value) => net.isIP(value) !== 0 || HOSTNAME.test(value), { message: 'expected an IP address or a host name' });
  return spec('host address', schema, defaultValue, help, extras);
}

/** A comma-separated list of strings (`ListOpt`). */
export function list(defaultValue: readonly string[], help: string, extras: OptionExtras<readonly string[]> = {}): OptionSpec<readonly string[]> {
  const schema = z.preprocess(splitList, z.array(z.string(), { message: 'expected a comma-separated list' }));
  return spec('list', schema, defaultValue, help, extras);
}

/** A string restricted to some values (`StrOpt` with `choices`). */
export function choice<C extends string>(
  choices: readonly [C, ...C[]],
  defaultValue: C,
  help: string,
  extras: OptionExtras<C> = {},
): OptionSpec<C> {
  const schema = z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() : v),
    z.enum(choices, { message: `expected one of: ${choices.join(', ')}` }),
  );
  return { ...spec('choice', schema, defaultValue, help, extras), choices };
}
