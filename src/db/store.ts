/**
 * The storage interface the policy engine, the datasource manager, the library service and the
 * API use. It names domain objects only — no typeorm, connection or transaction types — and
 * has one implementation per dialect behind one code path (`SqlPolicyStore`).
 *
 * Revisions: every write bumps one global revision in the same transaction (once per
 * transaction, however many objects it changes), stamps the rows it writes with it and appends
 * the changed objects to a change log. Replicas read `changesSince(n)`; a replica that fell
 * behind a pruned log (`complete: false`) reloads with `snapshot()`. Pushed table data is not
 * part of this: it reaches replicas over the bus, and stamping every push would make the
 * datasource node's pushes queue behind policy writes on the revision row.
 */

/** A JSON document as stored and read back (the store sits below the engine's value types). */
export type StoredJson = string | number | boolean | null | StoredJson[] | { [key: string]: StoredJson };

/** A live (or, when returned by a delete, just deleted) policy. */
export interface PolicyRecord {
  readonly id: string;
  readonly name: string;
  readonly abbreviation: string;
  readonly description: string;
  /** Stored in the `owner` column; the API calls it `owner_id`. */
  readonly ownerId: string;
  readonly kind: string;
  /** As stored (`YYYY-MM-DD HH:MM:SS`, UTC for rows written here). */
  readonly createdAt: string;
  /** Revision of the last write to this row (0 for rows adopted from the original). */
  readonly revision: number;
}

/** A policy to create; omitted fields get the original's defaults. */
export interface NewPolicy {
  /** Defaults to a new UUID. */
  readonly id?: string;
  readonly name: string;
  /** Defaults to the first five characters of the name. */
  readonly abbreviation?: string;
  /** Defaults to `''`. */
  readonly description?: string;
  /** Defaults to `'user'`. */
  readonly ownerId?: string;
  /** Defaults to `'nonrecursive'`. */
  readonly kind?: string;
}

/** A rule (or fact) of a policy, with the text exactly as submitted. */
export interface RuleRecord {
  readonly id: string;
  readonly policyName: string;
  /** Id of the policy the rule was added to; null for rows adopted without a live policy. */
  readonly policyId: string | null;
  readonly rule: string;
  /** `''` when none was given. */
  readonly comment: string;
  readonly name: string | null;
  readonly createdAt: string;
  readonly revision: number;
}

/** A rule to add to a policy. */
export interface NewRule {
  /** Defaults to a new UUID (the engine usually supplies its own). */
  readonly id?: string;
  readonly rule: string;
  readonly comment?: string | null;
  readonly name?: string | null;
  /**
   * The id of the policy the rule goes into, when the caller knows it as the database has it
   * (an engine brought up to date under the table lock): saves looking it up by name.
   */
  readonly policyId?: string;
}

/** A JSON object of driver options, with secrets in clear text. */
export type DatasourceConfig = Readonly<Record<string, unknown>>;

/** A configured datasource, with secret config fields decrypted. */
export interface DatasourceRecord {
  readonly id: string;
  readonly name: string;
  readonly driver: string | null;
  readonly description: string | null;
  readonly enabled: boolean;
  /** `null` when the datasource was created without a config. */
  readonly config: DatasourceConfig | null;
  /** Config fields that are encrypted at rest. */
  readonly encryptedFields: readonly string[];
  readonly revision: number;
}

/** A datasource to create. */
export interface NewDatasource {
  readonly id?: string;
  readonly name: string;
  readonly driver: string | null;
  readonly description?: string | null;
  /** Defaults to true. */
  readonly enabled?: boolean;
  readonly config?: DatasourceConfig | null;
  /** The driver's secret options: those present in `config` are encrypted at rest. */
  readonly secretFields?: readonly string[];
}

/** Fields of a datasource to change; absent fields stay as they are. */
export interface DatasourcePatch {
  readonly driver?: string | null;
  readonly description?: string | null;
  readonly enabled?: boolean;
  /** Replaces the whole config; `secretFields` says which of its fields to encrypt. */
  readonly config?: DatasourceConfig | null;
  readonly secretFields?: readonly string[];
}

/** One row of a pushed table: a JSON array of column values. */
export type TableRow = readonly unknown[];

