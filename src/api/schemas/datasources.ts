/**
 * Bodies of the datasource routes (api.md §6.2–§10), published in the OpenAPI document only.
 * They are checked by the datasource layer behind the bus, because which error wins depends on
 * what only it knows: an unknown driver is reported before a malformed `config`, and a datasource
 * whose driver takes no pushed rows answers "not supported" before its body is looked at.
 */
import { z } from 'zod';
import { anyJson } from './fields';

/** `POST /v1/data-sources`. */
export const datasourceCreateBody = z.object({
  name: z.string().min(1).meta({ description: 'valid in the policy language, not starting with `_`' }),
  driver: z.string().meta({ description: 'an installed driver (GET /v1/system/drivers)' }),
  description: z.string().nullable().optional(),
  enabled: z.boolean().optional(),
  config: z.record(z.string(), anyJson).nullable().optional().meta({ description: "the driver's options" }),
});

/** `PUT /v1/data-sources/<ds>/tables/<t>/rows` (push drivers): rows as arrays or column objects. */
export const rowsBody = z.array(z.union([z.array(anyJson), z.record(z.string(), anyJson)]));

/** `POST /v1/data-sources/<ds>/webhook`: whatever the driver's webhook understands. */
export const webhookBody = anyJson;
