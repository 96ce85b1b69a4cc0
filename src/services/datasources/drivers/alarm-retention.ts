/**
 * How long the webhook drivers (`vitrage`, `monasca_webhook`) keep alarms: the original's
 * `hours_to_keep_alarm` option (default 240 hours), and its periodic task, which runs every
 * tenth of that time (at least a second; first run one period after the start).
 */
import type { Row } from '../../../bus/json';
import { errors } from '../errors';
import { parsePersistData, type ConfigOption } from '../framework/config';
import type { DriverContext, TableSink } from '../framework/driver';
import { PushDriver } from '../framework/push-driver';
import type { TableTranslator } from '../translation/translator';

const DEFAULT_HOURS_TO_KEEP = 240;

/** The option as the drivers declare it. */
export const HOURS_OPTION: ConfigOption = { name: 'hours_to_keep_alarm', required: false, type: 'integer', default: DEFAULT_HOURS_TO_KEEP };

/** `hours_to_keep_alarm` as the original reads it (`int(...)`): a whole number or its text. */
function parseHours(raw: unknown): number {
  if (raw === undefined || raw === null) return DEFAULT_HOURS_TO_KEEP;
  const n = typeof raw === 'string' && /^\s*[+-]?\d+\s*$/.test(raw) ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw errors.invalidValue('hours_to_keep_alarm must be an integer');
  return n;
}

/** A push driver fed by alarm webhooks that forgets alarms after `hours_to_keep_alarm`. */
export abstract class AlarmWebhookDriver extends PushDriver {
  private readonly hoursToKeep: number;
  private timer: NodeJS.Timeout | null = null;

  constructor(context: DriverContext, translators: readonly TableTranslator[]) {
    // Pushed alarms persist by default (the original's default was off: differences.md).
    super(context, translators, parsePersistData(context.config.persist_data, true));
    this.hoursToKeep = parseHours(context.config.hours_to_keep_alarm);
  }

  /** The table rows of alarms older than `hours_to_keep_alarm` go (with what hangs off them). */
  protected abstract dropAlarmsBefore(oldestMs: number): Promise<void>;

  override async start(sink: TableSink): Promise<void> {
    await super.start(sink);
    const periodMs = Math.max((this.hoursToKeep * 3600_000) / 10, 1000);
    this.timer = setInterval(() => void this.pruneOldAlarms().catch(() => undefined), periodMs);
    this.timer.unref();
  }

  override async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await super.stop();
  }

  /** One run of the periodic task. */
  pruneOldAlarms(): Promise<void> {
    return this.serialized(() => this.dropAlarmsBefore(this.now().getTime() - this.hoursToKeep * 3600_000));
  }

  /** Rows of `table` whose column `column` is not in `values`. */
  protected rowsWithout(table: string, column: number, values: ReadonlySet<unknown>): Row[] {
    return this.state.rows(table).filter((row) => !values.has(row[column]));
  }
}
