/**
 * The status a datasource reports (spec §1.8): the original's keys with string values, plus
 * typed fields the spec recommends for detecting stale data.
 */

/** `str(datetime)` in local time, as the original prints it (microseconds omitted when zero). */
export function pythonDatetime(date: Date): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  const base = `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())} ${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}`;
  const ms = date.getMilliseconds();
  return ms === 0 ? base : `${base}.${p(ms * 1000, 6)}`;
}

/** The status dict the API returns for a datasource. */
export interface DatasourceStatus {
  /** Time of the last poll or push, or `"None"`. */
  readonly last_updated: string;
  /** The last poll's error, or `"None"`; reset by every poll. */
  readonly last_error: string;
  /** Polls (successful or not) or pushes so far, as a string. */
  readonly number_of_updates: string;
  /** `"True"` once the driver is built. */
  readonly initialized: string;
  /** Always empty for drivers. */
  readonly subscriptions: string[][];
  /** Services following any of this datasource's tables. */
  readonly subscribers: string[];
  /** ISO-8601 UTC time of the last error, or null. */
  readonly last_error_at: string | null;
  /** ISO-8601 UTC time of the last fully successful poll or push, or null. */
  readonly last_success: string | null;
  /** Polls in a row that failed (0 after a success). */
  readonly consecutive_failures: number;
  /** Rows per table right now. */
  readonly row_counts: Record<string, number>;
  /** Root tables whose last fetch failed, with the error; they keep their last good rows. */
  readonly table_errors: Record<string, string>;
  /** Upstream objects skipped in the last poll because they could not be translated. */
  readonly skipped_objects: number;
  /** Root tables declared lazy and not yet activated. */
  readonly lazy_tables: string[];
}

/** The counters behind the status of one driver. */
export class StatusCounters {
  lastUpdated: Date | null = null;
  lastError: string | null = null;
  lastErrorAt: Date | null = null;
  lastSuccess: Date | null = null;
  updates = 0;
  consecutiveFailures = 0;
  skippedObjects = 0;
  tableErrors: Record<string, string> = {};

  /** Records one poll or push: errors per root table (empty when all went well). */
  record(now: Date, tableErrors: Record<string, string>, skipped: number): void {
    this.lastUpdated = now;
    this.updates += 1;
    this.tableErrors = tableErrors;
    this.skippedObjects = skipped;
    const first = Object.values(tableErrors)[0];
    this.lastError = first ?? null;
    if (first === undefined) {
      this.consecutiveFailures = 0;
      this.lastSuccess = now;
    } else {
      this.consecutiveFailures += 1;
      this.lastErrorAt = now;
    }
  }
}
