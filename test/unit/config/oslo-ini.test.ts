/** oslo.config's INI dialect, where it differs from common INI parsers. */
import { ConfigError, parseOsloIni } from '../../../src/server/config';

function values(text: string): Record<string, Record<string, string[]>> {
  const out: Record<string, Record<string, string[]>> = {};
  for (const [section, options] of parseOsloIni(text, 'test.conf')) {
    out[section] = {};
    for (const [name, given] of options) out[section][name] = given.map((v) => v.value);
  }
  return out;
}

describe('parseOsloIni', () => {
  it('keeps values as text, inline # and ; included', () => {
    expect(values('[DEFAULT]\nflag = true\nurl = rabbit://u:p@h:5672/ # not a comment\nx = a ; b\n')).toEqual({
      DEFAULT: { flag: ['true'], url: ['rabbit://u:p@h:5672/ # not a comment'], x: ['a ; b'] },
    });
  });

  it('skips whole-line # and ; comments and blank lines', () => {
    expect(values('# top\n[dse]\n; old style\n\n#bus_id = x\nbus_id = y\n')).toEqual({ dse: { bus_id: ['y'] } });
  });

  it('splits at the first of = and :, so URLs keep their colons', () => {
    expect(values('[database]\nconnection = mysql+pymysql://u:p@h/c\nkey: value = with equals\n')).toEqual({
      database: { connection: ['mysql+pymysql://u:p@h/c'], key: ['value = with equals'] },
    });
  });

  it('strips one pair of matching quotes', () => {
    expect(values(`[DEFAULT]\na = "quoted"\nb = 'single'\nc = "mismatched'\nd = ""\n`)).toEqual({
      DEFAULT: { a: ['quoted'], b: ['single'], c: [`"mismatched'`], d: [''] },
    });
  });

  it('joins indented continuation lines until a blank line', () => {
    expect(values('[DEFAULT]\nlist = a,\n  b,\n\tc\n\nnext = 1\n')).toEqual({ DEFAULT: { list: ['a,\nb,\nc'], next: ['1'] } });
  });

  it('keeps every value of a repeated key and merges repeated sections', () => {
    expect(values('[DEFAULT]\nx = 1\n[dse]\ny = 2\n[DEFAULT]\nx = 3\n')).toEqual({ DEFAULT: { x: ['1', '3'] }, dse: { y: ['2'] } });
  });

  it('lower-cases section names except DEFAULT', () => {
    expect(Object.keys(values('[Database]\na = 1\n[DEFAULT]\nb = 2\n[default]\nc = 3\n'))).toEqual(['database', 'DEFAULT', 'default']);
  });

  it('accepts CRLF line ends', () => {
    expect(values('[DEFAULT]\r\nx = 1\r\n')).toEqual({ DEFAULT: { x: ['1'] } });
  });

  it('takes a lone quote as an empty pair of quotes, as oslo.config does', () => {
    expect(values(`[DEFAULT]\na = "\nb = '\nc = x"\n`)).toEqual({ DEFAULT: { a: [''], b: [''], c: ['x"'] } });
  });

  it('ends lines at a lone CR too (Python universal newlines)', () => {
    expect(values('[DEFAULT]\rx = 1\ry = 2\r\nz = 3')).toEqual({ DEFAULT: { x: ['1'], y: ['2'], z: ['3'] } });
  });

  it("strips Python's whitespace: \\x1c-\\x1f and \\x85 are whitespace, a byte order mark is not", () => {
    expect(values('[DEFAULT]\nx = \x85a\x1c\n\x1f\n\ufeffy = b\ufeff\n')).toEqual({ DEFAULT: { x: ['a'], '\ufeffy': ['b\ufeff'] } });
    // A \x1c line is blank and ends the value; a byte-order-mark line is not blank.
    expect(() => parseOsloIni('[DEFAULT]\nx = 1\n\x1c\n  more\n', 'test.conf')).toThrow(/test.conf:4: unexpected continuation/);
    expect(() => parseOsloIni('[DEFAULT]\n\ufeff\n', 'test.conf')).toThrow(/test.conf:2: no ':' or '='/);
  });

  it.each([
    ['x = 1\n', /test.conf:1: section must be started/],
    ['[DEFAULT\nx = 1\n', /test.conf:1: invalid section/],
    ['[]\n', /test.conf:1: empty section name/],
    ['[DEFAULT]\njust words\n', /test.conf:2: no ':' or '='/],
    ['[DEFAULT]\n= 1\n', /test.conf:2: key cannot be empty/],
    ['[DEFAULT]\n\n  indented\n', /test.conf:3: unexpected continuation/],
  ])('refuses %j with its line number', (text, message) => {
    expect(() => parseOsloIni(text, 'test.conf')).toThrow(ConfigError);
    expect(() => parseOsloIni(text, 'test.conf')).toThrow(message);
  });
});
