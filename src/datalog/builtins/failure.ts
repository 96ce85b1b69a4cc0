/**
 * The error a builtin raises where the Python original would raise an exception. The evaluator
 * treats any throw as "the literal fails silently" (spec 8.5); the Python exception name and
 * message are kept so that traces can print `Error in builtin: <message>` as the original does.
 */

/** Python exception classes the builtins can raise. */
export type PythonErrorType =
  | 'TypeError'
  | 'ValueError'
  | 'ZeroDivisionError'
  | 'OverflowError'
  | 'MemoryError'
  | 'AttributeError'
  | 'IndexError'
  | 're.error'
  | 'ParserError'
  | 'AddrFormatError';

/** A builtin failed the way the Python original would have raised `type(message)`. */
export class BuiltinFailure extends Error {
  constructor(
    readonly pythonType: PythonErrorType,
    message: string,
  ) {
    super(message);
    this.name = 'BuiltinFailure';
  }
}

/** Shorthand for `throw new BuiltinFailure(...)` in expression position. */
export function fail(pythonType: PythonErrorType, message: string): never {
  throw new BuiltinFailure(pythonType, message);
}
