/**
 * Fast propagation of policy writes between replicated engines: after a local write commits,
 * its revision is cast to every policy-engine node (`_engine_sync.revision_changed`), and each
 * receiver syncs from the database at once. The announcement carries only the number — the
 * database stays the one source of truth — so a lost or duplicated announcement costs at most
 * a delay until the periodic sync, never a wrong state.
 */
import type { DseNode, LocalService } from '../../bus';
import { isRecord } from '../../bus/json';
import { type EngineLogger, silentLogger } from './logger';

/** Hidden bus service every policy-engine node hosts. */
export const ENGINE_SYNC_SERVICE = '_engine_sync';
/** Cast with `{revision}` after a policy or rule write committed. */
export const REVISION_CHANGED = 'revision_changed';

/** Announces this node's writes and hears the other nodes'. */
export class RevisionAnnouncer {
  private constructor(
    private readonly node: Pick<DseNode, 'castAll'>,
    private readonly service: LocalService,
    private readonly log: EngineLogger,
  ) {}

  /** Hosts the sync service on `node`; `heard` gets every announced revision (own ones too). */
  static async join(
    node: Pick<DseNode, 'castAll' | 'register'>,
    heard: (revision: number) => void,
    logger: EngineLogger = silentLogger,
  ): Promise<RevisionAnnouncer> {
    const service = await node.register({
      id: ENGINE_SYNC_SERVICE,
      methods: {
        [REVISION_CHANGED]: (args: unknown) => {
          if (!isRecord(args) || typeof args.revision !== 'number' || !Number.isInteger(args.revision)) {
            throw new Error(`${REVISION_CHANGED} needs {revision: integer}`);
          }
          heard(args.revision);
          return null;
        },
      },
    });
    return new RevisionAnnouncer(node, service, logger);
  }

  /** Tells every policy-engine node; never rejects (the periodic sync covers a lost cast). */
  announce(revision: number): void {
    this.node.castAll(ENGINE_SYNC_SERVICE, REVISION_CHANGED, { revision }).catch((err: unknown) => {
      this.log.warn(`revision ${revision} not announced (replicas see it at their next periodic sync): ${(err as Error).message}`);
    });
  }

  /** Stops hearing announcements. */
  async leave(): Promise<void> {
    await this.service.unregister();
  }
}
