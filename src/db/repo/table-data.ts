/**
 * Pushed table data, in `dstabledata`: one JSON document (an array of rows, each an array) per
 * (datasource, table), replaced whole on every push. Not covered by the table lock, and not
 * part of the revision log (it reaches replicas over the bus).
 */
import { CorruptRowError, StoreUsageError } from '../errors';
import type { TableRow } from '../store';
import { text } from './columns';
import type { RepoContext } from './context';

function assertUnlocked(ctx: RepoContext): void {
  if (ctx.locked) throw new StoreUsageError('pushed table data cannot be used under the table lock');
}

function decodeRows(datasourceId: string, table: string, json: string): TableRow[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (err) {
    throw new CorruptRowError('dstabledata', `${datasourceId}/${table}`, (err as Error).message);
  }
  if (!Array.isArray(parsed) || !parsed.every((row) => Array.isArray(row))) {
    throw new CorruptRowError('dstabledata', `${datasourceId}/${table}`, 'not an array of arrays');
  }
  return parsed as TableRow[];
}

/** The stored rows of one table, or null. */
export async function readTableData(ctx: RepoContext, datasourceId: string, table: string): Promise<TableRow[] | null> {
  assertUnlocked(ctx);
  const rows = await ctx.sql.select('SELECT tabledata FROM dstabledata WHERE ds_id = ? AND tablename = ?', [
    datasourceId,
    table,
  ]);
  return rows.length > 0 ? decodeRows(datasourceId, table, text(rows[0], 'tabledata')) : null;
}

/** Every stored table of a datasource. */
export async function readAllTableData(ctx: RepoContext, datasourceId: string): Promise<Map<string, TableRow[]>> {
  assertUnlocked(ctx);
  const rows = await ctx.sql.select('SELECT tablename, tabledata FROM dstabledata WHERE ds_id = ? ORDER BY tablename', [
    datasourceId,
  ]);
  const tables = new Map<string, TableRow[]>();
  for (const row of rows) {
    const table = text(row, 'tablename');
    tables.set(table, decodeRows(datasourceId, table, text(row, 'tabledata')));
  }
  return tables;
}

/** Replaces the stored rows of one table (insert or update). */
export async function writeTableData(
  ctx: RepoContext,
  datasourceId: string,
  table: string,
  rows: readonly TableRow[],
): Promise<void> {
  assertUnlocked(ctx);
  const json = JSON.stringify(rows);
  const upsert =
    ctx.sql.dialect === 'mysql'
      ? 'INSERT INTO dstabledata (ds_id, tablename, tabledata) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE tabledata = VALUES(tabledata)'
      : 'INSERT INTO dstabledata (ds_id, tablename, tabledata) VALUES (?, ?, ?) ON CONFLICT (ds_id, tablename) DO UPDATE SET tabledata = excluded.tabledata';
  await ctx.sql.execute(upsert, [datasourceId, table, json]);
}

/** Deletes one stored table, or all of a datasource's. */
export async function removeTableData(ctx: RepoContext, datasourceId: string, table?: string): Promise<number> {
  assertUnlocked(ctx);
  return table === undefined
    ? ctx.sql.execute('DELETE FROM dstabledata WHERE ds_id = ?', [datasourceId])
    : ctx.sql.execute('DELETE FROM dstabledata WHERE ds_id = ? AND tablename = ?', [datasourceId, table]);
}
