/**
 * What the policy-engine service offers its callers (the REST API today, bus RPC later): domain
 * objects only, no HTTP or database types, every operation asynchronous so that it can move
 * behind the message bus without changing callers.
 */
import type { PlainJson } from '../../datalog/json';
import type { Value } from '../../datalog/value';

/** A live policy. */
export interface PolicyInfo {
  readonly id: string;
  readonly name: string;
  readonly abbreviation: string;
  readonly description: string;
  /** Always `user` for policies created through the API. */
  readonly ownerId: string;
  readonly kind: string;
}

/** A policy to create; omitted fields get the original's defaults. */
export interface PolicySpec {
  readonly name: string;
  /** Default: the first five characters of the name. */
  readonly abbreviation?: string;
  /** Default: `''`. */
  readonly description?: string;
  /** Default: `nonrecursive`; stored lower-cased. */
  readonly kind?: string;
}

/** A rule as stored: the text exactly as submitted. */
export interface RuleInfo {
  readonly id: string;
  readonly rule: string;
  readonly name: string | null;
  /** `''` when none was given. */
  readonly comment: string;
}

/** A rule to insert. */
export interface RuleSpec {
  readonly rule: string;
  readonly name?: string | null;
  readonly comment?: string | null;
}

/** A policy created together with its rules. */
export interface PolicyWithRules {
  readonly policy: PolicyInfo;
  readonly rules: readonly RuleInfo[];
}

/** Rows of a policy table, optionally with an evaluation trace. */
export interface TableRows {
  readonly rows: readonly (readonly Value[])[];
  /** Present when a trace was asked for. */
  readonly trace?: string;
}

/** `?action=simulate` arguments. */
export interface SimulateSpec {
  readonly query: string;
  readonly sequence: string;
  readonly actionPolicy: string;
  /** Answer with `p+`/`p-` changes instead of the new answers. */
  readonly delta?: boolean;
  readonly trace?: boolean;
}

/** What a simulation found. */
export interface SimulateResult {
  readonly result: readonly string[];
  readonly trace?: string;
}

/** `?action=execute` arguments: `<service>:<action>` split, and the action's arguments. */
export interface ExecuteSpec {
  readonly service: string;
  readonly action: string;
  readonly positional: readonly unknown[];
  readonly named: Readonly<Record<string, unknown>>;
  /** Asked for through the API (runs on whichever node received it), not derived by rules. */
  readonly explicit?: boolean;
}

/** A rule of a library policy, with exactly the keys it was given. */
export interface LibraryRuleInfo {
  readonly rule: string;
  readonly name?: string;
  readonly comment?: string;
  /** Other keys, echoed as given; instantiating the policy ignores them. */
  readonly [other: string]: PlainJson | undefined;
}

/** A library policy (a template, never evaluated). */
export interface LibraryPolicyInfo {
  readonly id: string;
  readonly name: string;
  readonly abbreviation: string;
  readonly description: string;
  readonly kind: string;
  readonly rules: readonly LibraryRuleInfo[];
}

/** A library policy to create or to replace one with. */
export interface LibraryPolicySpec {
  readonly name: string;
  readonly abbreviation?: string;
  readonly description?: string;
  readonly kind?: string;
  readonly rules: readonly LibraryRuleInfo[];
}

/** Policy, rule, table and action operations of the engine service. */
export interface PolicyEngineApi {
  listPolicies(): Promise<PolicyInfo[]>;
  /** By id, else by name. */
  getPolicy(nameOrId: string): Promise<PolicyInfo>;
  createPolicy(spec: PolicySpec): Promise<PolicyInfo>;
  /** All or nothing: any rule error leaves no policy behind. */
  createPolicyWithRules(spec: PolicySpec, rules: readonly RuleSpec[]): Promise<PolicyWithRules>;
  /** Instantiates a library policy (looked up by id) like `createPolicyWithRules`. */
  createPolicyFromLibrary(libraryPolicyId: string): Promise<PolicyWithRules>;
  deletePolicy(nameOrId: string): Promise<PolicyInfo>;
  /** What `…/status` shows: a stored policy (name or id), or a datasource's engine policy by name (no id). */
  policyStatus(nameOrId: string): Promise<{ name: string; id?: string }>;

  listRules(policy: string): Promise<RuleInfo[]>;
  getRule(policy: string, ruleId: string): Promise<RuleInfo>;
  insertRule(policy: string, spec: RuleSpec): Promise<RuleInfo>;
  deleteRule(policy: string, ruleId: string): Promise<RuleInfo>;

  /** Tables the policy's rules and facts use (module-prefixed ones excluded). */
  listTables(policy: string): Promise<string[]>;
  rows(policy: string, table: string, trace: boolean): Promise<TableRows>;
  /** Changes whenever any answer may have changed; answers may be cached while it stays the same. */
  generation(): number;
  simulate(policy: string, spec: SimulateSpec): Promise<SimulateResult>;
  /** Refuses (`execute_service_not_found`) a service no action can be requested from. */
  checkExecuteService(service: string): void;
  execute(spec: ExecuteSpec): Promise<void>;
}

/** Library policy operations (the original's `__library` service). */
export interface LibraryApi {
  listLibraryPolicies(): Promise<LibraryPolicyInfo[]>;
  getLibraryPolicy(id: string): Promise<LibraryPolicyInfo>;
  getLibraryPolicyByName(name: string): Promise<LibraryPolicyInfo | null>;
  createLibraryPolicy(spec: LibraryPolicySpec): Promise<LibraryPolicyInfo>;
  replaceLibraryPolicy(id: string, spec: LibraryPolicySpec): Promise<LibraryPolicyInfo>;
  deleteLibraryPolicy(id: string): Promise<LibraryPolicyInfo>;
}

/** Where `execute` requests and triggered `execute[...]` rows go (datasource services). */
export interface ActionSink {
  /** Whether a service of that name runs (on this node or, later, on the bus). */
  hasService(service: string): boolean;
  /** Sends the request; failures are the sink's to log, as in the original. */
  request(spec: ExecuteSpec): void;
  /**
   * True when the sink keeps sending a request until a datasource node takes it
   * (`execute_action_retry`): a stored datasource not on the bus right now then still gets it.
   */
  readonly waitsForServices?: boolean;
}
