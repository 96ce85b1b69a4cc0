/** Building the API's authentication from congress.conf: settings, policy file, noauth warning. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../src/server/config';
import { apiAuthFromConfig, AuthSetupError, findPolicyFile, keystoneSettings, noauthWarning, PolicyFileEnforcer, policyEnforcer } from '../../../src/server/auth';

const quiet = { info: (): void => undefined, error: (): void => undefined, warn: (): void => undefined };
const admin = { userId: 'u', userName: null, projectId: null, projectName: null, roles: ['admin'] };
const member = { ...admin, roles: ['member'] };

describe('server auth set-up', () => {
  let dir: string;
  const conf = (text: string): ReturnType<typeof loadConfig>['config'] => {
    const file = path.join(dir, 'congress.conf');
    fs.writeFileSync(file, text);
    return loadConfig({ files: [file] }).config;
  };
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'congress-auth-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads [keystone_authtoken], defaulting the domains and the challenge URI', () => {
    const s = keystoneSettings({ auth_url: 'http://ks:5000', username: 'congress', password: 'pw', project_name: 'service' });
    expect(s.service).toEqual({ authUrl: 'http://ks:5000', username: 'congress', password: 'pw', projectName: 'service', userDomainName: 'Default', projectDomainName: 'Default' });
    expect(s.wwwAuthenticateUri).toBe('http://ks:5000/v3');
    expect(s.cacheSeconds).toBe(300);
    expect(keystoneSettings({ auth_url: 'http://ks/v3', www_authenticate_uri: 'https://public/identity', username: 'a', password: 'b', project_name: 'c', token_cache_time: '5' })).toMatchObject({
      wwwAuthenticateUri: 'https://public/identity',
      cacheSeconds: 5,
    });
  });

  it('names the missing option', () => {
    expect(() => keystoneSettings({ username: 'a', password: 'b', project_name: 'c' })).toThrow('[keystone_authtoken] auth_url');
    expect(() => keystoneSettings({ auth_url: 'http://ks', password: 'b', project_name: 'c' })).toThrow('[keystone_authtoken] username');
    expect(() => keystoneSettings({ auth_url: 'http://ks', username: 'a', password: 'b', project_name: 'c', token_cache_time: 'soon' })).toThrow(AuthSetupError);
  });

  it('builds nothing for noauth and a guard for keystone', () => {
    expect(apiAuthFromConfig(conf('[DEFAULT]\nauth_strategy = noauth\n'), quiet)).toBeUndefined();
    const c = conf('[DEFAULT]\nauth_strategy = keystone\n[keystone_authtoken]\nauth_url = http://127.0.0.1:9/v3\nusername = a\npassword = b\nproject_name = c\n');
    expect(typeof apiAuthFromConfig(c, quiet)?.guard).toBe('function');
  });

  it('finds the policy file next to the configuration file and applies it', () => {
    fs.writeFileSync(path.join(dir, 'policy.json'), JSON.stringify({ get_policies: 'role:member' }));
    expect(findPolicyFile('policy.json', [path.join(dir, 'congress.conf')], dir)).toBe(path.join(dir, 'policy.json'));
    const e = policyEnforcer(conf('[DEFAULT]\n'), quiet);
    expect(e.allows('get_policies', member)).toBe(true);
    expect(e.allows('create_policies', member)).toBe(false);
  });

  it('reads YAML policy files and honours policy_default_rule', () => {
    fs.writeFileSync(path.join(dir, 'policy.yaml'), '"open": "@"\n"create_policies": "!"\n');
    const e = policyEnforcer(conf('[oslo_policy]\npolicy_file = policy.yaml\npolicy_default_rule = open\n'), quiet);
    expect(e.allows('get_rules', member)).toBe(true);
    expect(e.allows('create_policies', admin)).toBe(false);
  });

  it('uses the defaults without the default file and refuses a named file that is missing or broken', () => {
    expect(policyEnforcer(conf('[DEFAULT]\n'), quiet).allows('get_policies', member)).toBe(false);
    expect(() => policyEnforcer(conf('[oslo_policy]\npolicy_file = nosuch.json\n'), quiet)).toThrow('nosuch.json not found');
    fs.writeFileSync(path.join(dir, 'bad.json'), '{"get_policies": "role:admin and"}');
    expect(() => policyEnforcer(conf('[oslo_policy]\npolicy_file = bad.json\n'), quiet)).toThrow(/bad\.json.*rule get_policies/);
    fs.writeFileSync(path.join(dir, 'list.json'), '["role:admin"]');
    expect(() => policyEnforcer(conf('[oslo_policy]\npolicy_file = list.json\n'), quiet)).toThrow('must map rule names');
  });

  it('reloads a changed policy file, at most once a second, and keeps the rules in force when the new file is broken', () => {
    const file = path.join(dir, 'policy.json');
    fs.writeFileSync(file, JSON.stringify({ get_policies: 'role:member' }));
    let clock = 0;
    const logged: string[] = [];
    const log = { info: (m: string): void => void logged.push(m), error: (m: string): void => void logged.push(m) };
    const e = new PolicyFileEnforcer(() => [file], 'default', log, () => clock);
    expect(e.overrides).toBe(1);
    expect(e.allows('get_policies', member)).toBe(true);
    fs.writeFileSync(file, JSON.stringify({ get_policies: 'role:admin', get_rules: 'role:member' }));
    // Within the second the file is not looked at again.
    clock = 500;
    expect(e.allows('get_policies', member)).toBe(true);
    clock = 1500;
    expect(e.allows('get_policies', member)).toBe(false);
    expect(e.allows('get_rules', member)).toBe(true);
    expect(logged).toEqual([`policy file ${file} changed: rules reloaded`]);
    fs.writeFileSync(file, '{"get_rules": "role:admin and"}');
    clock = 3000;
    expect(e.allows('get_rules', member)).toBe(true);
    expect(e.isOpen('get_rules')).toBe(false);
    expect(logged[1]).toMatch(/changed but was not applied, the previous rules stay: .*rule get_rules/);
    fs.rmSync(file);
    clock = 4500;
    expect(e.allows('get_rules', member)).toBe(true);
    expect(logged[2]).toMatch(/not applied.*cannot be read/);
    fs.writeFileSync(file, '{"get_rules": "@"}');
    clock = 6000;
    expect(e.isOpen('get_rules')).toBe(true);
  });

  it('looks for an absent default policy.json again, so one installed later applies (and its removal restores the defaults)', () => {
    let clock = 0;
    const logged: string[] = [];
    const log = { info: (m: string): void => void logged.push(m), error: (m: string): void => void logged.push(m) };
    const e = policyEnforcer(conf('[DEFAULT]\n'), log, () => clock);
    expect(e.allows('get_policies', member)).toBe(false);
    const file = path.join(dir, 'policy.json');
    fs.writeFileSync(file, JSON.stringify({ get_policies: 'role:member' }));
    clock = 1500;
    expect(e.allows('get_policies', member)).toBe(true);
    expect(logged).toEqual([`policy file ${file} changed: rules reloaded`]);
    fs.rmSync(file);
    clock = 3000;
    expect(e.allows('get_policies', member)).toBe(false);
    expect(logged[1]).toBe('policy file removed: the default rules apply');
  });

  it('applies the files of policy_dirs after policy_file, in name order, and follows changes there', () => {
    fs.writeFileSync(path.join(dir, 'policy.json'), JSON.stringify({ get_policies: 'role:admin', get_rules: 'role:admin' }));
    fs.mkdirSync(path.join(dir, 'policy.d'));
    fs.writeFileSync(path.join(dir, 'policy.d', '20-rules.yaml'), 'get_rules: "role:admin"\n');
    fs.writeFileSync(path.join(dir, 'policy.d', '10-rules.json'), JSON.stringify({ get_rules: 'role:member', get_policies: 'role:member' }));
    let clock = 0;
    const logged: string[] = [];
    const log = { info: (m: string): void => void logged.push(m), error: (m: string): void => void logged.push(m) };
    const e = policyEnforcer(conf('[DEFAULT]\n'), log, () => clock);
    // policy.d/10 overrides policy.json; policy.d/20 (later by name) overrides 10 again.
    expect(e.allows('get_policies', member)).toBe(true);
    expect(e.allows('get_rules', member)).toBe(false);
    expect(logged[0]).toBe(`policy rules from ${path.join(dir, 'policy.json')}, ${path.join(dir, 'policy.d', '10-rules.json')}, ${path.join(dir, 'policy.d', '20-rules.yaml')}: 2 overrides of the defaults`);
    fs.writeFileSync(path.join(dir, 'policy.d', '30-more.yaml'), 'get_rules: "@"\n');
    clock = 1500;
    expect(e.isOpen('get_rules')).toBe(true);
    expect(logged[1]).toMatch(/^policy files .*policy\.json, .*30-more\.yaml changed: rules reloaded$/);
  });

  it('reads policy_dirs only while the policy file exists, as oslo.policy does, and skips a missing directory', () => {
    fs.mkdirSync(path.join(dir, 'extra'));
    fs.writeFileSync(path.join(dir, 'extra', 'open.yaml'), 'get_policies: "@"\n');
    expect(policyEnforcer(conf(`[oslo_policy]\npolicy_dirs = ${path.join(dir, 'extra')}\n`), quiet).isOpen('get_policies')).toBe(false);
    fs.writeFileSync(path.join(dir, 'policy.json'), '{}');
    expect(policyEnforcer(conf(`[oslo_policy]\npolicy_dirs = nosuch.d,${path.join(dir, 'extra')}\n`), quiet).isOpen('get_policies')).toBe(true);
  });

  it('warns about noauth on a non-loopback address only', () => {
    expect(noauthWarning(conf('[DEFAULT]\nauth_strategy = noauth\nbind_host = 0.0.0.0\n'))).toMatch(/auth_strategy = noauth on 0\.0\.0\.0/);
    expect(noauthWarning(conf('[DEFAULT]\nauth_strategy = noauth\nbind_host = 127.0.0.1\n'))).toBeNull();
    expect(noauthWarning(conf('[DEFAULT]\nauth_strategy = noauth\nbind_host = ::1\n'))).toBeNull();
    expect(noauthWarning(conf('[DEFAULT]\nauth_strategy = keystone\nbind_host = 0.0.0.0\n'))).toBeNull();
  });
});
