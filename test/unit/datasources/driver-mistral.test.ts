// The mistral driver against the fake Mistral: exact tables, the upstream calls, schema and driver
// info as the original answers them (recorded from the original Congress, see ORIGINAL_INFO), a
// delta between polls, every action's effect and refusals, and an upstream failure.
import { FakeCloud } from '../../fixtures/openstack';
import { MISTRAL_IDS, pyJson } from '../../fixtures/openstack/mistral';
import { DriverRegistry } from '../../../src/services/datasources';
import { MISTRAL_ACTIONS, MISTRAL_TRANSLATORS, mistralDriver } from '../../../src/services/datasources/drivers/mistral';
import { congress, startDriver, tablesOf, openstackConfigMarkers, startPolled } from './support';

let cloud: FakeCloud;
beforeEach(async () => {
  cloud = await FakeCloud.start();
});
afterEach(async () => {
  await cloud.close();
});

const pollOnce = (extra: Record<string, unknown> = {}): ReturnType<typeof startPolled> => startPolled(mistralDriver, cloud.config(extra));

const pos = (...positional: unknown[]) => ({ positional, named: {} });
const ID = MISTRAL_IDS;
const PROJECT = '8538a3f13f9541b28c2620eb19065e45';

/** Rows of the sample data, in the original's column order. */
const EXPECTED = {
  workflows: [
    [
      'std.create_instance',
      ID.createInstance,
      'public',
      'name, image_id, flavor_id, ssh_username=None, ssh_password=None, key_name=None, security_groups=None, nics=None',
      '',
      '<default-project>',
      '2017-10-12 20:06:58',
      null,
      "---\nversion: '2.0'\n\nstd.create_instance:\n...",
      null,
    ],
    ['std.delete_instance', ID.deleteInstance, 'public', 'instance_id', '', '<default-project>', '2017-10-12 20:06:58', null, '---\nversion: "2.0"\n\nstd.delete_instance:\n...', null],
    [
      'evacuate_host',
      ID.evacuateHost,
      'private',
      'host, on_shared_storage=false',
      'ops',
      PROJECT,
      '2026-11-20 09:00:00',
      '2026-11-21 14:30:00',
      "---\nversion: '2.0'\n\nevacuate_host:\n  input:\n    - host\n    - on_shared_storage: false\n...",
      null,
    ],
  ],
  actions: [
    [
      'a794925d-ed65-41d4-a68d-076412d6ce9d',
      'neutron.custom_action',
      'health_monitor, action_region="", body=null',
      '2017-10-13 20:06:56',
      '2017-10-13 23:06:56',
      false,
      'action definition',
      'Updates a load balancer health monitor.',
      'public',
    ],
    [
      'f794925d-ed65-41d4-a68d-076412d6ce9d',
      'neutron.update_health_monitor',
      'health_monitor, action_region="", body=null',
      '2017-10-12 20:06:56',
      null,
      true,
      null,
      'Updates a load balancer health monitor.',
      'public',
    ],
    ['c0ffee00-1d2e-4f3a-8b4c-5d6e7f8a9b0c', 'std.echo', 'output', '2017-10-12 20:06:56', null, true, null, 'Echo action.', 'public'],
  ],
  workflow_executions: [
    [
      ID.failedExecution,
      'std.delete_instance',
      '{"instance_id": 1}',
      '2017-12-19 22:56:50',
      '2017-12-19 22:57:00',
      'ERROR',
      'Failure caused by error ...',
      '',
      ID.deleteInstance,
      '',
      '{"namespace": "", "task_name": ""}',
    ],
    [
      ID.runningExecution,
      'evacuate_host',
      '{"host": "compute1", "on_shared_storage": false}',
      '2026-11-23 08:15:00',
      '2026-11-23 08:15:02',
      'RUNNING',
      null,
      'congress remediation',
      ID.evacuateHost,
      'ops',
      '{"namespace": "ops", "env": {"notify": "ops@example.org"}}',
    ],
  ],
  action_executions: [
    [
      ID.failedActionExecution,
      'nova.servers_delete',
      null,
      'std.delete_instance',
      ID.deleteVmTask,
      'delete_vm',
      '',
      '{"server": 1}',
      '2017-12-19 22:56:50',
      '2017-12-19 22:56:50',
      true,
      'ERROR',
      '',
    ],
    [ID.echoActionExecution, 'std.echo', null, null, null, null, 'ad-hoc check', '{"output": "ping"}', '2026-11-22 12:00:00', '2026-11-22 12:00:01', true, 'SUCCESS', ''],
  ],
} as const;

