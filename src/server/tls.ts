/**
 * TLS for the API listener: when a certificate and key are configured the API is served over
 * HTTPS on the same port (there is no plain-HTTP fallback: a client that expects TLS must not
 * be answered in clear). Files are read once at start-up; a bad pair stops start-up with a
 * message naming the file.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { ExpressServing } from '../api';
import type { CongressConfig } from './config';

/** The files of the API's TLS identity. */
export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
  /** CA bundle to verify client certificates with; set = clients must present one. */
  readonly caFile?: string;
}

/** A TLS setting that cannot work; start-up stops with it. */
export class TlsSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TlsSetupError';
  }
}

function setting(section: Readonly<Record<string, unknown>>, name: string): string | null {
  const v = section[name];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

/**
 * The TLS files `[DEFAULT] ssl_cert_file`, `ssl_key_file` and `ssl_ca_file` name, or null for
 * plain HTTP. The options are looked up by name, so the API stays plain HTTP in a build whose
 * option catalog does not define them.
 */
export function tlsFilesOf(config: CongressConfig): TlsFiles | null {
  const d: Readonly<Record<string, unknown>> = config.DEFAULT;
  const certFile = setting(d, 'ssl_cert_file');
  const keyFile = setting(d, 'ssl_key_file');
  if (certFile === null && keyFile === null) return null;
  if (certFile === null || keyFile === null) throw new TlsSetupError('TLS needs both [DEFAULT] ssl_cert_file and ssl_key_file');
  const caFile = setting(d, 'ssl_ca_file');
  return caFile === null ? { certFile, keyFile } : { certFile, keyFile, caFile };
}

function read(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new TlsSetupError(`cannot read the API's TLS ${what} ${file}: ${(err as Error).message}`);
  }
}

/** Node's server options for the files (contents read now). */
export function tlsServerOptions(files: TlsFiles): https.ServerOptions {
  const options: https.ServerOptions = { cert: read(files.certFile, 'certificate'), key: read(files.keyFile, 'key') };
  if (files.caFile !== undefined) {
    options.ca = read(files.caFile, 'CA bundle');
    options.requestCert = true;
    options.rejectUnauthorized = true;
  }
  return options;
}

/** An HTTP server, or an HTTPS one when TLS files are given; a mismatched pair throws here. */
export function createApiServer(serving: ExpressServing, files: TlsFiles | null): http.Server {
  if (files === null) return http.createServer(serving.options, serving.listener);
  try {
    return https.createServer({ ...tlsServerOptions(files), ...serving.options }, serving.listener);
  } catch (err) {
    if (err instanceof TlsSetupError) throw err;
    throw new TlsSetupError(`the API's TLS certificate ${files.certFile} and key ${files.keyFile} are not usable: ${(err as Error).message}`);
  }
}
