/**
 * What a client command prints: cliff-style tables (the look of `openstack congress ...`) by
 * default, or JSON for scripts. Commands return a {@link Output} and never write themselves, so
 * one renderer decides the format.
 */
import { plainJson, prettyJson } from '../../datalog/json';
import { Float, formatFloat } from '../../datalog/value';
import type { Json } from './rest-client';

/** How results are printed. */
export type Format = 'table' | 'json';

/** A command's result, before it is printed. */
export type Output =
  /** Rows under named columns (cliff's Lister). */
  | { readonly kind: 'list'; readonly columns: readonly string[]; readonly rows: readonly (readonly Json[])[]; readonly preface?: string; readonly json?: Json }
  /** One object shown as Field/Value pairs, sorted by field (cliff's ShowOne). */
  | { readonly kind: 'show'; readonly fields: { readonly [key: string]: Json }; readonly json?: Json }
  /** Free text for people, and the JSON to print instead with `--json`. */
  | { readonly kind: 'text'; readonly text: string; readonly json: Json }
  /** Nothing to print (deletes, pushes, refresh requests). */
  | { readonly kind: 'none' };

/** A cell's text: Python's spelling of null, booleans and floats, as the python client shows them. */
export function cellText(v: Json): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (v instanceof Float) return formatFloat(v.v);
  return JSON.stringify(plainJson(v));
}

/** A prettytable-style table; multi-line cells span several text lines. */
export function renderTable(columns: readonly string[], rows: readonly (readonly Json[])[]): string {
  const cells = rows.map((r) => columns.map((_, i) => cellText(i < r.length ? r[i] : '').split('\n')));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => Math.max(...r[i].map((l) => l.length)))));
  const rule = '+' + widths.map((w) => '-'.repeat(w + 2)).join('+') + '+';
  const line = (texts: readonly string[]): string => '| ' + texts.map((t, i) => t.padEnd(widths[i])).join(' | ') + ' |';
  const out = [rule, line(columns), rule];
  for (const r of cells) {
    const height = Math.max(1, ...r.map((c) => c.length));
    for (let k = 0; k < height; k++) out.push(line(r.map((c) => c[k] ?? '')));
  }
  out.push(rule);
  return out.join('\n') + '\n';
}

function sortedEntries(o: { readonly [key: string]: Json }): [string, Json][] {
  return Object.keys(o)
    .sort()
    .map((k) => [k, o[k]]);
}

/** The text to print for an output in a format ('' when there is nothing to print). */
export function render(out: Output, format: Format): string {
  switch (out.kind) {
    case 'none':
      return '';
    case 'text':
      return format === 'json' ? prettyJson(out.json) + '\n' : out.text;
    case 'show':
      if (format === 'json' && out.json !== undefined) return prettyJson(out.json) + '\n';
      if (format === 'json') return prettyJson(Object.fromEntries(sortedEntries(out.fields))) + '\n';
      return renderTable(['Field', 'Value'], sortedEntries(out.fields));
    case 'list': {
      if (format === 'json') {
        if (out.json !== undefined) return prettyJson(out.json) + '\n';
        const objects = out.rows.map((r) => Object.fromEntries(out.columns.map((c, i) => [c, i < r.length ? r[i] : null])));
        return prettyJson(objects) + '\n';
      }
      // cliff prints nothing at all for an empty list; the preface (a trace) still shows.
      const preface = out.preface ?? '';
      return out.rows.length === 0 ? preface : preface + renderTable(out.columns, out.rows);
    }
  }
}
