/**
 * Declarative translators (spec §2.1): how upstream JSON becomes tables. The descriptors use the
 * original's key names (`translation-type`, `table-name`, `parent-key`, ...), so translators read
 * like the original drivers' and a generic driver can take one as JSON from its config.
 */
import type { DataType } from './data-types';

/** Reads a scalar column. */
export interface ValueTranslator {
  readonly 'translation-type': 'VALUE';
  /** Applied to the raw value first (default: identity). */
  readonly 'extract-fn'?: (raw: unknown) => unknown;
  /** Normalises the value and names the column type in the schema. */
  readonly 'data-type'?: DataType;
  /** Carried into the schema (`nullable: false`), not enforced, as in the original. */
  readonly nullable?: boolean;
}

/** One column (or nested table) of an HDICT. */
export interface FieldTranslator {
  /** Key (DICT_SELECTOR) or attribute (DOT_SELECTOR) to read; a missing one reads as null. */
  readonly fieldname: string;
  /** Output column name; defaults to `fieldname`. */
  readonly col?: string;
  readonly desc?: string;
  readonly translator: Translator;
}

/** A generated id column name, or a function giving the id of an object. */
export type IdCol = string | ((obj: unknown) => string | number);

/** Keys shared by the table-producing translators. */
interface TableTranslatorBase {
  readonly 'table-name': string;
  /** Column of the parent row copied as this table's first column (nested only). */
  readonly 'parent-key'?: string;
  /** Name of that first column (default `parent_key`). */
  readonly 'parent-col-name'?: string;
  readonly 'parent-key-desc'?: string;
  /** A generated id becomes the first column, and the parent's column for this field. */
  readonly 'id-col'?: IdCol;
  /** Applied to the raw value before translating (root: the whole fetched list). */
  readonly 'objects-extract-fn'?: (raw: unknown) => unknown;
}

/** One row per object, one column per field. */
export interface HdictTranslator extends TableTranslatorBase {
  readonly 'translation-type': 'HDICT';
  readonly 'selector-type': 'DICT_SELECTOR' | 'DOT_SELECTOR';
  readonly 'field-translators': readonly FieldTranslator[];
  /** The value is a list of objects, each giving one row with the same parent. */
  readonly 'in-list'?: boolean;
}

/** One row per key/value pair of a dict. */
export interface VdictTranslator extends TableTranslatorBase {
  readonly 'translation-type': 'VDICT';
  readonly 'key-col': string;
  readonly 'val-col': string;
  readonly translator: Translator;
}

/** One row per element of a list. */
export interface ListTranslator extends TableTranslatorBase {
  readonly 'translation-type': 'LIST';
  readonly 'val-col': string;
  readonly 'val-col-desc'?: string;
  readonly translator: Translator;
}

/** Any translator that produces a table. */
export type TableTranslator = HdictTranslator | VdictTranslator | ListTranslator;

/** Any translator. */
export type Translator = TableTranslator | ValueTranslator;

/** Shorthand for an untyped VALUE translator. */
export const VALUE: ValueTranslator = { 'translation-type': 'VALUE' };

/** Field translators that take each named field as it is (the drivers' most common case). */
export function valueFields(names: readonly string[]): { fieldname: string; translator: ValueTranslator }[] {
  return names.map((fieldname) => ({ fieldname, translator: VALUE }));
}

/** A VALUE translator of the given type. */
export function typed(dataType: DataType): ValueTranslator {
  return { 'translation-type': 'VALUE', 'data-type': dataType };
}

/** True for translators that produce a table. */
export function isTableTranslator(t: Translator): t is TableTranslator {
  return t['translation-type'] !== 'VALUE';
}

/** The sub-translators of a table translator, in declaration order. */
export function subTranslators(t: TableTranslator): Translator[] {
  if (t['translation-type'] === 'HDICT') return t['field-translators'].map((f) => f.translator);
  return [t.translator];
}
