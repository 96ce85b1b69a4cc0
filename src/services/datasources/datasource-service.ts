/**
 * One datasource on the bus: a `LocalService` named after the datasource that publishes the
 * driver's tables (deltas only) and answers the RPC methods of `DATASOURCE_METHODS`. Action
 * requests from policy engines are accepted from one leader node at a time, as the original
 * does, so that replicated engines do not execute every action once each.
 */
import type { CallContext, DseNode, LocalService, PeerEvent } from '../../bus';
import { isRecord, type JsonValue } from '../../bus/json';
import { parseDataJson } from '../../datalog/json';
import { errors, messageOf } from './errors';
import { parseActionArgs } from './framework/actions';
import type { Driver } from './framework/driver';
import type { DatasourceLogger } from './logger';
import { tableSchemaJson } from './translation/schema';

/** RPC method names a datasource service answers (the original's names where it had them). */
export const DATASOURCE_METHODS = {
  /** `{}` → the status dict (spec §1.8). */
  getStatus: 'get_status',
  /** `{}` → table names of the schema. */
  getTablenames: 'get_tablenames',
  /** `{table}` → the name if the schema has it, else null. */
  getTablename: 'get_tablename',
  /** `{table}` → the table's rows (arrays of normalised values). */
  getRowData: 'get_row_data',
  /** `{table?}` → `{"tables": [...]}`, or one table dict when `table` is given. */
  getSchema: 'get_datasource_schema',
  /** `{}` → the action listing (array). */
  getActions: 'get_actions',
  /** `{table, rows}` → null; push drivers only. */
  replaceTable: 'replace_entire_table_data',
  /** `{body}` → null; webhook drivers only. */
  webhook: 'process_webhook_notification',
  /** `{wait?}` → null; with `wait: true` it answers after the poll. */
  requestRefresh: 'request_refresh',
  /** `{action, action_args: {positional, named}, wait?}` → `{}` (or `{result}` with `wait`). */
  requestExecute: 'request_execute',
  /** `{}` → recent action outcomes. */
  getActionHistory: 'get_action_history',
} as const;

/** How often lazy tables are checked against the bus's subscriptions. */
const LAZY_CHECK_MS = 1000;

function tableArg(args: unknown): string {
  if (!isRecord(args) || typeof args.table !== 'string') throw errors.badPush('argument table must be a string');
  return args.table;
}

/**
 * A pushed document: `<key>_json` is its text, which keeps the numbers the bus's plain JSON
 * would change (`1.0` made an integer, big integers rounded); a bare `<key>` (plain JSON) is
 * still accepted.
 */
function documentArg(args: unknown, key: string): unknown {
  if (!isRecord(args)) return undefined;
  const text = args[`${key}_json`];
  if (typeof text !== 'string') return args[key];
  try {
    return parseDataJson(text);
  } catch (error) {
    throw errors.badPush(`${key}_json is not JSON: ${messageOf(error)}`);
  }
}

/** A datasource service hosted on this node. */
export class DatasourceService {
  private leader: string | null = null;
  private lazyTimer: NodeJS.Timeout | undefined;
  private unlistenPeers: (() => void) | undefined;

  private constructor(
    /** The datasource name (service id). */
    readonly name: string,
    /** The datasource id. */
    readonly id: string,
    /** The driver instance (exposed for local callers and tests). */
    readonly driver: Driver,
    private readonly node: DseNode,
    private readonly log: DatasourceLogger,
    private local: LocalService | null = null,
  ) {}

  /** Registers the service on the node and starts the driver (first poll, or restored push data). */
  static async start(node: DseNode, name: string, id: string, driver: Driver, log: DatasourceLogger): Promise<DatasourceService> {
    const service = new DatasourceService(name, id, driver, node, log);
    service.local = await node.register({ id: name, methods: service.methods() });
    const local = service.local;
    try {
      await driver.start({ publishDelta: (table, delta) => local.publishDelta(table, delta) });
    } catch (error) {
      await local.unregister();
      throw error;
    }
    service.unlistenPeers = node.onPeerEvent((e) => service.onPeer(e));
    service.lazyTimer = setInterval(() => service.checkLazyTables(), LAZY_CHECK_MS);
    service.lazyTimer.unref();
    log.info('datasource service started', { datasource: name, kind: driver.kind });
    return service;
  }

