/**
 * The body of a datasource creation (api.md §8.2) as one zod schema: the manager validates with
 * it and the API publishes it in /v1/openapi.json, so the two cannot drift. Fields are declared
 * in the original's order of checks (zod reports issues in key order), and the first issue is
 * answered with the original's error for that field.
 */
import { z } from 'zod';
import { isValidPolicyName } from '../../datalog/parse';
import { errors, type DatasourceError } from './errors';

/** Non-empty, not starting with `_`, and usable as a policy name. */
export function isValidDatasourceName(name: string): boolean {
  return name !== '' && !name.startsWith('_') && isValidPolicyName(name);
}

/** The schema; `knownDriver` refines `driver` against the installed drivers where they are known. */
export function datasourceBody(knownDriver: (driver: string) => boolean = () => true) {
  return z.object({
    name: z.string().refine(isValidDatasourceName).meta({ description: 'valid in the policy language, not starting with `_`' }),
    driver: z.string().refine(knownDriver).meta({ description: 'an installed driver (GET /v1/system/drivers)' }),
    config: z.record(z.string(), z.unknown()).nullable().optional().meta({ description: "the driver's options" }),
    // A number or boolean is stored as the text SQL reads back (`5` → "5", `true` → "1"), as upstream.
    description: z.union([z.string(), z.number(), z.boolean()]).nullable().optional(),
    enabled: z.boolean().optional(),
    // The original keeps a client's id (`req.get('id') or uuid4`); its column holds 36 characters.
    id: z.string().max(36).nullable().optional().meta({ description: 'kept when given; generated (UUID4) when absent, null or empty' }),
  });
}

/** A creation body as the manager uses it, defaults applied. */
export interface NewDatasourceBody {
  readonly name: string;
  readonly driver: string;
  readonly description: string | null;
  readonly enabled: boolean;
  readonly config: Readonly<Record<string, unknown>> | null;
  /** The client's id, or null when the server is to generate one. */
  readonly id: string | null;
}

const FIELD_ERRORS: Readonly<Record<string, (value: unknown, body: Record<string, unknown>) => DatasourceError>> = {
  name: (v) => errors.invalidName(typeof v === 'string' ? v : String(v ?? '')),
  driver: (v) => errors.invalidDriver(typeof v === 'string' ? v : 'None'),
  config: () => errors.invalidValue('config must be a JSON object or null'),
  description: () => errors.invalidValue('description must be a string or null'),
  // The original tried to start the service and reported this.
  enabled: (_v, body) => errors.invalidValue(`Datasource could not be created on the DSE: ${String(body.name)}`),
  id: () => errors.invalidValue('id must be a string of at most 36 characters or null'),
};

/** Validates `body`; throws the original's error for the first field in fault. */
export function parseDatasourceBody(body: unknown, knownDriver: (driver: string) => boolean): NewDatasourceBody {
  const r = datasourceBody(knownDriver).safeParse(body);
  if (r.success) {
    const { name, driver, config, description, enabled, id } = r.data;
    const text = typeof description === 'boolean' ? (description ? '1' : '0') : typeof description === 'number' ? String(description) : description;
    return { name, driver, config: config ?? null, description: text ?? null, enabled: enabled ?? true, id: id === '' || id === undefined ? null : id };
  }
  const field = r.error.issues[0].path[0];
  const fault = typeof field === 'string' ? FIELD_ERRORS[field] : undefined;
  if (fault === undefined || typeof body !== 'object' || body === null) throw errors.invalidValue('the request body must be a JSON object');
  throw fault((body as Record<string, unknown>)[field as string], body as Record<string, unknown>);
}
