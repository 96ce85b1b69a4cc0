/** Builds the API's Prometheus metrics for this process: build version and node id as labels. */
import fs from 'node:fs';
import path from 'node:path';
import { ApiMetrics } from '../api/metrics';
import type { CongressConfig } from './config';

/** The version in the package.json above this file (sources or dist/), or `unknown`. */
export function buildVersion(start = __dirname): string {
  for (let dir = start; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (!fs.existsSync(file)) continue;
    const pkg: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (typeof pkg === 'object' && pkg !== null && 'version' in pkg) return String((pkg as { version: unknown }).version);
  }
  return 'unknown';
}

/** The metrics of one API process. */
export function apiMetricsFor(config: CongressConfig): ApiMetrics {
  return new ApiMetrics({ version: buildVersion(), nodeId: config.DEFAULT.node_id });
}
