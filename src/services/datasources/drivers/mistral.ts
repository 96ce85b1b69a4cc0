/**
 * The `mistral` driver (spec §11): workflows, actions, workflow executions and action executions
 * of the catalog's `workflowv2` service, each the one list mistralclient's manager reads (no
 * paging: the client asks without `limit` and never follows `next`). The JSON-typed fields
 * (`input`, `params`) arrive from the API as JSON strings and stay strings, as in the original.
 */
import { requestJson } from '../../../datalog/json';
import { DatasourceError } from '../errors';
import { argString, coerceValue, jsonObjectArg, type ActionArgs, type ActionSpec } from '../framework/actions';
import type { DriverContext, DriverDefinition } from '../framework/driver';
import { OpenStackDriver, openstackOptions, ServiceClient } from '../openstack/openstack-driver';
import { schemaOf } from '../translation/schema';
import { valueFields, type TableTranslator } from '../translation/translator';

/** A flat table of one Mistral collection, read by attribute as the original reads client resources. */
function flat(table: string, fields: readonly string[]): TableTranslator {
  return { 'translation-type': 'HDICT', 'table-name': table, 'selector-type': 'DOT_SELECTOR', 'field-translators': valueFields(fields) };
}

/** Mistral's root translators, in the original's order (tags are left out there too). */
export const MISTRAL_TRANSLATORS: readonly TableTranslator[] = [
  flat('workflows', ['name', 'id', 'scope', 'input', 'namespace', 'project_id', 'created_at', 'updated_at', 'definition', 'description']),
  flat('actions', ['id', 'name', 'input', 'created_at', 'updated_at', 'is_system', 'definition', 'description', 'scope']),
  flat('workflow_executions', [
    'id',
    'workflow_name',
    'input',
    'created_at',
    'updated_at',
    'state',
    'state_info',
    'description',
    'workflow_id',
    'workflow_namespace',
    'params',
  ]),
  flat('action_executions', [
    'id',
    'name',
    'state_info',
    'workflow_name',
    'task_execution_id',
    'task_name',
    'description',
    'input',
    'created_at',
    'updated_at',
    'accepted',
    'state',
    'workflow_namespace',
  ]),
];

/** States `executions.update` may ask for; the server refuses any other. */
const EXECUTION_STATES = ['RUNNING', 'PAUSED', 'SUCCESS', 'ERROR', 'CANCELLED'];

/**
 * An optional argument; absent, null, empty and the policy spelling of null (`"None"`) all mean
 * "not given", as the client's truthiness tests treat them.
 */
function optionalArg(args: ActionArgs, index: number, name: string): unknown {
  const v = coerceValue(args.positional[index] ?? args.named[name]);
  return v === undefined || v === null || v === '' || v === false ? undefined : v;
}

/** Python refuses surplus positional arguments with a TypeError; refuse them before any call. */
function checkArity(action: string, args: ActionArgs, max: number): void {
  if (args.positional.length > max) throw new DatasourceError('action_failed', `${action} takes at most ${max} positional arguments (${args.positional.length} given)`);
}

function objectArg(action: string, name: string, value: unknown): Record<string, unknown> {
  return jsonObjectArg(value, `${action}: ${name}`);
}

/** Named arguments beyond the signature: mistralclient's `**params`, sent as a JSON string. */
function extraParams(args: ActionArgs, known: readonly string[]): string | undefined {
  const extra = Object.entries(args.named).filter(([k]) => !known.includes(k));
  return extra.length === 0 ? undefined : requestJson(Object.fromEntries(extra.map(([k, v]) => [k, coerceValue(v)])));
}

/** oslo's `is_uuid_like`: 32 hex digits once dashes, braces and a `urn:uuid:` prefix are dropped. */
function isUuidLike(value: string): boolean {
  return /^[0-9a-f]{32}$/.test(value.toLowerCase().replace(/^urn:/, '').replace(/^uuid:/, '').replace(/[{}-]/g, ''));
}

const CREATE_EXECUTION_ARGS = ['wf_identifier', 'namespace', 'workflow_input', 'description', 'source_execution_id'];
const CREATE_ACTION_EXECUTION_ARGS = ['name', 'input', 'namespace'];
const executionId = (a: ActionArgs): string => encodeURIComponent(argString(a, 0, 'id'));

