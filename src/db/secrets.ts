/**
 * Encryption of secret datasource config fields (passwords) at rest.
 *
 * The key lives in `<encryption_key_path>/aes_key`, in the format the original uses for its
 * Fernet key (32 random bytes, URL-safe base64), so an operator's existing key file keeps
 * working: values the original encrypted (Fernet tokens) still decrypt, and new values are
 * written with AES-256-GCM under a key derived from the same 32 bytes.
 */
import crypto from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { SecretError } from './errors';

/** Encrypts and decrypts single secret strings. */
export interface SecretCipher {
  /** Returns an opaque token for `plain`; never the same token twice. */
  encrypt(plain: string): Promise<string>;
  /** Returns the clear text of a token produced by `encrypt` or by the original (Fernet). */
  decrypt(token: string): Promise<string>;
}

/** Name of the key file inside the key directory, as in the original. */
export const KEY_FILE_NAME = 'aes_key';

const GCM_PREFIX = 'aesgcm1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
// Key separation: the raw key also serves the Fernet (legacy) path, so GCM gets its own subkey.
const GCM_KEY_INFO = 'congress-ts datasource secrets aes-256-gcm v1';

function fromBase64Url(text: string): Buffer {
  return Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

function toBase64Url(bytes: Buffer): string {
  return bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

// Duck-typed: errors from Node's core can come from another realm (e.g. under test sandboxes).
function isErrnoException(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}

function messageOf(err: unknown): string {
  return typeof err === 'object' && err !== null && 'message' in err ? String(err.message) : String(err);
}

async function readKey(file: string): Promise<Buffer> {
  const key = fromBase64Url((await fs.readFile(file, 'ascii')).trim());
  if (key.length !== 32) throw new SecretError(`key file ${file} does not hold a 32-byte key`);
  return key;
}

async function createKey(file: string): Promise<Buffer> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = crypto.randomBytes(32);
  let handle: fs.FileHandle;
  try {
    // 'wx': two processes starting at once must not overwrite each other's key.
    handle = await fs.open(file, 'wx', 0o600);
  } catch (err) {
    if (isErrnoException(err, 'EEXIST')) return readKey(file);
    throw err;
  }
  try {
    await handle.chmod(0o600);
    await handle.writeFile(toBase64Url(key), 'ascii');
  } finally {
    await handle.close();
  }
  return key;
}

/** Loads the key from `keyDir/aes_key`, creating the directory (0700) and file (0600) if absent. */
export async function loadOrCreateKey(keyDir: string): Promise<Buffer> {
  const file = path.join(keyDir, KEY_FILE_NAME);
  try {
    return await readKey(file);
  } catch (err) {
    if (!isErrnoException(err, 'ENOENT')) {
      if (err instanceof SecretError) throw err;
      throw new SecretError(`cannot read key file ${file}: ${messageOf(err)}`);
    }
  }
  try {
    return await createKey(file);
  } catch (err) {
    if (err instanceof SecretError) throw err;
    throw new SecretError(`cannot create key file ${file}: ${messageOf(err)}`);
  }
}

/** Decrypts a Fernet token (the original's format): AES-128-CBC plus HMAC-SHA256. */
function decryptFernet(key: Buffer, token: string): string {
  const data = fromBase64Url(token);
  if (data.length < 1 + 8 + 16 + 16 + 32 || data[0] !== 0x80) {
    throw new SecretError('not a Fernet token');
  }
  const signed = data.subarray(0, data.length - 32);
  const mac = crypto.createHmac('sha256', key.subarray(0, 16)).update(signed).digest();
  if (!crypto.timingSafeEqual(mac, data.subarray(data.length - 32))) {
    throw new SecretError('secret was encrypted with a different key (check encryption_key_path)');
  }
  const iv = data.subarray(9, 25);
  const decipher = crypto.createDecipheriv('aes-128-cbc', key.subarray(16, 32), iv);
  return Buffer.concat([decipher.update(data.subarray(25, data.length - 32)), decipher.final()]).toString(
    'utf8',
  );
}

/** AES-256-GCM cipher keyed by the shared key file; decrypts the original's Fernet tokens too. */
export class KeyFileCipher implements SecretCipher {
  private keys: Promise<{ raw: Buffer; gcm: Buffer }> | null = null;

  /** `keyDir` is `[DEFAULT] encryption_key_path`; the key file is created on first use. */
  constructor(readonly keyDir: string) {}

  private load(): Promise<{ raw: Buffer; gcm: Buffer }> {
    if (!this.keys) {
      this.keys = loadOrCreateKey(this.keyDir).then((raw) => ({
        raw,
        gcm: Buffer.from(crypto.hkdfSync('sha256', raw, Buffer.alloc(0), GCM_KEY_INFO, 32)),
      }));
      // A failed load (permissions) must be retried next time, not cached.
      this.keys.catch(() => {
        this.keys = null;
      });
    }
    return this.keys;
  }

  /** Encrypts with a fresh random IV; the token is `aesgcm1:` + base64url(iv | tag | ciphertext). */
  async encrypt(plain: string): Promise<string> {
    const { gcm } = await this.load();
    const iv = crypto.randomBytes(IV_BYTES);
    const cipher = crypto.createCipheriv('aes-256-gcm', gcm, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return GCM_PREFIX + toBase64Url(Buffer.concat([iv, cipher.getAuthTag(), body]));
  }

  /** Decrypts either token format; a wrong key or a tampered token raises `SecretError`. */
  async decrypt(token: string): Promise<string> {
    const { raw, gcm } = await this.load();
    if (!token.startsWith(GCM_PREFIX)) return decryptFernet(raw, token);
    const data = fromBase64Url(token.slice(GCM_PREFIX.length));
    if (data.length < IV_BYTES + TAG_BYTES) throw new SecretError('truncated secret token');
    const decipher = crypto.createDecipheriv('aes-256-gcm', gcm, data.subarray(0, IV_BYTES));
    decipher.setAuthTag(data.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(data.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new SecretError('secret was encrypted with a different key (check encryption_key_path)');
    }
  }
}
