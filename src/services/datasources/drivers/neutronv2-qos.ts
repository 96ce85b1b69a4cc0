/**
 * The `neutronv2_qos` driver (spec §11): the QoS extension of the catalog's `network` service,
 * ports with their QoS policy bindings, and QoS policies with their rules, as the original reads
 * them through neutronclient (`GET /v2.0/ports`, `GET /v2.0/qos/policies`, `_links` paging).
 *
 * The bindings come from a port's `qos_policies` list, as the original reads them. Neutron itself
 * reports a port's policy as the scalar `qos_policy_id`, which the original never read, so against
 * a real Neutron its `qos_policy_port_bindings` was always empty; here a port without the list is
 * bound to its `qos_policy_id` (docs/differences.md). The original has no action execution (it is
 * not an `ExecutionDriver`), so neither has this driver.
 */
import { isRecord } from '../../../bus/json';
import type { DriverContext, DriverDefinition } from '../framework/driver';
import { OpenStackDriver, openstackOptions, ServiceClient } from '../openstack/openstack-driver';
import { schemaOf } from '../translation/schema';
import { VALUE, type FieldTranslator, type TableTranslator } from '../translation/translator';

const field = (fieldname: string, desc: string): FieldTranslator => ({ fieldname, desc, translator: VALUE });

/** The QoS driver's root translators, in poll order. */
export const NEUTRON_QOS_TRANSLATORS: readonly TableTranslator[] = [
  {
    'translation-type': 'HDICT',
    'table-name': 'ports',
    'selector-type': 'DICT_SELECTOR',
    'field-translators': [
      field('id', 'UUID of port'),
      {
        fieldname: 'qos_policies',
        translator: {
          'translation-type': 'LIST',
          'table-name': 'qos_policy_port_bindings',
          'parent-key': 'id',
          'parent-col-name': 'port_id',
          'parent-key-desc': 'UUID of port',
          'val-col': 'qos_policy_id',
          'val-col-desc': 'UUID of qos policy',
          translator: VALUE,
        },
      },
    ],
  },
  {
    'translation-type': 'HDICT',
    'table-name': 'policies',
    'selector-type': 'DICT_SELECTOR',
    'field-translators': [
      field('id', 'The UUID for the qos policy'),
      field('tenant_id', 'Tenant ID'),
      field('name', 'The qos policy name'),
      field('description', 'qos policy description'),
      field('shared', 'The qos policy share'),
      {
        fieldname: 'rules',
        translator: {
          'translation-type': 'HDICT',
          'table-name': 'rules',
          'parent-key': 'id',
          'parent-col-name': 'qos_policy_id',
          'parent-key-desc': 'uuid of qos policy',
          'selector-type': 'DICT_SELECTOR',
          'in-list': true,
          'field-translators': [
            // The original's description runs two words together; clients see it that way.
            field('id', 'The UUID for the QoS minimumbandwidth rule translator'),
            field('min_kbps', 'min_kbps bandwidth limit rule'),
            field('direction', 'minimum bandwidth rule direction'),
            field('type', 'type of qos rule'),
            field('dscp_mark', 'mark of the dscp rule'),
            field('max_burst_kbps', 'max_burst_kps limit'),
            field('max_kbps', 'max_kps bandwidth limit'),
          ],
        },
      },
    ],
  },
];

/** A port as the translator reads it: Neutron's scalar `qos_policy_id` as the list the original expected. */
function withPolicyList(port: unknown): unknown {
  if (!isRecord(port) || port.qos_policies !== undefined || typeof port.qos_policy_id !== 'string') return port;
  return { ...port, qos_policies: [port.qos_policy_id] };
}

/** A neutronv2_qos datasource. */
class NeutronQosDriver extends OpenStackDriver<ServiceClient> {
  private readonly network: ServiceClient;

  constructor(context: DriverContext) {
    super(context, NEUTRON_QOS_TRANSLATORS, []);
    const c = (this.network = new ServiceClient(this.session, { types: ['network'], interfaces: ['public'] }, this.http.maxPages));
    this.registerFetcher('ports', async (s) => (await c.list('/v2.0/ports', 'ports', 'links', s)).map(withPolicyList));
    this.registerFetcher('policies', (s) => c.list('/v2.0/qos/policies', 'policies', 'links', s));
  }

  protected actionClient(): ServiceClient {
    return this.network;
  }
}

/** The `neutronv2_qos` driver definition. */
export const neutronQosDriver: DriverDefinition = {
  id: 'neutronv2_qos',
  description: 'Datasource driver that interfaces with QoS extension of OpenStack Networking aka Neutron.',
  options: openstackOptions(),
  schema: () => schemaOf(NEUTRON_QOS_TRANSLATORS),
  create: (context) => new NeutronQosDriver(context),
};
