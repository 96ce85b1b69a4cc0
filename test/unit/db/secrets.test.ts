/** Secret encryption: the shared key file, AES-256-GCM tokens and the original's Fernet tokens. */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KEY_FILE_NAME, KeyFileCipher, SecretError, loadOrCreateKey } from '../../../src/db';
import { FERNET_KEY, FERNET_PLAINTEXT, FERNET_TOKEN } from './original-congress';

let dir: string;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'congress-secrets-'));
});

afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('the key file', () => {
  it('is created on first use, directory 0700 and file 0600, in the Fernet key format', async () => {
    const keyDir = path.join(dir, 'keys', 'nested');
    const key = await loadOrCreateKey(keyDir);
    expect(key).toHaveLength(32);
    expect((await fs.stat(keyDir)).mode & 0o777).toBe(0o700);
    const file = path.join(keyDir, KEY_FILE_NAME);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect(await fs.readFile(file, 'ascii')).toMatch(/^[A-Za-z0-9_-]{43}=$/);
    expect(await loadOrCreateKey(keyDir)).toEqual(key);
  });

  it('is created once when two processes race for it', async () => {
    const keys = await Promise.all([loadOrCreateKey(dir), loadOrCreateKey(dir), loadOrCreateKey(dir)]);
    expect(keys[1]).toEqual(keys[0]);
    expect(keys[2]).toEqual(keys[0]);
  });

  it('must hold a 32-byte key', async () => {
    await fs.writeFile(path.join(dir, KEY_FILE_NAME), 'c2hvcnQ=');
    await expect(loadOrCreateKey(dir)).rejects.toBeInstanceOf(SecretError);
  });
});

describe('KeyFileCipher', () => {
  it('round-trips text through AES-256-GCM tokens that differ every time', async () => {
    const cipher = new KeyFileCipher(dir);
    const a = await cipher.encrypt('pässwörd ✓');
    const b = await cipher.encrypt('pässwörd ✓');
    expect(a).toMatch(/^aesgcm1:/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('pässwörd');
    expect(await cipher.decrypt(a)).toBe('pässwörd ✓');
    expect(await new KeyFileCipher(dir).decrypt(b)).toBe('pässwörd ✓');
  });

  it("decrypts the original's Fernet tokens with the original's key file", async () => {
    await fs.writeFile(path.join(dir, KEY_FILE_NAME), FERNET_KEY);
    expect(await new KeyFileCipher(dir).decrypt(FERNET_TOKEN)).toBe(FERNET_PLAINTEXT);
    // The Fernet specification's own test vector.
    const specToken = 'gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA==';
    expect(await new KeyFileCipher(dir).decrypt(specToken)).toBe('hello');
  });

  it('refuses tokens made with another key, and tampered tokens', async () => {
    const token = await new KeyFileCipher(dir).encrypt('secret');
    const otherDir = path.join(dir, 'other');
    await expect(new KeyFileCipher(otherDir).decrypt(token)).rejects.toBeInstanceOf(SecretError);
    await expect(new KeyFileCipher(otherDir).decrypt(FERNET_TOKEN)).rejects.toBeInstanceOf(SecretError);
    const flipped = token.slice(0, -2) + (token.endsWith('A') ? 'B' : 'A') + token.slice(-1);
    await expect(new KeyFileCipher(dir).decrypt(flipped)).rejects.toBeInstanceOf(SecretError);
    await expect(new KeyFileCipher(dir).decrypt('not a token')).rejects.toBeInstanceOf(SecretError);
  });

  it('reports an unreadable key directory as a SecretError and retries later', async () => {
    const blocker = path.join(dir, 'file');
    await fs.writeFile(blocker, 'x');
    const cipher = new KeyFileCipher(path.join(blocker, 'keys'));
    await expect(cipher.encrypt('x')).rejects.toBeInstanceOf(SecretError);
    await fs.rm(blocker);
    await expect(cipher.encrypt('x')).resolves.toMatch(/^aesgcm1:/);
  });
});