/** Mistral's action catalogue (mistralclient manager names and signatures). */
export const MISTRAL_ACTIONS: readonly ActionSpec<ServiceClient>[] = [
  {
    name: 'executions.create',
    description: 'Start a workflow execution.',
    args: [
      { name: 'wf_identifier', description: 'Name or ID of the workflow' },
      { name: 'namespace', description: 'Namespace of the workflow (default: none)' },
      { name: 'workflow_input', description: 'Workflow input as a JSON object' },
      { name: 'description', description: 'Description of the execution' },
      { name: 'source_execution_id', description: 'ID of an execution to repeat' },
    ],
    run: (c, a, s) => {
      checkArity('executions.create', a, CREATE_EXECUTION_ARGS.length);
      const wf = optionalArg(a, 0, 'wf_identifier');
      const source = optionalArg(a, 4, 'source_execution_id');
      if (wf === undefined && source === undefined) throw new DatasourceError('action_failed', 'executions.create needs wf_identifier (a workflow name or ID) or source_execution_id');
      const body: Record<string, unknown> = { description: String(optionalArg(a, 3, 'description') ?? '') };
      if (source !== undefined && isUuidLike(String(source))) body.source_execution_id = String(source);
      if (wf !== undefined) body[isUuidLike(String(wf)) ? 'workflow_id' : 'workflow_name'] = String(wf);
      const namespace = optionalArg(a, 1, 'namespace');
      if (namespace !== undefined) body.workflow_namespace = String(namespace);
      const input = optionalArg(a, 2, 'workflow_input');
      if (input !== undefined) {
        const parsed = objectArg('executions.create', 'workflow_input', input);
        // A string goes out as given, as the client sends it.
        body.input = typeof input === 'string' ? input : requestJson(parsed);
      }
      const params = extraParams(a, CREATE_EXECUTION_ARGS);
      if (params !== undefined) body.params = params;
      return c.call('POST', '/executions', body, s);
    },
  },
  {
    name: 'executions.update',
    description: 'Pause (PAUSED), resume (RUNNING) or stop (SUCCESS, ERROR, CANCELLED) a workflow execution, or change its description or environment.',
    args: [
      { name: 'id', description: 'ID of the workflow execution' },
      { name: 'state', description: `New state: ${EXECUTION_STATES.join(', ')} (or None)` },
      { name: 'description', description: 'New description' },
      { name: 'env', description: 'New environment as a JSON object' },
    ],
    run: (c, a, s) => {
      checkArity('executions.update', a, 4);
      const id = executionId(a);
      const body: Record<string, unknown> = {};
      const state = optionalArg(a, 1, 'state');
      if (state !== undefined) {
        if (!EXECUTION_STATES.includes(String(state))) throw new DatasourceError('action_failed', `executions.update: state must be one of ${EXECUTION_STATES.join(', ')}, got: ${String(state)}`);
        body.state = String(state);
      }
      const description = optionalArg(a, 2, 'description');
      if (description !== undefined) body.description = String(description);
      const env = optionalArg(a, 3, 'env');
      if (env !== undefined) body.params = { env: objectArg('executions.update', 'env', env) };
      return c.call('PUT', `/executions/${id}`, body, s);
    },
  },
  {
    name: 'executions.delete',
    description: 'Delete a finished workflow execution (force=True deletes an unfinished one).',
    args: [
      { name: 'id', description: 'ID of the workflow execution' },
      { name: 'force', description: 'True to delete an execution that has not finished' },
    ],
    run: (c, a, s) => {
      checkArity('executions.delete', a, 2);
      const id = executionId(a);
      return c.call('DELETE', `/executions/${id}${optionalArg(a, 1, 'force') !== undefined ? '?force=True' : ''}`, undefined, s);
    },
  },
  {
    name: 'action_executions.create',
    description: 'Run an action; named save_result=True keeps its execution in action_executions.',
    args: [
      { name: 'name', description: 'Name of the action' },
      { name: 'input', description: 'Action input as a JSON object' },
      { name: 'namespace', description: 'Namespace of the action' },
    ],
    run: (c, a, s) => {
      checkArity('action_executions.create', a, CREATE_ACTION_EXECUTION_ARGS.length);
      const name = optionalArg(a, 0, 'name');
      if (name === undefined) throw new DatasourceError('action_failed', 'action_executions.create needs the name of an action');
      const body: Record<string, unknown> = { name: String(name) };
      const input = optionalArg(a, 1, 'input');
      if (input !== undefined) body.input = requestJson(objectArg('action_executions.create', 'input', input));
      const params = extraParams(a, CREATE_ACTION_EXECUTION_ARGS);
      if (params !== undefined) body.params = params;
      const namespace = optionalArg(a, 2, 'namespace');
      if (namespace !== undefined) body.workflow_namespace = String(namespace);
      return c.call('POST', '/action_executions', body, s);
    },
  },
];

/** A mistral datasource. */
class MistralDriver extends OpenStackDriver<ServiceClient> {
  private readonly workflow: ServiceClient;

  constructor(context: DriverContext) {
    super(context, MISTRAL_TRANSLATORS, MISTRAL_ACTIONS);
    const c = (this.workflow = new ServiceClient(this.session, { types: ['workflowv2'], interfaces: ['public'] }, this.http.maxPages));
    this.registerFetcher('workflows', (s) => c.list('/workflows', 'workflows', 'none', s));
    this.registerFetcher('actions', (s) => c.list('/actions', 'actions', 'none', s));
    this.registerFetcher('workflow_executions', (s) => c.list('/executions', 'executions', 'none', s));
    this.registerFetcher('action_executions', (s) => c.list('/action_executions', 'action_executions', 'none', s));
  }

  protected actionClient(): ServiceClient {
    return this.workflow;
  }
}

/** The `mistral` driver definition. */
export const mistralDriver: DriverDefinition = {
  id: 'mistral',
  description: 'Datasource driver that interfaces with Mistral.',
  options: openstackOptions(),
  schema: () => schemaOf(MISTRAL_TRANSLATORS),
  create: (context) => new MistralDriver(context),
};
