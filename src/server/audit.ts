/**
 * The audit log: JSON lines, one per write request and per action the engine requested, in a
 * winston logger of its own so that it can go to its own file (`[DEFAULT] audit_log_file`) and
 * never mixes with, or is filtered like, the operational log.
 */
import path from 'node:path';
import winston from 'winston';
import type { CongressConfig } from './config';

/** Writes audit records. */
export interface AuditLog {
  record(entry: object): void;
  close(): Promise<void>;
}

/** The audit log a configuration asks for; relative paths resolve against `baseDir`. */
export function createAuditLog(config: CongressConfig, baseDir: string): AuditLog {
  const file = (config.DEFAULT as { audit_log_file?: string }).audit_log_file ?? '';
  const transport =
    file === ''
      ? new winston.transports.Stream({ stream: process.stderr })
      : new winston.transports.File({ filename: path.resolve(baseDir, file) });
  const logger = winston.createLogger({
    level: 'info',
    format: winston.format.printf((info) => JSON.stringify(info.message)),
    transports: [transport],
  });
  return {
    record(entry) {
      logger.info({ message: { audit: true, node_id: config.DEFAULT.node_id, ...entry } });
    },
    close() {
      return new Promise((resolve) => {
        logger.on('finish', () => resolve());
        logger.end();
      });
    },
  };
}
