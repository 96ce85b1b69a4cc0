/**
 * `congress-server --datasources`: the warm-standby datasource node (managed by Pacemaker)
 * starts on its own, answers its health endpoints, serves nothing else, and stops cleanly.
 */
import { configDirectory, runServer, startServer } from '../../support/server';

jest.setTimeout(60_000);

describe('datasource node role', () => {
  it('serves /livez and /readyz only and exits 0 on SIGTERM', async () => {
    const cfg = await configDirectory();
    try {
      const upgrade = await runServer({ args: ['--config-file', cfg.configFile, '--db-upgrade'] });
      expect(upgrade.code).toBe(0);
      const server = await startServer({ args: ['--config-file', cfg.configFile, '--datasources', '--node-id', 'ds-test'] });
      try {
        const live = await fetch(`${server.url}/livez`);
        expect(live.status).toBe(200);
        const body = (await live.json()) as { node_id: string; roles: string[] };
        expect(body.node_id).toBe('ds-test');
        expect(body.roles).toEqual(['datasources']);
        expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
        const metrics = await fetch(`${server.url}/metrics`);
        expect(metrics.status).toBe(200);
        expect(await metrics.text()).toMatch(/^congress_build_info\{/m);
        const api = await fetch(`${server.url}/v1/policies`);
        expect(api.status).toBe(404);
        expect(((await api.json()) as { error: { error_code: number } }).error.error_code).toBe(404);
      } finally {
        const exit = await server.stop('SIGTERM');
        expect(exit.code).toBe(0);
      }
    } finally {
      await cfg.remove();
    }
  });
});
