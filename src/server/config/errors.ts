/** The error configuration loading raises. */

/**
 * The configuration cannot be used: a file is missing or does not parse, or an option has an
 * invalid value. The message names the file and line, or the section, option and value.
 */
export class ConfigError extends Error {
  constructor(
    message: string,
    /** Section of the offending option, when the error is about one. */
    readonly section: string | null = null,
    /** Name of the offending option, when the error is about one. */
    readonly option: string | null = null,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}
