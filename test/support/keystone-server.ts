/** A congress-server with auth_strategy = keystone, validating tokens against a fake Keystone. */
import { FakeKeystoneAuth } from '../fixtures/keystone-auth';
import { configDirectory, runServer, startServer, type ServerProcess } from './server';

export interface KeystoneProtectedServer {
  keystone: FakeKeystoneAuth;
  server: ServerProcess;
  stop(): Promise<void>;
}

/** `prepare` may add files (such as policy.json) to the config directory before the server starts. */
export async function startKeystoneProtectedServer(prepare?: (configDir: string) => void): Promise<KeystoneProtectedServer> {
  const keystone = await FakeKeystoneAuth.start();
  let dir: Awaited<ReturnType<typeof configDirectory>> | undefined;
  try {
    dir = await configDirectory({ DEFAULT: { auth_strategy: 'keystone' }, keystone_authtoken: keystone.authtokenSection() });
    prepare?.(dir.dir);
    const upgrade = await runServer({ args: ['--db-upgrade', '--config-file', dir.configFile] });
    if (upgrade.code !== 0) throw new Error(`congress-server --db-upgrade exited ${upgrade.code}`);
    const server = await startServer({ args: ['--config-file', dir.configFile] });
    const remove = dir.remove;
    return {
      keystone,
      server,
      async stop() {
        await server.stop();
        await keystone.stop();
        await remove();
      },
    };
  } catch (err) {
    await keystone.stop();
    await dir?.remove();
    throw err;
  }
}

/**
 * One keystone-protected server for the enclosing `describe` (or file): started in `beforeAll`,
 * stopped in `afterAll`. Its `keystone` and `server` are readable once the suite runs.
 */
export function keystoneProtectedServerForSuite(prepare?: (configDir: string) => void): Pick<KeystoneProtectedServer, 'keystone' | 'server'> {
  let started: KeystoneProtectedServer | undefined;
  beforeAll(async () => {
    started = await startKeystoneProtectedServer(prepare);
  });
  afterAll(async () => {
    await started?.stop();
  });
  const get = (): KeystoneProtectedServer => {
    if (started === undefined) throw new Error('the keystone-protected server did not start');
    return started;
  };
  return {
    get keystone() {
      return get().keystone;
    },
    get server() {
      return get().server;
    },
  };
}