/**
 * `GET /v1/system/drivers/mistral` of the original Congress, printed by its own code
 * (`MistralDriver.get_datasource_info()` plus `api_utils.create_table_dict` over
 * `MistralDriver.get_schema()`, as `driver_model.get_item` builds it).
 */
const nulls = (names: string[]) => names.map((name) => ({ name, description: null }));
const ORIGINAL_INFO = {
  id: 'mistral',
  description: 'Datasource driver that interfaces with Mistral.',
  config: openstackConfigMarkers(),
  secret: ['password'],
  tables: [
    { table_id: 'workflows', columns: nulls(['name', 'id', 'scope', 'input', 'namespace', 'project_id', 'created_at', 'updated_at', 'definition', 'description']) },
    { table_id: 'actions', columns: nulls(['id', 'name', 'input', 'created_at', 'updated_at', 'is_system', 'definition', 'description', 'scope']) },
    {
      table_id: 'workflow_executions',
      columns: nulls(['id', 'workflow_name', 'input', 'created_at', 'updated_at', 'state', 'state_info', 'description', 'workflow_id', 'workflow_namespace', 'params']),
    },
    {
      table_id: 'action_executions',
      columns: nulls([
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
    },
  ],
};

describe('mistral polling', () => {
  it('reads every table exactly, from the four lists of the workflowv2 endpoint', async () => {
    const { driver } = await pollOnce();
    const t = tablesOf(driver);
    expect(Object.keys(t)).toEqual(['workflows', 'actions', 'workflow_executions', 'action_executions']);
    for (const [table, rows] of Object.entries(EXPECTED)) expect([table, t[table]]).toEqual([table, congress(rows)]);
    expect(driver.status([]).last_error).toBe('None');
    const calls = cloud.requests.filter((r) => r.service === 'mistral');
    expect(calls.map((r) => [r.method, r.path, r.query]).sort()).toEqual([
      ['GET', '/workflow/v2/action_executions', {}],
      ['GET', '/workflow/v2/actions', {}],
      ['GET', '/workflow/v2/executions', {}],
      ['GET', '/workflow/v2/workflows', {}],
    ]);
    expect(calls.every((r) => typeof r.headers['x-auth-token'] === 'string')).toBe(true);
    await driver.stop();
  });

  it('reads through an endpoint override instead of the catalog', async () => {
    const { driver } = await pollOnce({ endpoint: `${cloud.origin}/workflow/v2` });
    expect(tablesOf(driver).workflows).toHaveLength(3);
    expect(driver.status([]).last_error).toBe('None');
    await driver.stop();
  });

  it('publishes what changed between two polls', async () => {
    const { driver, sink } = await pollOnce();
    sink.take();
    const running = cloud.mistral.executions.find((e) => e.id === ID.runningExecution);
    if (running === undefined) throw new Error('sample execution missing');
    running.state = 'SUCCESS';
    running.updated_at = '2026-11-23 08:20:00';
    cloud.mistral.workflows = cloud.mistral.workflows.filter((w) => w.id !== ID.deleteInstance);
    await driver.refreshAndWait();
    const before = EXPECTED.workflow_executions[1];
    const after = [...before.slice(0, 4), '2026-11-23 08:20:00', 'SUCCESS', ...before.slice(6)];
    expect(sink.take()).toEqual({
      workflows: { add: [], del: congress([EXPECTED.workflows[1]]) },
      workflow_executions: { add: congress([after]), del: congress([before]) },
    });
    await driver.refreshAndWait();
    expect(sink.take()).toEqual({});
    await driver.stop();
  });

  it('keeps the last good tables when the service fails, and says why', async () => {
    const { driver } = await pollOnce();
    const remove = cloud.addFault({ service: 'mistral', path: '/v2/executions', status: 500 });
    cloud.mistral.executions = [];
    cloud.mistral.actions = [];
    await driver.refreshAndWait();
    const status = driver.status([]);
    expect(status.last_error).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/workflow\/v2\/executions returned HTTP 500: /);
    expect(Object.keys(status.table_errors)).toEqual(['workflow_executions']);
    const t = tablesOf(driver);
    expect(t.workflow_executions).toEqual(congress(EXPECTED.workflow_executions));
    // The other lists answered, so their tables follow the upstream.
    expect(t.actions).toEqual([]);
    remove();
    await driver.refreshAndWait();
    expect(driver.status([]).last_error).toBe('None');
    expect(tablesOf(driver).workflow_executions).toEqual([]);
    await driver.stop();
  });

  it('leaves lazy tables unfetched', async () => {
    const { driver } = await pollOnce({ lazy_tables: ['action_executions'] });
    expect(cloud.requestsTo('GET', '/workflow/v2/action_executions')).toHaveLength(0);
    expect(() => driver.rows('action_executions')).toThrow(/action_executions/);
    expect(driver.rows('workflows')).toHaveLength(3);
    expect(driver.status([]).lazy_tables).toEqual(['action_executions']);
    await driver.stop();
  });
});

describe('mistral schema and driver info', () => {
  it('lists the original tables and columns in the original order', () => {
    expect(mistralDriver.schema().map((t) => [t.name, t.columns.map((c) => c.name)])).toEqual(ORIGINAL_INFO.tables.map((t) => [t.table_id, t.columns.map((c) => c.name)]));
    expect(MISTRAL_TRANSLATORS.map((t) => t['table-name'])).toEqual(['workflows', 'actions', 'workflow_executions', 'action_executions']);
  });

  it('describes itself as the original does', () => {
    const info = new DriverRegistry([mistralDriver]).info('mistral');
    if (info === null) throw new Error('mistral not registered');
    const { config_schema: schema, ...rest } = info;
    expect(rest).toEqual(ORIGINAL_INFO);
    expect(Object.keys(rest.config)).toEqual(Object.keys(ORIGINAL_INFO.config));
    expect(schema.request_timeout).toEqual({ required: false, secret: false, type: 'number', default: 30, description: 'seconds before an upstream request is abandoned' });
  });

  it('lists its actions sorted, with their arguments', async () => {
    const { driver } = await startDriver(mistralDriver, cloud.config());
    expect(driver.actions().map((a) => [a.name, a.args.map((x) => x.name)])).toEqual([
      ['action_executions.create', ['name', 'input', 'namespace']],
      ['executions.create', ['wf_identifier', 'namespace', 'workflow_input', 'description', 'source_execution_id']],
      ['executions.delete', ['id', 'force']],
      ['executions.update', ['id', 'state', 'description', 'env']],
    ]);
    expect(MISTRAL_ACTIONS).toHaveLength(4);
    await driver.stop();
  });
});

describe('mistral actions', () => {
  it('executions.create starts a workflow by name with a JSON input, seen by the next poll', async () => {
    const { driver } = await startDriver(mistralDriver, cloud.config());
    cloud.mistral.now = '2026-11-24 10:00:00';
    const result = await driver.execute('executions.create', pos('std.delete_instance', '', '{"instance_id": "vm-7"}', 'quarantine'));
    expect(cloud.requestsTo('POST', '/workflow/v2/executions').map((r) => r.body)).toEqual([{ description: 'quarantine', workflow_name: 'std.delete_instance', input: '{"instance_id": "vm-7"}' }]);
    const created = cloud.mistral.executions[cloud.mistral.executions.length - 1];
    expect(result).toMatchObject({ id: created.id, state: 'RUNNING', workflow_id: ID.deleteInstance });
    await driver.refreshAndWait();
    expect(tablesOf(driver).workflow_executions).toEqual(
      congress([
        ...EXPECTED.workflow_executions,
        [String(created.id), 'std.delete_instance', '{"instance_id": "vm-7"}', '2026-11-24 10:00:00', '2026-11-24 10:00:00', 'RUNNING', null, 'quarantine', ID.deleteInstance, '', '{"namespace": ""}'],
      ]),
    );
    await driver.stop();
  });

  it('executions.create sends a workflow id, namespace and extra named params as the client does', async () => {
    const { driver } = await startDriver(mistralDriver, cloud.config());
    await driver.execute('executions.create', { positional: [ID.evacuateHost, 'ops'], named: { workflow_input: { host: 'compute2' }, env: { notify: 'x' } } });
    expect(cloud.requestsTo('POST', '/workflow/v2/executions').map((r) => r.body)).toEqual([
      { description: '', workflow_id: ID.evacuateHost, workflow_namespace: 'ops', input: '{"host":"compute2"}', params: '{"env":{"notify":"x"}}' },
    ]);
    const created = cloud.mistral.executions[cloud.mistral.executions.length - 1];
    expect([created.workflow_name, created.input, created.params]).toEqual(['evacuate_host', '{"host": "compute2"}', pyJson({ namespace: 'ops', env: { notify: 'x' } })]);
    await driver.stop();
  });

  it('executions.update pauses, resumes and cancels a running execution', async () => {
    const { driver } = await startDriver(mistralDriver, cloud.config());
    const state = () => cloud.mistral.executions.find((e) => e.id === ID.runningExecution)?.state;
    await driver.execute('executions.update', pos(ID.runningExecution, 'PAUSED'));
    expect(state()).toBe('PAUSED');
    await driver.execute('executions.update', pos(ID.runningExecution, 'RUNNING'));
    expect(state()).toBe('RUNNING');
    await driver.execute('executions.update', pos(ID.runningExecution, 'CANCELLED'));
    expect(state()).toBe('CANCELLED');
    expect(cloud.requestsTo('PUT', `/workflow/v2/executions/${ID.runningExecution}`).map((r) => r.body)).toEqual([{ state: 'PAUSED' }, { state: 'RUNNING' }, { state: 'CANCELLED' }]);
    await driver.refreshAndWait();
    expect(tablesOf(driver).workflow_executions.find((r) => r[0] === ID.runningExecution)?.[5]).toBe('CANCELLED');
    await driver.stop();
  });

  it('executions.update changes a description alone (state None from a policy)', async () => {
    const { driver } = await startDriver(mistralDriver, cloud.config());
    await driver.execute('executions.update', pos(ID.failedExecution, 'None', 'looked at'));
    expect(cloud.requestsTo('PUT', `/workflow/v2/executions/${ID.failedExecution}`).map((r) => r.body)).toEqual([{ description: 'looked at' }]);
    expect(cloud.mistral.executions.find((e) => e.id === ID.failedExecution)?.description).toBe('looked at');
    await driver.stop();
  });

  it('executions.delete deletes a finished execution, and an unfinished one only with force', async () => {
    const { driver } = await startDriver(mistralDriver, cloud.config());
    await driver.execute('executions.delete', pos(ID.failedExecution));
    await expect(driver.execute('executions.delete', pos(ID.runningExecution))).rejects.toThrow(/HTTP 403: .*Only completed executions can be deleted/);
    expect(cloud.mistral.executions.map((e) => e.id)).toEqual([ID.runningExecution]);
    await driver.execute('executions.delete', pos(ID.runningExecution, 'True'));
    expect(cloud.mistral.executions).toEqual([]);
    expect(cloud.requestsTo('DELETE', '/workflow/v2/executions/').map((r) => r.query)).toEqual([{}, {}, { force: 'True' }]);
    await expect(driver.execute('executions.delete', pos(ID.runningExecution))).rejects.toThrow(/HTTP 404: .*Workflow execution not found/);
    await driver.stop();
  });

  it('action_executions.create runs an action; with save_result it shows in action_executions', async () => {
    const { driver } = await startDriver(mistralDriver, cloud.config());
    const quick = await driver.execute('action_executions.create', pos('std.echo', '{"output": "hi"}'));
    expect(quick).toMatchObject({ name: 'std.echo', output: '{"result": "hi"}' });
    expect(cloud.mistral.actionExecutions).toHaveLength(2);
    cloud.mistral.now = '2026-11-24 11:00:00';
    await driver.execute('action_executions.create', { positional: ['std.echo', '{"output": "kept"}'], named: { save_result: 'True' } });
    expect(cloud.requestsTo('POST', '/workflow/v2/action_executions').map((r) => r.body)).toEqual([
      { name: 'std.echo', input: '{"output":"hi"}' },
      { name: 'std.echo', input: '{"output":"kept"}', params: '{"save_result":true}' },
    ]);
    const saved = cloud.mistral.actionExecutions[2];
    await driver.refreshAndWait();
    expect(tablesOf(driver).action_executions).toEqual(
      congress([
        ...EXPECTED.action_executions,
        [String(saved.id), 'std.echo', null, null, null, null, '', '{"output": "kept"}', '2026-11-24 11:00:00', '2026-11-24 11:00:00', true, 'SUCCESS', ''],
      ]),
    );
    await driver.stop();
  });

  it('passes the server\'s refusals on', async () => {
    const { driver } = await startDriver(mistralDriver, cloud.config());
    await expect(driver.execute('executions.create', pos('no_such_workflow'))).rejects.toThrow(/HTTP 404: .*Workflow not found \[workflow_identifier=no_such_workflow, namespace=\]/);
    await expect(driver.execute('executions.create', pos('std.create_instance', '', '{"name": "a"}'))).rejects.toThrow(/HTTP 400: .*missing=\['image_id', 'flavor_id'\]/);
    await expect(driver.execute('action_executions.create', pos('std.nothing'))).rejects.toThrow(/HTTP 400: .*Failed to find action \[action_name=std\.nothing\]/);
    await expect(driver.execute('executions.update', pos(ID.runningExecution, 'PAUSED', 'both'))).rejects.toThrow(/HTTP 400: .*description must be updated separately from state/);
    expect(cloud.mistral.executions.find((e) => e.id === ID.runningExecution)?.state).toBe('RUNNING');
    expect(driver.actionHistory().map((o) => o.ok)).toEqual([false, false, false, false]);
    await driver.stop();
  });

  it.each([
    ['executions.update', pos(ID.runningExecution, 'STOPPED'), /^executions\.update: state must be one of RUNNING, PAUSED, SUCCESS, ERROR, CANCELLED, got: STOPPED$/],
    ['executions.update', pos(), /^missing argument id$/],
    ['executions.update', pos(ID.runningExecution, 'RUNNING', '', '[1, 2]'), /^executions\.update: env must be a JSON object, got: \[1,2\]$/],
    ['executions.create', pos(), /^executions\.create needs wf_identifier \(a workflow name or ID\) or source_execution_id$/],
    ['executions.create', pos('std.delete_instance', '', '{instance_id: 1}'), /^executions\.create: workflow_input must be a JSON object, got: \{instance_id: 1\}$/],
    ['executions.create', pos('a', 'b', 'c', 'd', 'e', 'f'), /^executions\.create takes at most 5 positional arguments \(6 given\)$/],
    ['action_executions.create', pos('None'), /^action_executions\.create needs the name of an action$/],
    ['executions.get', pos(ID.runningExecution), /^Action executions\.get is not an executable method of this datasource$/],
  ])('refuses %s with bad arguments before calling Mistral', async (action, args, message) => {
    const { driver } = await startDriver(mistralDriver, cloud.config());
    const before = cloud.requests.filter((r) => r.service === 'mistral').length;
    await expect(driver.execute(action, args)).rejects.toThrow(message);
    expect(cloud.requests.filter((r) => r.service === 'mistral')).toHaveLength(before);
    await driver.stop();
  });
});
