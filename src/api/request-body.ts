/**
 * Reading JSON request bodies the way Congress does (api.md §1.3): creations and replacements
 * check the content type and charset first; action bodies (`?action=…`) are parsed without
 * that check, as upstream, but a malformed one is a 400 rather than upstream's 500 (D12).
 * Numbers keep Python's semantics (`1.0` stays a float) through the datalog JSON reader. What
 * a body must contain is declared by the schemas in schemas/.
 */
import { parseJson, type JsonValue } from '../datalog/json';
import { ApiError } from './errors';

const UTF8_NAMES = new Set(['utf-8', 'utf8']);
// The byte order mark is kept so that creations can refuse it as the original does.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Rejects a content type other than `application/json` or a charset other than UTF-8. */
export function checkContentType(header: string | undefined): void {
  const [type, ...params] = (header ?? '').split(';').map((s) => s.trim().toLowerCase());
  if (type !== 'application/json') throw new ApiError('unsupported_content_type');
  for (const p of params) {
    const eq = p.indexOf('=');
    if (eq < 0 || p.slice(0, eq).trim() !== 'charset') continue;
    const charset = p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    if (!UTF8_NAMES.has(charset)) throw new ApiError('unsupported_charset');
  }
}

/**
 * Parses raw body bytes as JSON; the message keeps the original's prefix. A leading UTF-8 byte
 * order mark is refused as Python's `json.loads` refuses it (observed for creations; action
 * bodies answered 500 there, D12).
 */
export function parseBody(raw: Buffer | undefined): JsonValue {
  let text: string;
  try {
    text = raw === undefined ? '' : decoder.decode(raw);
  } catch {
    throw new ApiError('malformed_body', 'body is not valid UTF-8');
  }
  // Python's wording for the most common case, an empty body.
  if (text.trim() === '') throw new ApiError('malformed_body', 'Expecting value: line 1 column 1 (char 0)');
  if (text.startsWith('\uFEFF')) throw new ApiError('malformed_body', 'Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)');
  try {
    return parseJson(text);
  } catch (err) {
    throw new ApiError('malformed_body', (err as Error).message);
  }
}