  /** Stops the driver and leaves the bus. */
  async stop(): Promise<void> {
    clearInterval(this.lazyTimer);
    this.unlistenPeers?.();
    await this.driver.stop();
    await this.local?.unregister();
    this.local = null;
    this.log.info('datasource service stopped', { datasource: this.name });
  }

  /** Services following any table of this datasource. The bus reports tables, not subscriber ids. */
  subscribers(): string[] {
    return this.node.subscribedTables(this.name).length > 0 ? ['__engine'] : [];
  }

  private checkLazyTables(): void {
    const wanted = this.node.subscribedTables(this.name);
    if (wanted.length > 0) this.driver.activateLazyTables(wanted);
  }

  private onPeer(event: PeerEvent): void {
    if (event.type === 'left' && this.leader === event.peer.nodeId) this.leader = null;
  }

  /**
   * True when the caller may have its action executed: the first caller leads while it is alive
   * on the bus (the bus drops a peer whose heartbeats stop), then the next caller takes over.
   */
  private acceptsFrom(node: string): boolean {
    const alive = (id: string): boolean => id === this.node.nodeId || this.node.peers().some((p) => p.nodeId === id);
    if (this.leader === null || !alive(this.leader)) this.leader = node;
    return this.leader === node;
  }

  private methods(): Record<string, (args: unknown, context: CallContext) => unknown> {
    const d = this.driver;
    const M = DATASOURCE_METHODS;
    return {
      [M.getStatus]: () => d.status(this.subscribers()),
      [M.getTablenames]: () => d.schema().map((t) => t.name),
      [M.getTablename]: (args) => {
        const table = tableArg(args);
        return d.schema().some((t) => t.name === table) ? table : null;
      },
      [M.getRowData]: (args) => d.rows(tableArg(args)),
      [M.getSchema]: (args) => {
        const tables = d.schema();
        if (isRecord(args) && typeof args.table === 'string') {
          const t = tables.find((s) => s.name === args.table);
          if (t === undefined) throw errors.tableNotFound(args.table, this.name);
          return tableSchemaJson(t);
        }
        return { tables: tables.map(tableSchemaJson) };
      },
      [M.getActions]: () => d.actions(),
      [M.replaceTable]: async (args) => {
        await d.replaceTable(tableArg(args), documentArg(args, 'rows'));
        return null;
      },
      [M.webhook]: async (args) => {
        await d.webhook(documentArg(args, 'body'));
        return null;
      },
      [M.requestRefresh]: async (args) => {
        if (isRecord(args) && args.wait === true) await d.refreshAndWait();
        else d.requestRefresh();
        return null;
      },
      [M.requestExecute]: async (args, context) => {
        if (!isRecord(args) || typeof args.action !== 'string') throw errors.unknownAction(String(isRecord(args) ? args.action : args));
        const action = args.action;
        const actionArgs = parseActionArgs(documentArg(args, 'action_args'));
        // Requests an engine derived from execute[...] rules come from every engine: only the
        // leader's run. An explicit request through the API comes once, from the node that
        // received it, and always runs.
        if (args.explicit !== true && !this.acceptsFrom(context.callerNode)) {
          this.log.info('action request ignored: not from the leader node', { datasource: this.name, action, node: context.callerNode });
          return { accepted: false, reason: 'not from the leader engine' };
        }
        if (args.wait === true) return { accepted: true, result: (await d.execute(action, actionArgs)) as JsonValue };
        // Fire and forget, as the original: the outcome goes to the log and the action history.
        void d.execute(action, actionArgs).catch((error: unknown) => this.log.warn('action failed', { datasource: this.name, action, error: messageOf(error) }));
        return { accepted: true };
      },
      [M.getActionHistory]: () => d.actionHistory(),
    };
  }
}
