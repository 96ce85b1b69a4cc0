/**
 * Checks of translator descriptors, done when a driver is built (spec §2.1): invalid types, keys
 * not valid for a type, `parent-key` with `id-col`, missing `key-col`/`val-col`, and table names
 * used twice. Two more rules the spec recommends: a nested table translator needs `parent-key`
 * or `id-col` (else its column would never be filled), and a LIST's element translator must not
 * have a `parent-key` (its table would have no columns).
 */
import { DatasourceError } from '../errors';
import { isTableTranslator, type TableTranslator, type Translator } from './translator';

const VALID_KEYS: Readonly<Record<string, readonly string[]>> = {
  HDICT: ['translation-type', 'table-name', 'parent-key', 'id-col', 'selector-type', 'field-translators', 'in-list', 'parent-col-name', 'objects-extract-fn', 'parent-key-desc'],
  VDICT: ['translation-type', 'table-name', 'parent-key', 'id-col', 'key-col', 'val-col', 'translator', 'parent-col-name', 'objects-extract-fn'],
  LIST: ['translation-type', 'table-name', 'parent-key', 'id-col', 'val-col', 'translator', 'parent-col-name', 'objects-extract-fn', 'parent-key-desc', 'val-col-desc'],
  VALUE: ['translation-type', 'extract-fn', 'data-type', 'nullable'],
};
const FIELD_KEYS = ['fieldname', 'col', 'desc', 'translator'];

function invalid(message: string): DatasourceError {
  return new DatasourceError('invalid_translator', message);
}

function checkKeys(obj: object, valid: readonly string[]): void {
  const bad = Object.keys(obj).filter((k) => !valid.includes(k));
  if (bad.length > 0) throw invalid(`Params (${bad.join(', ')}) are invalid. Valid params: ${valid.join(', ')}`);
}

function check(t: Translator, nested: boolean, inList: boolean, tables: Set<string>): void {
  const type = (t as { 'translation-type'?: unknown })['translation-type'];
  if (typeof type !== 'string' || !(type in VALID_KEYS)) throw invalid(`Translation type ${String(type)} is invalid`);
  checkKeys(t, VALID_KEYS[type]);
  if (!isTableTranslator(t)) return;
  const name = t['table-name'];
  if (typeof name !== 'string' || name === '') throw invalid('table-name must be a non-empty string');
  if (tables.has(name)) throw invalid(`Duplicate table name ${name}`);
  tables.add(name);
  if (t['parent-key'] !== undefined && t['id-col'] !== undefined) throw invalid(`Table ${name}: Specify at most one of parent-key or id-col`);
  if (!nested && t['parent-key'] !== undefined) throw invalid(`Table ${name}: parent-key is only valid in a nested translator`);
  if (nested && !inList && t['parent-key'] === undefined && t['id-col'] === undefined) {
    throw invalid(`Table ${name}: a nested translator needs parent-key or id-col`);
  }
  switch (t['translation-type']) {
    case 'HDICT': {
      if (t['selector-type'] !== 'DICT_SELECTOR' && t['selector-type'] !== 'DOT_SELECTOR') throw invalid(`Table ${name}: invalid selector-type`);
      if (!Array.isArray(t['field-translators'])) throw invalid(`Table ${name}: field-translators must be a list`);
      const columns = new Set<string>();
      for (const field of t['field-translators']) {
        checkKeys(field, FIELD_KEYS);
        if (typeof field.fieldname !== 'string') throw invalid(`Table ${name}: fieldname must be a string`);
        const col = field.col ?? field.fieldname;
        if (columns.has(col)) throw invalid(`Table ${name}: duplicate column ${col}`);
        columns.add(col);
        check(field.translator, true, false, tables);
      }
      return;
    }
    case 'VDICT':
      if (typeof t['key-col'] !== 'string' || typeof t['val-col'] !== 'string') throw invalid(`Table ${name}: VDICT requires key-col and val-col`);
      check(t.translator, true, false, tables);
      return;
    case 'LIST': {
      if (typeof t['val-col'] !== 'string') throw invalid(`Table ${name}: LIST requires val-col`);
      const element = t.translator;
      if (isTableTranslator(element)) {
        if (element['parent-key'] !== undefined) throw invalid(`Table ${name}: a LIST element translator cannot have parent-key`);
        if (element['id-col'] === undefined) throw invalid(`Table ${name}: a LIST of tables needs id-col on its element translator`);
      }
      check(element, true, true, tables);
      return;
    }
  }
}

/** Throws `DatasourceError('invalid_translator')` unless the root translators are well formed. */
export function validateTranslators(roots: readonly TableTranslator[]): void {
  const tables = new Set<string>();
  for (const root of roots) {
    if (!isTableTranslator(root)) throw invalid('A root translator must produce a table');
    check(root, false, false, tables);
  }
}
