// The messages nodes exchange. Transports carry them as opaque JSON; the node checks their shape
// on receipt (a peer of another version or a stray publisher must not crash it).
import { isRecord, isRowList, type Row } from './json';

/** `{publisher: {table: [subscriber service ids]}}`: which tables a node's services follow. */
export type SubscriptionReport = Record<string, Record<string, string[]>>;

/** `{publisher: {table: [epoch, seq]}}`: the last publication of each table a node publishes. */
export type TableMarks = Record<string, Record<string, [string, number]>>;

/** Sent to every node each heartbeat interval; the receiver's peer table is built from these. */
export interface HeartbeatMessage {
  readonly t: 'heartbeat';
  readonly node: string;
  readonly instance: string;
  readonly services: string[];
  readonly subscriptions: SubscriptionReport;
  readonly tables: TableMarks;
}

/** Sent by a starting node: every node answers with a heartbeat at once. */
export interface HelloMessage {
  readonly t: 'hello';
  readonly node: string;
  readonly instance: string;
}

/** Sent by a node stopping gracefully, so peers drop it without waiting for it to expire. */
export interface GoodbyeMessage {
  readonly t: 'goodbye';
  readonly node: string;
  readonly instance: string;
}

/** A cast to every node that hosts `service`. */
export interface CastAllMessage {
  readonly t: 'cast-all';
  readonly node: string;
  readonly instance: string;
  readonly service: string;
  readonly method: string;
  readonly args: unknown;
}

/** Messages that go to every node. */
export type ControlMessage = HeartbeatMessage | HelloMessage | GoodbyeMessage | CastAllMessage;

/** One publication of a table: a delta numbered `seq` within the publisher's `epoch`. */
export interface TableMessage {
  readonly t: 'table';
  readonly publisher: string;
  readonly table: string;
  readonly epoch: string;
  readonly seq: number;
  readonly add: Row[];
  readonly del: Row[];
}

/** A call (`reply: true`) or cast to a service method. */
export interface RequestMessage {
  readonly t: 'request';
  readonly id: string;
  readonly node: string;
  readonly instance: string;
  readonly service: string;
  readonly method: string;
  readonly args: unknown;
  readonly reply: boolean;
}

/** An error as it travels back to a caller. */
export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly code?: string | number;
  readonly data?: unknown;
  /** Fields of the bus's own errors, so the caller can rebuild the same class. */
  readonly fields?: Record<string, unknown>;
}

/** The answer to a call. */
export interface ReplyMessage {
  readonly t: 'reply';
  readonly id: string;
  readonly ok: boolean;
  readonly result?: unknown;
  readonly error?: WireError;
}

/** Messages addressed to one service or one node. */
export type DirectMessage = RequestMessage | ReplyMessage;

/** What a publisher answers to a snapshot request: the table's contents as of `seq` in `epoch`. */
export interface SnapshotReply {
  readonly epoch: string;
  readonly seq: number;
  readonly rows: Row[];
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every(isString);
}

function isNodeRef(m: Record<string, unknown>): boolean {
  return isString(m.node) && isString(m.instance);
}

/** Returns the message if it is a well-formed control message, otherwise undefined. */
export function parseControl(value: unknown): ControlMessage | undefined {
  if (!isRecord(value) || !isNodeRef(value)) return undefined;
  switch (value.t) {
    case 'heartbeat':
      if (!isStringList(value.services) || !isRecord(value.subscriptions) || !isRecord(value.tables)) return undefined;
      return value as unknown as HeartbeatMessage;
    case 'hello':
    case 'goodbye':
      return value as unknown as HelloMessage | GoodbyeMessage;
    case 'cast-all':
      return isString(value.service) && isString(value.method) ? (value as unknown as CastAllMessage) : undefined;
    default:
      return undefined;
  }
}

/** Returns the message if it is a well-formed table publication, otherwise undefined. */
export function parseTable(value: unknown): TableMessage | undefined {
  if (!isRecord(value) || value.t !== 'table') return undefined;
  const ok =
    isString(value.publisher) &&
    isString(value.table) &&
    isString(value.epoch) &&
    Number.isSafeInteger(value.seq) &&
    isRowList(value.add) &&
    isRowList(value.del);
  return ok ? (value as unknown as TableMessage) : undefined;
}

/** Returns the message if it is a well-formed request or reply, otherwise undefined. */
export function parseDirect(value: unknown): DirectMessage | undefined {
  if (!isRecord(value) || !isString(value.id)) return undefined;
  if (value.t === 'request') {
    const ok = isNodeRef(value) && isString(value.service) && isString(value.method) && typeof value.reply === 'boolean';
    return ok ? (value as unknown as RequestMessage) : undefined;
  }
  if (value.t === 'reply') {
    if (typeof value.ok !== 'boolean') return undefined;
    if (!value.ok && (!isRecord(value.error) || !isString(value.error.name) || !isString(value.error.message))) {
      return undefined;
    }
    return value as unknown as ReplyMessage;
  }
  return undefined;
}

/** Returns the reply if it is a well-formed snapshot, otherwise undefined. */
export function parseSnapshot(value: unknown): SnapshotReply | undefined {
  if (!isRecord(value) || !isString(value.epoch) || !Number.isSafeInteger(value.seq) || !isRowList(value.rows)) {
    return undefined;
  }
  return value as unknown as SnapshotReply;
}
