/**
 * JSON text as the original's `json.dumps(value, sort_keys=True)` writes it: keys sorted,
 * `, ` and `: ` separators, everything outside printable ASCII escaped. It identifies a polled
 * document (two polls returning the same object in another key order must not look like a
 * change) and is the `_key` of a webhook table's rows, where it must match the original's text.
 */
function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sorted((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

const escapeNonAscii = (s: string): string => s.replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));

export function canonicalJson(value: unknown): string {
  const compact = JSON.stringify(sorted(value) ?? null);
  // Re-spaces outside strings only: a string token is skipped whole.
  const spaced = compact.replace(/"(?:\\.|[^"\\])*"|[,:]/g, (t) => (t === ',' ? ', ' : t === ':' ? ': ' : t));
  return escapeNonAscii(spaced);
}
