/**
 * Rules of policies, in `policy_rules`. Rules reference their policy by *name* (the original's
 * design); `policy_id` is recorded as well. Deletion is soft: `deleted` becomes the rule's id.
 */
import { DuplicateError } from '../errors';
import { classifyError, type Row, type SqlValue } from '../sql/executor';
import type { NewRule, RuleRecord } from '../store';
import { int, text, textOrNull } from './columns';
import { newId, type RepoContext, utcNow } from './context';

const COLUMNS = 'id, rule, comment, policy_name, deleted, created_at, deleted_at, updated_at, name, policy_id, revision';
const ORDER = 'ORDER BY created_at, revision, id';

/** Maps a `policy_rules` row (or a logged copy of one). */
export function ruleFromRow(row: Row): RuleRecord {
  return {
    id: text(row, 'id'),
    policyName: text(row, 'policy_name'),
    policyId: textOrNull(row, 'policy_id'),
    rule: text(row, 'rule'),
    comment: text(row, 'comment'),
    name: textOrNull(row, 'name'),
    createdAt: text(row, 'created_at'),
    revision: int(row, 'revision'),
  };
}

/** Inserts a live rule into the named policy. */
export async function insertRule(ctx: RepoContext, policyName: string, rule: NewRule): Promise<RuleRecord> {
  const revision = await ctx.writeRevision();
  const policyId = rule.policyId ?? (await ownerId(ctx, policyName));
  const row = {
    id: rule.id ?? newId(),
    rule: rule.rule,
    comment: rule.comment ?? '',
    policy_name: policyName,
    deleted: '',
    created_at: utcNow(),
    deleted_at: null,
    updated_at: null,
    name: rule.name ?? null,
    policy_id: policyId,
    revision,
  };
  try {
    await ctx.sql.execute(`INSERT INTO policy_rules (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      row.id,
      row.rule,
      row.comment,
      row.policy_name,
      row.deleted,
      row.created_at,
      row.deleted_at,
      row.updated_at,
      row.name,
      row.policy_id,
      row.revision,
    ]);
  } catch (err) {
    if (classifyError(err) === 'duplicate') throw new DuplicateError('rule', 'id', row.id);
    throw err;
  }
  await ctx.logChange({ objectType: 'rule', action: 'created', objectId: row.id, objectName: row.name, row });
  return ruleFromRow(row);
}

async function ownerId(ctx: RepoContext, policyName: string): Promise<string | null> {
  const owner = await ctx.sql.select("SELECT id FROM policies WHERE name = ? AND deleted = ''", [policyName]);
  return owner.length > 0 ? text(owner[0], 'id') : null;
}

function liveRuleQuery(id: string, policyName: string | undefined): [string, SqlValue[]] {
  const where = policyName === undefined ? '' : ' AND policy_name = ?';
  const params: SqlValue[] = policyName === undefined ? [id] : [id, policyName];
  return [`SELECT ${COLUMNS} FROM policy_rules WHERE id = ? AND deleted = ''${where}`, params];
}

/** A live rule by id, optionally restricted to one policy. */
export async function findRule(ctx: RepoContext, id: string, policyName?: string): Promise<RuleRecord | null> {
  const rows = await ctx.sql.select(...liveRuleQuery(id, policyName));
  return rows.length > 0 ? ruleFromRow(rows[0]) : null;
}

/** Live rules of one policy, or of all policies. */
export async function allRules(ctx: RepoContext, policyName?: string): Promise<RuleRecord[]> {
  const rows =
    policyName === undefined
      ? await ctx.sql.select(`SELECT ${COLUMNS} FROM policy_rules WHERE deleted = '' ${ORDER}`)
      : await ctx.sql.select(`SELECT ${COLUMNS} FROM policy_rules WHERE policy_name = ? AND deleted = '' ${ORDER}`, [
          policyName,
        ]);
  return rows.map(ruleFromRow);
}

async function softDelete(ctx: RepoContext, row: Row): Promise<RuleRecord | null> {
  const revision = await ctx.writeRevision();
  const id = text(row, 'id');
  const deletedAt = utcNow();
  // oslo.db's soft delete: `deleted` takes the row's id; `updated_at` is left alone.
  const changed = await ctx.sql.execute(
    "UPDATE policy_rules SET deleted = id, deleted_at = ?, revision = ? WHERE id = ? AND deleted = ''",
    [deletedAt, revision, id],
  );
  if (changed === 0) return null; // deleted concurrently
  const deleted = { ...row, deleted: id, deleted_at: deletedAt, revision };
  await ctx.logChange({ objectType: 'rule', action: 'deleted', objectId: id, objectName: textOrNull(row, 'name'), row: deleted });
  return ruleFromRow(deleted);
}

/** Soft-deletes one live rule. */
export async function softDeleteRule(ctx: RepoContext, id: string, policyName?: string): Promise<RuleRecord | null> {
  const rows = await ctx.sql.select(...liveRuleQuery(id, policyName));
  return rows.length > 0 ? softDelete(ctx, rows[0]) : null;
}

/** Soft-deletes every live rule of a policy (part of deleting the policy). */
export async function softDeleteRulesOfPolicy(ctx: RepoContext, policyName: string): Promise<RuleRecord[]> {
  const rows = await ctx.sql.select(`SELECT ${COLUMNS} FROM policy_rules WHERE policy_name = ? AND deleted = '' ${ORDER}`, [
    policyName,
  ]);
  const deleted: RuleRecord[] = [];
  for (const row of rows) {
    const rule = await softDelete(ctx, row);
    if (rule) deleted.push(rule);
  }
  return deleted;
}
