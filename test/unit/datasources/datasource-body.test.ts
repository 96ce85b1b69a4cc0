/** The datasource creation body: one schema, the original's error for the first field in fault. */
import { z } from 'zod';
import { datasourceBody, isValidDatasourceName } from '../../../src/services/datasources';
import { parseDatasourceBody } from '../../../src/services/datasources/datasource-body';

const known = (d: string): boolean => d === 'nova' || d === 'push';

function fault(body: unknown): { code: string; message: string } {
  try {
    parseDatasourceBody(body, known);
  } catch (err) {
    const e = err as { code: string; message: string };
    return { code: e.code, message: e.message };
  }
  throw new Error('accepted');
}

describe('datasource creation body', () => {
  it('applies the defaults to a valid body', () => {
    expect(parseDatasourceBody({ name: 'n1', driver: 'nova' }, known)).toEqual({ name: 'n1', driver: 'nova', config: null, description: null, enabled: true, id: null });
    expect(parseDatasourceBody({ name: 'n1', driver: 'push', config: { a: 1 }, description: 'd', enabled: false }, known)).toEqual({
      name: 'n1',
      driver: 'push',
      config: { a: 1 },
      description: 'd',
      enabled: false,
      id: null,
    });
  });

  it('answers the first field in fault in the original order: name, driver, config, description, enabled', () => {
    expect(fault([])).toEqual({ code: 'invalid_config_value', message: 'the request body must be a JSON object' });
    expect(fault({ name: '_x', driver: 'nosuch', config: 3 }).message).toBe(
      'Datasource name _x is invalid. Cannot be empty or start with underscore.  Must be valid in policy language',
    );
    expect(fault({ name: 7, driver: 'nova' }).message).toMatch(/^Datasource name 7 is invalid/);
    expect(fault({ driver: 'nova' }).message).toMatch(/^Datasource name {2}is invalid/);
    expect(fault({ name: 'ok', driver: 'nosuch', config: 3 })).toEqual({ code: 'invalid_driver', message: 'Invalid driver: nosuch' });
    expect(fault({ name: 'ok' })).toEqual({ code: 'invalid_driver', message: 'Invalid driver: None' });
    expect(fault({ name: 'ok', driver: 'nova', config: [1], description: 5 }).message).toBe('config must be a JSON object or null');
    expect(fault({ name: 'ok', driver: 'nova', description: [5], enabled: 'yes' }).message).toBe('description must be a string or null');
    expect(fault({ name: 'ok', driver: 'nova', enabled: 'yes' }).message).toBe('Datasource could not be created on the DSE: ok');
  });

  it("keeps a client's id, generates one for an absent, null or empty id, and refuses other ids", () => {
    expect(parseDatasourceBody({ name: 'n1', driver: 'nova', id: 'abc' }, known).id).toBe('abc');
    expect(parseDatasourceBody({ name: 'n1', driver: 'nova', id: null }, known).id).toBeNull();
    expect(parseDatasourceBody({ name: 'n1', driver: 'nova', id: '' }, known).id).toBeNull();
    const refused = 'id must be a string of at most 36 characters or null';
    expect(fault({ name: 'n1', driver: 'nova', id: 5 })).toEqual({ code: 'invalid_config_value', message: refused });
    expect(fault({ name: 'n1', driver: 'nova', id: 'x'.repeat(37) }).message).toBe(refused);
    // Every other field is checked first.
    expect(fault({ name: 'n1', driver: 'nova', enabled: 'yes', id: 5 }).message).toBe('Datasource could not be created on the DSE: n1');
  });

  it('publishes the same fields it checks', () => {
    const schema = z.toJSONSchema(datasourceBody()) as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(schema.properties)).toEqual(['name', 'driver', 'config', 'description', 'enabled', 'id']);
    expect(schema.required).toEqual(['name', 'driver']);
    expect(isValidDatasourceName('nova_1')).toBe(true);
    expect(isValidDatasourceName('')).toBe(false);
    expect(isValidDatasourceName('_hidden')).toBe(false);
  });
});
