/**
 * Translators written as JSON (for drivers configured by the user, like `json_rest`): the same
 * keys as in code, with `data-type` naming a type (`"Str"`, `"Int"`, `"IPAddress"`, ...).
 * Function-valued keys (`extract-fn`, `objects-extract-fn`, a function `id-col`) only exist in
 * code and are rejected here; the structural checks are `validateTranslators`'.
 */
import { isRecord } from '../../../bus/json';
import { DatasourceError } from '../errors';
import { NAMED_TYPES } from './data-types';
import type { TableTranslator, Translator } from './translator';

function invalid(message: string): DatasourceError {
  return new DatasourceError('invalid_translator', message);
}

function fromJson(raw: unknown, where: string): Translator {
  if (!isRecord(raw)) throw invalid(`${where}: a translator must be an object`);
  for (const key of ['extract-fn', 'objects-extract-fn']) if (key in raw) throw invalid(`${where}: ${key} cannot be given in JSON`);
  const out: Record<string, unknown> = { ...raw };
  if ('data-type' in raw) {
    const name = raw['data-type'];
    const type = typeof name === 'string' ? NAMED_TYPES[name] : undefined;
    if (type === undefined) throw invalid(`${where}: unknown data-type ${JSON.stringify(name)}; known: ${Object.keys(NAMED_TYPES).join(', ')}`);
    out['data-type'] = type;
  }
  if ('translator' in raw) out.translator = fromJson(raw.translator, `${where}.translator`);
  if ('field-translators' in raw) {
    const fields = raw['field-translators'];
    if (!Array.isArray(fields)) throw invalid(`${where}: field-translators must be a list`);
    out['field-translators'] = fields.map((field: unknown, i) => {
      if (!isRecord(field)) throw invalid(`${where}.field-translators[${i}] must be an object`);
      return { ...field, translator: fromJson(field.translator, `${where}.field-translators[${i}]`) };
    });
  }
  return out as unknown as Translator;
}

/** A root translator from JSON; throws a 400-style `DatasourceError` when malformed. */
export function translatorFromJson(raw: unknown, where = 'translator'): TableTranslator {
  const t = fromJson(raw, where);
  if (t['translation-type'] === 'VALUE') throw invalid(`${where}: a root translator must produce a table`);
  return t as TableTranslator;
}