/** A rule of a library policy, with exactly the keys it was given. */
export interface LibraryRule {
  readonly rule: string;
  readonly name?: string;
  readonly comment?: string;
  /** Any other key the rule was given, kept as given (the original stores the rule object). */
  readonly [other: string]: StoredJson | undefined;
}

/** A library policy (a template, not evaluated). */
export interface LibraryPolicyRecord {
  readonly id: string;
  readonly name: string;
  readonly abbreviation: string;
  readonly description: string;
  readonly kind: string;
  readonly rules: readonly LibraryRule[];
  readonly revision: number;
}

/** A library policy to create or to replace one with. */
export interface NewLibraryPolicy {
  readonly id?: string;
  readonly name: string;
  /** Defaults to the first five characters of the name. */
  readonly abbreviation?: string;
  /** Defaults to `''`. */
  readonly description?: string;
  /** Defaults to `'nonrecursive'`. */
  readonly kind?: string;
  readonly rules: readonly LibraryRule[];
}

/** One logged change; the object is as it was written at that revision. */
export type Change =
  | { readonly revision: number; readonly type: 'policy.created' | 'policy.deleted'; readonly policy: PolicyRecord }
  | { readonly revision: number; readonly type: 'rule.created' | 'rule.deleted'; readonly rule: RuleRecord }
  | {
      readonly revision: number;
      readonly type: 'datasource.created' | 'datasource.updated' | 'datasource.deleted';
      readonly datasource: DatasourceRecord;
    }
  | {
      readonly revision: number;
      readonly type: 'library_policy.created' | 'library_policy.replaced' | 'library_policy.deleted';
      readonly libraryPolicy: LibraryPolicyRecord;
    };

/** The changes after a revision, in the order they were made. */
export interface ChangeSet {
  /** The revision asked about. */
  readonly fromRevision: number;
  /** The revision the changes lead to (the current one when read). */
  readonly toRevision: number;
  /**
   * False when the log no longer reaches back to `fromRevision` (pruned), or `fromRevision` is
   * ahead of the database (restored from a backup): reload everything with `snapshot()`.
   */
  readonly complete: boolean;
  readonly changes: readonly Change[];
}

/** A consistent view of the replicated state at one revision. */
export interface StoreSnapshot {
  readonly revision: number;
  readonly policies: readonly PolicyRecord[];
  readonly rules: readonly RuleRecord[];
  readonly datasources: readonly DatasourceRecord[];
}

/**
 * Operations available both on the store and inside a transaction. Lookups return `null` when
 * nothing matches; deletes return what they deleted, or `null` when there was nothing.
 * Writes throw `DuplicateError` on a name (or id) clash.
 */
export interface PolicyStoreOps {
  /** Creates a policy; its name must be unique among live policies. */
  createPolicy(policy: NewPolicy): Promise<PolicyRecord>;
  /** All live policies, oldest first. */
  listPolicies(): Promise<PolicyRecord[]>;
  /** A live policy by id, else by name (the API's lookup order). */
  getPolicy(nameOrId: string): Promise<PolicyRecord | null>;
  getPolicyById(id: string): Promise<PolicyRecord | null>;
  getPolicyByName(name: string): Promise<PolicyRecord | null>;
  /**
   * Deletes a live policy (by id, else name) the original's way: its live rules are
   * soft-deleted and the row moves to `policiesdeleted`, so the name can be reused at once.
   */
  deletePolicy(nameOrId: string): Promise<PolicyRecord | null>;

  /** Adds a rule to the policy of that name (the store does not check that it exists). */
  createRule(policyName: string, rule: NewRule): Promise<RuleRecord>;
  /** Live rules of one policy, or of every policy when `policyName` is omitted. */
  listRules(policyName?: string): Promise<RuleRecord[]>;
  /** A live rule by id, optionally only if it belongs to `policyName`. */
  getRule(id: string, policyName?: string): Promise<RuleRecord | null>;
  /** Soft-deletes a live rule, optionally only if it belongs to `policyName`. */
  deleteRule(id: string, policyName?: string): Promise<RuleRecord | null>;

  /** Stores a datasource, encrypting its secret config fields. */
  createDatasource(datasource: NewDatasource): Promise<DatasourceRecord>;
  listDatasources(): Promise<DatasourceRecord[]>;
  /** A datasource by name, else by id (the original's lookup order for datasources). */
  getDatasource(nameOrId: string): Promise<DatasourceRecord | null>;
  updateDatasource(id: string, patch: DatasourcePatch): Promise<DatasourceRecord | null>;
  /** Deletes a datasource (by name, else id) and all its pushed table data. */
  deleteDatasource(nameOrId: string): Promise<DatasourceRecord | null>;

