/**
 * The datasource side of the API with no bus and no drivers, for API route tests: datasources as
 * stored in the database (listed, shown with secrets masked, deleted), no installed drivers (so a
 * creation is refused as `Invalid driver`), and no running services (their tables, rows, status
 * and actions answer `service '<ds>' could not be found`). The server uses `BusDatasources`.
 */
import { DatasourceApiError, type DatasourceApi, type DatasourceService } from '../api/datasource-api';
import type { JsonValue } from '../datalog/json';
import { isValidDatasourceName } from '../services/datasources';
import type { DatasourceRecord, PolicyStore } from '../db';

type JsonObject = { [key: string]: JsonValue };

/** The masked form of a stored datasource (D8: the single GET masks too). */
function datasourceJson(d: DatasourceRecord): JsonObject {
  let config: JsonValue = null;
  if (d.config !== null) {
    const masked: JsonObject = {};
    for (const [k, v] of Object.entries(d.config)) masked[k] = d.encryptedFields.includes(k) ? '<hidden>' : (v as JsonValue);
    config = masked;
  }
  return { id: d.id, name: d.name, driver: d.driver, description: d.description, type: null, enabled: d.enabled, config };
}

/** `DatasourceApi` over the store with no drivers installed. */
export class StoredDatasources implements DatasourceApi {
  constructor(private readonly store: PolicyStore) {}

  async listDatasources(): Promise<JsonObject[]> {
    return (await this.store.listDatasources()).map(datasourceJson);
  }

  async getDatasource(nameOrId: string): Promise<JsonObject | null> {
    const d = await this.store.getDatasource(nameOrId);
    return d === null ? null : datasourceJson(d);
  }

  async createDatasource(body: JsonObject): Promise<JsonObject> {
    const name = body.name;
    if (typeof name !== 'string' || !isValidDatasourceName(name)) {
      // D9: the original left the template unfilled.
      throw new DatasourceApiError(
        'invalid',
        `Datasource name ${typeof name === 'string' ? name : String(name ?? '')} is invalid. Cannot be empty or start with underscore.  Must be valid in policy language`,
      );
    }
    // D10: name the driver instead of dumping the whole request.
    throw new DatasourceApiError('invalid', `Invalid driver: ${typeof body.driver === 'string' ? body.driver : String(body.driver ?? 'None')}`);
  }

  async deleteDatasource(nameOrId: string): Promise<JsonObject | null> {
    const d = await this.store.deleteDatasource(nameOrId);
    return d === null ? null : datasourceJson(d);
  }

  async listDrivers(): Promise<JsonObject[]> {
    return [];
  }

  async getDriver(): Promise<JsonObject | null> {
    return null;
  }

  async service(): Promise<DatasourceService | null> {
    return null;
  }
}
