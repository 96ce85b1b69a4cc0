/**
 * Bodies of the datasource routes (api.md §6.2–§10), published in the OpenAPI document. They are
 * checked by the datasource layer behind the bus, because which error wins depends on what only
 * it knows: an unknown driver is reported before a malformed `config` (the creation schema is
 * the manager's own, refined there with the installed drivers), and a datasource whose driver
 * takes no pushed rows answers "not supported" before its body is looked at.
 */
import { z } from 'zod';
import { datasourceBody } from '../../services/datasources';
import { anyJson } from './fields';

/** `POST /v1/data-sources`: the schema the datasource manager validates with (drivers known there). */
export const datasourceCreateBody = datasourceBody();

/** `PUT /v1/data-sources/<ds>/tables/<t>/rows` (push drivers): rows as arrays or column objects. */
export const rowsBody = z.array(z.union([z.array(anyJson), z.record(z.string(), anyJson)]));

/** `POST /v1/data-sources/<ds>/webhook`: whatever the driver's webhook understands. */
export const webhookBody = anyJson;
