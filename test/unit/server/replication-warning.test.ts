// The original's start-up check: replicated_policy_engine with SQLite is warned about.
import { loadConfig } from '../../../src/server/config';
import { replicationWarning } from '../../../src/server/database';

const config = (DEFAULT: Record<string, string>, connection: string): ReturnType<typeof loadConfig>['config'] =>
  loadConfig({ overrides: { DEFAULT, database: { connection } } }).config;

test('replicated_policy_engine with SQLite gives a warning; with MySQL, or off, none', () => {
  expect(replicationWarning(config({ replicated_policy_engine: 'True' }, 'sqlite:////var/lib/congress/c.sqlite'))).toMatch(
    /^replicated_policy_engine = True with a SQLite database: .*MySQL\/MariaDB/,
  );
  expect(replicationWarning(config({ replicated_policy_engine: 'True' }, 'sqlite://'))).not.toBeNull();
  expect(replicationWarning(config({ replicated_policy_engine: 'True' }, 'mysql+pymysql://c:pw@127.0.0.1/congress?charset=utf8'))).toBeNull();
  expect(replicationWarning(config({ replicated_policy_engine: 'False' }, 'sqlite://'))).toBeNull();
});
