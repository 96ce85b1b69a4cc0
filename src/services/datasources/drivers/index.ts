/**
 * The drivers this build ships, and the registry the manager and the API consult: lookup by id
 * (minus `disabled_drivers`), the sorted listing, and the driver info with its tables.
 */
import type { DatasourceConfig } from '../../../db';
import { configMap, configSchema, secretNames, type ConfigMarker, type ConfigSchemaEntry } from '../framework/config';
import type { DriverDefinition } from '../framework/driver';
import { tableSchemaJson } from '../translation/schema';
import { aodhDriver } from './aodh';
import { cinderDriver } from './cinder';
import { cloudfoundryv2Driver } from './cloudfoundryv2';
import { doctorDriver } from './doctor';
import { glancev2Driver } from './glancev2';
import { heatDriver } from './heat';
import { ironicDriver } from './ironic';
import { jsonRestDriver } from './json-rest';
import { keystoneDriver } from './keystone';
import { keystonev3Driver } from './keystonev3';
import { mistralDriver } from './mistral';
import { monascaDriver } from './monasca';
import { monascaWebhookDriver } from './monasca-webhook';
import { muranoDriver } from './murano';
import { neutronv2Driver } from './neutronv2';
import { neutronQosDriver } from './neutronv2-qos';
import { novaDriver } from './nova';
import { pushDriver } from './push';
import { swiftDriver } from './swift';
import { tackerDriver } from './tacker';
import { vcenterDriver } from './vcenter';
import { vitrageDriver } from './vitrage';

/** Every driver of this build. */
export const BUILTIN_DRIVERS: readonly DriverDefinition[] = [
  novaDriver,
  neutronv2Driver,
  keystonev3Driver,
  keystoneDriver,
  cinderDriver,
  glancev2Driver,
  aodhDriver,
  swiftDriver,
  heatDriver,
  monascaDriver,
  ironicDriver,
  mistralDriver,
  muranoDriver,
  cloudfoundryv2Driver,
  vcenterDriver,
  tackerDriver,
  neutronQosDriver,
  doctorDriver,
  pushDriver,
  jsonRestDriver,
  vitrageDriver,
  monascaWebhookDriver,
];

/** `GET /v1/system/drivers` entry. */
export interface DriverSummary {
  readonly id: string;
  readonly description: string;
}

/** `GET /v1/system/drivers/<id>`: the driver info and its tables (spec §7.2). */
export interface DriverInfo extends DriverSummary {
  readonly config: Record<string, ConfigMarker>;
  /** Present only when the driver has secret options. */
  readonly secret?: string[];
  /** Addition: every accepted option with its type and default. */
  readonly config_schema: Record<string, ConfigSchemaEntry>;
  readonly tables: { table_id: string; columns: { name: string; description: string | null }[] }[];
}

/** The installed drivers, minus the disabled ones. */
export class DriverRegistry {
  private readonly byId = new Map<string, DriverDefinition>();
  /** Every driver of the build, disabled ones too: their secrets stay masked in stored datasources. */
  private readonly known = new Map<string, DriverDefinition>();

  /** `disabled`: `[DEFAULT] disabled_drivers`; names of no driver here are ignored, as the original's loader did. */
  constructor(definitions: readonly DriverDefinition[] = BUILTIN_DRIVERS, disabled: readonly string[] = []) {
    for (const d of definitions) {
      this.known.set(d.id, d);
      if (!disabled.includes(d.id)) this.byId.set(d.id, d);
    }
  }

  /** The driver of that id, if installed and enabled. */
  get(id: string): DriverDefinition | undefined {
    return this.byId.get(id);
  }

  /** Every driver, sorted by id. */
  list(): DriverSummary[] {
    return [...this.byId.values()].map((d) => ({ id: d.id, description: d.description })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** The driver info with tables, or null for an unknown id. */
  info(id: string, config?: DatasourceConfig): DriverInfo | null {
    const d = this.byId.get(id);
    if (d === undefined) return null;
    const secret = secretNames(d.options);
    const base = { id: d.id, description: d.description, config: configMap(d.options) };
    return {
      ...base,
      ...(secret.length > 0 ? { secret } : {}),
      config_schema: configSchema(d.options),
      tables: d.schema(config).map(tableSchemaJson),
    };
  }

  /** Secret option names of a driver (empty for an unknown one). */
  secrets(id: string | null): string[] {
    const d = id === null ? undefined : this.known.get(id);
    return d === undefined ? [] : secretNames(d.options);
  }
}
