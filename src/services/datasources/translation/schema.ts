/**
 * Table schemas derived from translators (spec §2.10): column names and order, descriptions,
 * declared types, and the table order the API shows (nested tables before their parent, roots in
 * declaration order).
 */
import { isTableTranslator, type TableTranslator, type Translator } from './translator';

/** One column of a table. */
export interface ColumnSchema {
  readonly name: string;
  /** Null when the driver declares none. */
  readonly desc: string | null;
  /** Declared data type name, e.g. `Str`. */
  readonly type?: string;
  /** Present (false) only when declared not nullable. */
  readonly nullable?: false;
  /** A VDICT column: declared as a bare name, so the API shows the description `"None"`. */
  readonly bare?: true;
}

/** A table: name and ordered columns. */
export interface TableSchema {
  readonly name: string;
  readonly columns: readonly ColumnSchema[];
}

/** The id column's name: the `id-col` string, or `id-col` when it is a function. */
export function idColumnName(t: TableTranslator): string | undefined {
  const idCol = t['id-col'];
  if (idCol === undefined) return undefined;
  return typeof idCol === 'string' ? idCol : 'id-col';
}

function valueColumn(name: string, desc: string | undefined, t: Translator): ColumnSchema {
  const col: { name: string; desc: string | null; type?: string; nullable?: false } = { name, desc: desc ?? null };
  if (t['translation-type'] === 'VALUE') {
    if (t['data-type'] !== undefined) col.type = t['data-type'].name;
    if (t.nullable === false) col.nullable = false;
  }
  return col;
}

function prefixColumn(t: TableTranslator, parent: readonly ColumnSchema[] | undefined, bare: boolean): ColumnSchema[] {
  const id = idColumnName(t);
  if (id !== undefined) return [bare ? { name: id, desc: null, bare: true } : { name: id, desc: null }];
  const key = t['parent-key'];
  if (key === undefined) return [];
  const name = t['parent-col-name'] ?? 'parent_key';
  if (bare) return [{ name, desc: null, bare: true }];
  const copied = parent?.find((c) => c.name === key);
  const desc = t['translation-type'] === 'VDICT' ? undefined : t['parent-key-desc'];
  const col: { name: string; desc: string | null; type?: string } = { name, desc: desc ?? null };
  if (copied?.type !== undefined) col.type = copied.type;
  return [col];
}

function ownColumns(t: TableTranslator, parent: readonly ColumnSchema[] | undefined): ColumnSchema[] {
  switch (t['translation-type']) {
    case 'HDICT': {
      const cols = prefixColumn(t, parent, false);
      for (const f of t['field-translators']) {
        const sub = f.translator;
        if (isTableTranslator(sub) && sub['parent-key'] !== undefined) continue;
        cols.push(isTableTranslator(sub) ? { name: f.col ?? f.fieldname, desc: f.desc ?? null } : valueColumn(f.col ?? f.fieldname, f.desc, sub));
      }
      return cols;
    }
    case 'LIST':
      return [...prefixColumn(t, parent, false), { name: t['val-col'], desc: t['val-col-desc'] ?? null }];
    case 'VDICT': {
      const cols = [...prefixColumn(t, parent, true), { name: t['key-col'], desc: null, bare: true as const }];
      const sub = t.translator;
      if (!(isTableTranslator(sub) && sub['parent-key'] !== undefined)) cols.push({ name: t['val-col'], desc: null, bare: true });
      return cols;
    }
  }
}

function collect(t: TableTranslator, parent: readonly ColumnSchema[] | undefined, out: TableSchema[]): void {
  const columns = ownColumns(t, parent);
  // A VDICT hands its children only the key column; HDICT children see the whole parent row.
  const seenByChildren = t['translation-type'] === 'VDICT' ? [{ name: t['key-col'], desc: null }] : columns;
  const subs = t['translation-type'] === 'HDICT' ? t['field-translators'].map((f) => f.translator) : [t.translator];
  for (const sub of subs) if (isTableTranslator(sub)) collect(sub, seenByChildren, out);
  out.push({ name: t['table-name'], columns });
}

/** Every table the root translators produce, nested ones first, in the original's order. */
export function schemaOf(roots: readonly TableTranslator[]): TableSchema[] {
  const out: TableSchema[] = [];
  for (const root of roots) collect(root, undefined, out);
  return out;
}

/** The tables one root translator produces (itself and every nested table). */
export function tablesOfRoot(root: TableTranslator): string[] {
  const out: TableSchema[] = [];
  collect(root, undefined, out);
  return out.map((t) => t.name);
}

/** The schema in the API's shape: `{"table_id", "columns": [{"name", "description"}]}`. */
export function tableSchemaJson(table: TableSchema): { table_id: string; columns: { name: string; description: string | null }[] } {
  return {
    table_id: table.name,
    columns: table.columns.map((c) => ({ name: c.name, description: c.bare === true ? 'None' : c.desc })),
  };
}
