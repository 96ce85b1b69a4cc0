/**
 * The generic `push` driver: a new design, not a port (spec §3.4 recommendation). Each datasource
 * declares its tables in config, `{"tables": {"alarms": ["id", "severity"]}}`; a push replaces a
 * table with rows given as arrays (by position, arity checked) or objects (by column name).
 */
import { isRecord } from '../../../bus/json';
import type { DatasourceConfig } from '../../../db';
import { errors } from '../errors';
import { parsePersistData, type ConfigOption } from '../framework/config';
import type { DriverContext, DriverDefinition } from '../framework/driver';
import { PushDriver } from '../framework/push-driver';
import { schemaOf } from '../translation/schema';
import type { TableRows } from '../translation/translate';
import { VALUE, type TableTranslator } from '../translation/translator';
import { PERSIST_OPTION } from './doctor';

const NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;

/** The translators declared by a config's `tables`; throws a 400 on a malformed declaration. */
export function pushTranslators(config: DatasourceConfig | undefined): TableTranslator[] {
  const tables = config?.tables;
  if (tables === undefined) return [];
  if (!isRecord(tables) || Object.keys(tables).length === 0) throw errors.invalidValue('tables must be an object mapping table names to lists of column names');
  return Object.entries(tables).map(([table, columns]) => {
    if (!NAME.test(table)) throw errors.invalidValue(`invalid table name ${JSON.stringify(table)}`);
    if (!Array.isArray(columns) || columns.length === 0 || columns.some((c) => typeof c !== 'string' || !NAME.test(c))) {
      throw errors.invalidValue(`table ${table}: columns must be a non-empty list of names`);
    }
    if (new Set(columns).size !== columns.length) throw errors.invalidValue(`table ${table}: duplicate column names`);
    return {
      'translation-type': 'HDICT',
      'table-name': table,
      'selector-type': 'DICT_SELECTOR',
      'field-translators': (columns as string[]).map((fieldname) => ({ fieldname, translator: VALUE })),
    };
  });
}

class GenericPushDriver extends PushDriver {
  private readonly columns: Map<string, string[]>;

  constructor(context: DriverContext) {
    const translators = pushTranslators(context.config);
    super(context, translators, parsePersistData(context.config.persist_data, true));
    this.columns = new Map(translators.map((t) => [t['table-name'], t['translation-type'] === 'HDICT' ? t['field-translators'].map((f) => f.fieldname) : []]));
  }

  protected override translateBody(table: string, body: unknown): TableRows {
    const columns = this.columns.get(table);
    if (columns === undefined) throw errors.notInDriver(table);
    if (!Array.isArray(body)) throw errors.badPush(`the rows of ${table} must be a JSON array`);
    const objects = body.map((row: unknown, i) => {
      if (isRecord(row)) {
        const unknown = Object.keys(row).filter((k) => !columns.includes(k));
        if (unknown.length > 0) throw errors.badPush(`row ${i} has unknown columns: ${unknown.join(', ')}`);
        return row;
      }
      if (!Array.isArray(row)) throw errors.badPush(`row ${i} must be an array or an object`);
      if (row.length !== columns.length) throw errors.badPush(`row ${i} has ${row.length} values; table ${table} has ${columns.length} columns`);
      return Object.fromEntries(columns.map((c, j) => [c, row[j] as unknown]));
    });
    return super.translateBody(table, objects);
  }
}

const OPTIONS: ConfigOption[] = [
  { name: 'tables', required: true, type: 'object', description: 'table name → list of column names' },
  { name: 'description', required: false, type: 'string' },
  PERSIST_OPTION,
];

/** The `push` driver definition. */
export const pushDriver: DriverDefinition = {
  id: 'push',
  description: 'Datasource driver that allows external systems to push data.',
  options: OPTIONS,
  schema: (config) => schemaOf(pushTranslators(config)),
  create: (context) => new GenericPushDriver(context),
};