  /** The stored rows of one pushed table, or null if none were stored. */
  getTableData(datasourceId: string, table: string): Promise<TableRow[] | null>;
  /** Every stored table of a datasource. */
  listTableData(datasourceId: string): Promise<Map<string, TableRow[]>>;
  /** Replaces the stored rows of one pushed table. */
  putTableData(datasourceId: string, table: string, rows: readonly TableRow[]): Promise<void>;
  /** Deletes one stored table, or all of a datasource's; returns how many were deleted. */
  deleteTableData(datasourceId: string, table?: string): Promise<number>;

  createLibraryPolicy(policy: NewLibraryPolicy): Promise<LibraryPolicyRecord>;
  listLibraryPolicies(): Promise<LibraryPolicyRecord[]>;
  getLibraryPolicy(id: string): Promise<LibraryPolicyRecord | null>;
  getLibraryPolicyByName(name: string): Promise<LibraryPolicyRecord | null>;
  /** Replaces a library policy, keeping its id; null if there is none with that id. */
  replaceLibraryPolicy(id: string, policy: NewLibraryPolicy): Promise<LibraryPolicyRecord | null>;
  deleteLibraryPolicy(id: string): Promise<LibraryPolicyRecord | null>;
  /** Deletes every library policy; returns how many there were. */
  deleteAllLibraryPolicies(): Promise<number>;

  /** The global revision (inside a writing transaction: the one it will commit). */
  currentRevision(): Promise<number>;
  /** What changed after `revision`. */
  changesSince(revision: number): Promise<ChangeSet>;
  /**
   * Inside a transaction: the changes it wrote so far, exactly as `changesSince` will return
   * them once it commits (a writer applies its own write without reading it back). Empty outside.
   */
  changesWritten(): Promise<Change[]>;
}

/** How `PolicyStore.transaction` runs. */
export interface TransactionOptions {
  /** Serialise with every other writer from the start, not only from the first write. */
  readonly exclusive?: boolean;
}

/** The persistence layer as the rest of Congress-TS sees it. */
export interface PolicyStore extends PolicyStoreOps {
  /** `mysql` (MySQL/MariaDB) or `sqlite`. */
  readonly dialect: 'mysql' | 'sqlite';
  /**
   * Runs `fn` in one transaction: everything it wrote is committed together, or nothing if it
   * throws. All writes share one revision. Writers queue on the revision row from their first
   * write on — or from the start with `exclusive`, so that what `fn` reads before writing
   * stays true until it commits (the row lock the HA recommendations suggest instead of LOCK
   * TABLES; readers are never blocked). On MySQL a deadlock reruns `fn` (up to 10 times, as
   * the original does), so `fn` must not have effects outside the store that a rerun repeats.
   */
  transaction<T>(fn: (tx: PolicyStoreOps) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * Runs `fn` in one transaction holding the cluster-wide write lock the original takes for
   * rule insertion and policy creation with rules. MySQL: `SET autocommit=0; LOCK TABLES
   * policy_rules WRITE, policies WRITE, datasources WRITE` (plus `policiesdeleted` and the
   * revision tables, which a locked writer also touches), work, `COMMIT; UNLOCK TABLES`.
   * SQLite: a `BEGIN IMMEDIATE` transaction. Pushed data and library policies are outside the
   * lock and cannot be used inside it (`StoreUsageError`). Never rerun.
   */
  withTableLock<T>(fn: (tx: PolicyStoreOps) => Promise<T>): Promise<T>;
  /** Live policies, rules and datasources as of one revision, read consistently. */
  snapshot(): Promise<StoreSnapshot>;
  /** Drops logged changes up to `revision`; later `changesSince` below it is incomplete. */
  pruneChanges(throughRevision: number): Promise<number>;
  /** Drops logged changes written more than `seconds` before `now` (default: now); returns how many. */
  pruneChangesOlderThan(seconds: number, now?: Date): Promise<number>;
  /** Closes the store's connections (and the DataSource if the store opened it). */
  close(): Promise<void>;
}
