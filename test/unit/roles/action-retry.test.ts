// `[dse] execute_action_retry` on the in-process bus: an engine's action request that finds no
// datasource node is sent again until one serves it (once), or until the retry time is up; a
// failure of the action itself is not retried; closing the sink ends the waiting.
import { DseNode, InProcessBroker } from '../../../src/bus';
import { type ActionOutcome, type ActionRetry, BusActionSink } from '../../../src/services/engine/bus-actions';
import { DS_SERVICE_METHODS } from '../../../src/services/engine/datasource-rpc';
import { eventually, sleep } from '../bus/support/eventually';

const timing = { heartbeatIntervalMs: 50, peerTimeoutMs: 200, discoveryMs: 20, callTimeoutMs: 2000 };
const spec = { service: 'nova', action: 'servers.pause', positional: ['vm1'], named: {} };
const retry = (forMs: number): ActionRetry => ({ forMs, attemptTimeoutMs: 5000, pause: { initialMs: 20, maxMs: 80 } });

let broker: InProcessBroker;
let nodes: DseNode[];

async function node(nodeId: string): Promise<DseNode> {
  const n = new DseNode({ nodeId, busId: 'b', transport: broker.transport(), ...timing });
  await n.start();
  nodes.push(n);
  return n;
}

/** A datasource service `nova` on its own node that records each request it is sent. */
async function nova(answer: () => unknown = () => ({ accepted: true })): Promise<unknown[]> {
  const seen: unknown[] = [];
  const ds = await node('ds');
  await ds.register({
    id: 'nova',
    methods: {
      [DS_SERVICE_METHODS.requestExecute]: (args: unknown) => {
        seen.push(args);
        return Promise.resolve(answer());
      },
    },
  });
  return seen;
}

/** A datasource node that starts now gets no request: the one sent earlier was given up. */
async function expectNothingDelivered(): Promise<void> {
  const seen = await nova();
  await sleep(300);
  expect(seen).toEqual([]);
}

function sink(pe: DseNode, retryFor?: number): { sink: BusActionSink; outcomes: ActionOutcome[] } {
  const outcomes: ActionOutcome[] = [];
  const made = new BusActionSink(pe, { timeoutMs: 1000, onOutcome: (o) => outcomes.push(o), ...(retryFor === undefined ? {} : { retry: retry(retryFor) }) });
  return { sink: made, outcomes };
}

beforeEach(() => {
  broker = new InProcessBroker();
  nodes = [];
});

afterEach(async () => {
  for (const n of nodes) await n.stop();
});

test('without retry a request that finds no datasource node is lost, as in the original', async () => {
  const pe = await node('pe');
  const { sink: s, outcomes } = sink(pe);
  s.request(spec);
  await eventually(() => expect(outcomes).toHaveLength(1));
  expect(outcomes[0]).toMatchObject({ outcome: 'not-delivered', service: 'nova', positional: ['vm1'] });
  expect(outcomes[0]?.attempts).toBeUndefined();
  await expectNothingDelivered();
});

test('with retry the request reaches a datasource node that starts later, once, and waits for the action', async () => {
  const pe = await node('pe');
  const { sink: s, outcomes } = sink(pe, 0);
  s.request(spec);
  await sleep(250);
  expect(outcomes).toEqual([]);
  const seen = await nova();
  await eventually(() => expect(outcomes).toHaveLength(1));
  expect(outcomes[0]).toMatchObject({ outcome: 'accepted', action: 'servers.pause' });
  expect(outcomes[0]?.attempts).toBeGreaterThan(1);
  await sleep(200);
  expect(seen).toEqual([{ action: 'servers.pause', explicit: false, wait: true, action_args: { positional: ['vm1'], named: {} }, action_args_json: '{"positional": ["vm1"], "named": {}}' }]);
  s.close();
});

test('a failure of the action itself is reported once and not sent again', async () => {
  const pe = await node('pe');
  const seen = await nova(() => {
    throw new Error('Conflict: server is already paused');
  });
  await eventually(() => expect(pe.serviceHosts().nova).toEqual(['ds']));
  const { sink: s, outcomes } = sink(pe, 0);
  s.request(spec);
  await eventually(() => expect(outcomes).toHaveLength(1));
  expect(outcomes[0]).toMatchObject({ outcome: 'failed', detail: expect.stringContaining('already paused') as unknown });
  await sleep(200);
  expect(seen).toHaveLength(1);
});

test('retrying stops when the retry time is up', async () => {
  const pe = await node('pe');
  const { sink: s, outcomes } = sink(pe, 300);
  const t0 = Date.now();
  s.request(spec);
  await eventually(() => expect(outcomes).toHaveLength(1), 3000);
  expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
  expect(outcomes[0]?.outcome).toBe('not-delivered');
  expect(outcomes[0]?.attempts).toBeGreaterThan(2);
  await expectNothingDelivered();
});

test('closing the sink ends the retries and reports the waiting requests', async () => {
  const pe = await node('pe');
  const { sink: s, outcomes } = sink(pe, 0);
  s.request(spec);
  s.request({ ...spec, positional: ['vm2'] });
  await sleep(100);
  s.close();
  expect(outcomes.map((o) => [o.positional[0], o.outcome, o.detail]).sort()).toEqual([
    ['vm1', 'not-delivered', 'the server stopped before the action was delivered'],
    ['vm2', 'not-delivered', 'the server stopped before the action was delivered'],
  ]);
  await expectNothingDelivered();
});
