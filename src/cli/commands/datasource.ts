/**
 * `congress datasource ...` and `congress driver ...`: datasources, their tables, rows, schema,
 * status and actions, pushes to push drivers, and the drivers the server offers.
 */
import { isJsonObject, parseJson, plainJson } from '../../datalog/json';
import { ApiCallError, ClientFailure, seg, type CongressClient, type Json } from '../client/rest-client';
import type { Output } from '../client/output';
import { arg, asObject, listOf, opt, resultsOf, type Args, type CommandSpec } from './command';

const dsPath = (a: Args): string => `/v1/data-sources/${seg(arg(a, 'datasource'))}`;
const tablePath = (a: Args): string => `${dsPath(a)}/tables/${seg(arg(a, 'table'))}`;

/** `KEY=VALUE` pairs (repeatable `--config`) merged over a `--config-json` object. */
export function datasourceConfig(pairs: unknown, json: string | undefined): { [key: string]: Json } {
  let config: { [key: string]: Json } = {};
  if (json !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (err) {
      throw new ClientFailure(`--config-json is not valid JSON: ${(err as Error).message}`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ClientFailure('--config-json must be a JSON object');
    config = parsed as { [key: string]: Json };
  }
  for (const p of Array.isArray(pairs) ? pairs : pairs === undefined ? [] : [pairs]) {
    const text = String(p);
    const i = text.indexOf('=');
    if (i <= 0) throw new ClientFailure(`--config expects KEY=VALUE, got ${JSON.stringify(text)}`);
    config[text.slice(0, i)] = text.slice(i + 1);
  }
  return config;
}

/** One dict per line, as the python client prints lists of column or argument descriptions. */
function dictLines(v: Json | undefined): string {
  return Array.isArray(v) ? v.map((d) => JSON.stringify(plainJson(d))).join(',\n') : '';
}

/** A table's column names from its spec, or `Col0..` when the datasource publishes no schema for it. */
async function columnNames(c: CongressClient, a: Args, arity: number): Promise<string[]> {
  try {
    const spec = asObject(await c.get(`${tablePath(a)}/spec`), 'table schema');
    if (Array.isArray(spec.columns) && spec.columns.length === arity) {
      return spec.columns.map((col, i) => (isJsonObject(col) && typeof col.name === 'string' ? col.name : `Col${i}`));
    }
  } catch (err) {
    if (!(err instanceof ApiCallError && err.status === 404)) throw err;
  }
  return Array.from({ length: arity }, (_, i) => `Col${i}`);
}

/** A schema's tables as `table`/`columns` rows. */
function schemaRows(tables: Json | undefined): Output {
  const list = Array.isArray(tables) ? tables.map((t) => asObject(t, 'schema')) : [];
  return { kind: 'list', columns: ['table', 'columns'], rows: list.map((t) => [t.table_id ?? '', dictLines(t.columns)]), json: list };
}

/** Every `congress datasource` and `congress driver` subcommand. */
export const datasourceCommands: readonly CommandSpec[] = [
  {
    words: ['datasource', 'list'],
    positionals: [],
    describe: 'list datasources',
    run: async (c) => listOf(resultsOf(await c.get('/v1/data-sources'), 'datasource list'), ['id', 'name', 'enabled', 'driver', 'config']),
  },
  {
    words: ['datasource', 'create'],
    positionals: ['driver', 'name'],
    describe: 'create a datasource',
    options: {
      description: { type: 'string', describe: 'description of the datasource' },
      config: { type: 'string', describe: 'a config entry KEY=VALUE (repeatable)' },
      'config-json': { type: 'string', describe: 'the config as a JSON object (KEY=VALUE entries override it)' },
    },
    run: async (c, a) => {
      const body: { [key: string]: Json } = { name: arg(a, 'name'), driver: arg(a, 'driver'), config: datasourceConfig(a.config, opt(a, 'config-json')) };
      const description = opt(a, 'description');
      if (description !== undefined && description !== '') body.description = description;
      return { kind: 'show', fields: asObject(await c.post('/v1/data-sources', body), 'datasource') };
    },
  },
  {
    words: ['datasource', 'delete'],
    positionals: ['datasource'],
    describe: 'delete a datasource (name or id)',
    run: async (c, a) => {
      await c.delete(dsPath(a));
      return { kind: 'none' };
    },
  },
  {
    words: ['datasource', 'show'],
    positionals: ['datasource'],
    describe: 'show a datasource (name or id)',
    run: async (c, a) => ({ kind: 'show', fields: asObject(await c.get(dsPath(a)), 'datasource') }),
  },
  {
    words: ['datasource', 'status', 'show'],
    positionals: ['datasource'],
    describe: "show a datasource's status",
    run: async (c, a) => ({ kind: 'show', fields: asObject(await c.get(`${dsPath(a)}/status`), 'status') }),
  },
  {
    words: ['datasource', 'table', 'list'],
    positionals: ['datasource'],
    describe: 'list the tables of a datasource',
    run: async (c, a) => listOf(resultsOf(await c.get(`${dsPath(a)}/tables`), 'table list'), ['id']),
  },
  {
    words: ['datasource', 'table', 'show'],
    positionals: ['datasource', 'table'],
    describe: 'show a datasource table',
    run: async (c, a) => ({ kind: 'show', fields: asObject(await c.get(tablePath(a)), 'table') }),
  },
  {
    words: ['datasource', 'table', 'schema', 'show'],
    positionals: ['datasource', 'table'],
    describe: 'show the columns of a datasource table',
    run: async (c, a) => {
      const spec = asObject(await c.get(`${tablePath(a)}/spec`), 'table schema');
      const columns = Array.isArray(spec.columns) ? spec.columns.map((x) => asObject(x, 'column')) : [];
      return listOf(columns, ['name', 'description']);
    },
  },
  {
    words: ['datasource', 'row', 'list'],
    positionals: ['datasource', 'table'],
    describe: 'list the rows of a datasource table',
    run: async (c, a) => {
      const rows = resultsOf(await c.get(`${tablePath(a)}/rows`), 'row list').map((r) => (Array.isArray(r.data) ? r.data : []));
      if (rows.length === 0) return { kind: 'list', columns: ['data'], rows: [] };
      return { kind: 'list', columns: await columnNames(c, a, rows[0].length), rows };
    },
  },
  {
    words: ['datasource', 'row', 'update'],
    positionals: ['datasource', 'table', 'rows'],
    describe: 'replace the rows of a push datasource table with a JSON list, e.g. \'[["a", 1], ["b", 2]]\'',
    run: async (c, a) => {
      const rows = arg(a, 'rows');
      try {
        parseJson(rows);
      } catch (err) {
        throw new ClientFailure(`rows must be JSON, e.g. '[["a", 1]]': ${(err as Error).message}`);
      }
      await c.putText(`${tablePath(a)}/rows`, rows);
      return { kind: 'none' };
    },
  },
  {
    words: ['datasource', 'schema', 'show'],
    positionals: ['datasource'],
    describe: 'show the schema of every table of a datasource',
    run: async (c, a) => schemaRows(asObject(await c.get(`${dsPath(a)}/schema`), 'schema').tables),
  },
  {
    words: ['datasource', 'request-refresh'],
    positionals: ['datasource'],
    describe: 'ask a datasource to poll now',
    run: async (c, a) => {
      await c.post(dsPath(a), {}, { action: 'request-refresh' });
      return { kind: 'none' };
    },
  },
  {
    words: ['datasource', 'actions', 'show'],
    positionals: ['datasource'],
    describe: 'list the actions a datasource supports',
    run: async (c, a) => {
      const actions = resultsOf(await c.get(`${dsPath(a)}/actions`), 'actions');
      return { kind: 'list', columns: ['action', 'args', 'description'], rows: actions.map((x) => [x.name ?? '', dictLines(x.args), x.description ?? '']), json: actions };
    },
  },
  {
    words: ['driver', 'list'],
    positionals: [],
    describe: 'list datasource drivers',
    run: async (c) => listOf(resultsOf(await c.get('/v1/system/drivers'), 'driver list'), ['id', 'description']),
  },
  {
    words: ['driver', 'show'],
    positionals: ['driver'],
    describe: "show a driver's description and config (its tables: driver schema show)",
    run: async (c, a) => {
      const { tables: _tables, ...fields } = asObject(await c.get(`/v1/system/drivers/${seg(arg(a, 'driver'))}`), 'driver');
      return { kind: 'show', fields };
    },
  },
  {
    words: ['driver', 'schema', 'show'],
    positionals: ['driver'],
    describe: 'show the tables a driver publishes',
    run: async (c, a) => schemaRows(asObject(await c.get(`/v1/system/drivers/${seg(arg(a, 'driver'))}`), 'driver').tables),
  },
];
