/** The JSON shapes of the API's objects (api.md §4.1, §5.1, §11). */
import type { JsonValue, PlainJson } from '../datalog/json';
import type { LibraryPolicyInfo, PolicyInfo, RuleInfo } from '../services/engine/types';
import { prettyRuleText } from './rule-text';

type JsonObject = { [key: string]: JsonValue };

/** A policy object. */
export function policyJson(p: PolicyInfo): JsonObject {
  return { id: p.id, name: p.name, abbreviation: p.abbreviation, description: p.description, owner_id: p.ownerId, kind: p.kind };
}

/** A rule as GET and DELETE show it: the text exactly as submitted. */
export function ruleJson(r: RuleInfo): JsonObject {
  return { rule: r.rule, id: r.id, comment: r.comment, name: r.name };
}

/** A rule as its creation answer shows it: pretty text (D14: kept for compatibility). */
export function createdRuleJson(r: RuleInfo): JsonObject {
  return { ...ruleJson(r), rule: prettyRuleText(r.rule) };
}

/** A rule inside a policy created with rules: pretty text, no id. */
export function embeddedRuleJson(r: RuleInfo): JsonObject {
  return { rule: prettyRuleText(r.rule), comment: r.comment, name: r.name };
}

/** A library policy, with or without its rules. */
export function libraryPolicyJson(p: LibraryPolicyInfo, includeRules = true): JsonObject {
  const out: JsonObject = { id: p.id, name: p.name, abbreviation: p.abbreviation, description: p.description, kind: p.kind };
  if (includeRules) {
    out.rules = p.rules.map((r) => Object.fromEntries(Object.entries(r).filter((e): e is [string, PlainJson] => e[1] !== undefined)));
  }
  return out;
}

/** `{"results": [...]}`, the shape of every list. */
export function results(items: readonly JsonValue[]): JsonObject {
  return { results: [...items] };
}
