// Data types of VALUE translators (spec §2.9): normalisation, tolerated mismatches, enums.
import { Float } from '../../../src/datalog/value';
import { Bool, FloatingIPStatus, FloatType, IngressEgress, Int, IPAddress, IPNetwork, IPv4IPv6, NeutronStatus, Str } from '../../../src/services/datasources/translation/data-types';

describe('data types', () => {
  it.each([
    ['10.0.0.5', '10.0.0.5'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:1:0:0:0:1', '2001:db8:0:1::1'],
    ['FE80::0:1', 'fe80::1'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['::', '::'],
    ['1:0:2:0:3:0:4:0', '1:0:2:0:3:0:4:0'],
  ])('IPAddress %s → %s', (input, canonical) => {
    expect(IPAddress.marshal(input)).toEqual({ ok: true, value: canonical });
  });

  it('rejects what is not an address or a network with host bits', () => {
    expect(IPAddress.marshal('10.0.0.256').ok).toBe(false);
    expect(IPAddress.marshal('010.0.0.1').ok).toBe(false);
    expect(IPNetwork.marshal('10.0.0.0/24')).toEqual({ ok: true, value: '10.0.0.0/24' });
    expect(IPNetwork.marshal('2001:DB8::/32')).toEqual({ ok: true, value: '2001:db8::/32' });
    expect(IPNetwork.marshal('10.0.0.1/24').ok).toBe(false);
  });

  it('reads an IPv4 netmask or hostmask after the slash as Python ipaddress does (answers of the original)', () => {
    expect(IPNetwork.marshal('10.0.0.0/255.255.255.0')).toEqual({ ok: true, value: '10.0.0.0/24' });
    expect(IPNetwork.marshal('10.0.0.0/0.0.0.255')).toEqual({ ok: true, value: '10.0.0.0/24' });
    expect(IPNetwork.marshal('0.0.0.0/0.0.0.0')).toEqual({ ok: true, value: '0.0.0.0/0' });
    expect(IPNetwork.marshal('10.0.0.1/255.255.255.255')).toEqual({ ok: true, value: '10.0.0.1/32' });
    expect(IPNetwork.marshal('10.0.0.0/0024')).toEqual({ ok: true, value: '10.0.0.0/24' });
    for (const bad of ['10.0.0.0/0.0.0.0', '10.0.0.0/255.255.0.255', '10.0.0.0/255.255.255', '10.0.0.0/+24', '10.0.0.0/1.0.0.0', '2001:db8::/ffff::']) {
      expect(IPNetwork.marshal(bad).ok).toBe(false);
    }
  });

  it('checks scalars; null always passes', () => {
    expect(Str.marshal(1).ok).toBe(false);
    expect(Bool.marshal(true)).toEqual({ ok: true, value: true });
    expect(Int.marshal(4)).toEqual({ ok: true, value: 4 });
    expect(Int.marshal(4.5).ok).toBe(false);
    for (const t of [Str, Bool, Int, IPAddress, NeutronStatus]) expect(t.marshal(null)).toEqual({ ok: true, value: null });
  });

  it('converts between ints and floats as Python does (float(1) is 1.0, int(1.0) is 1, a bool is an int)', () => {
    expect(FloatType.marshal(1)).toEqual({ ok: true, value: new Float(1) });
    expect(FloatType.marshal(new Float(3))).toEqual({ ok: true, value: new Float(3) });
    expect(FloatType.marshal(2.5)).toEqual({ ok: true, value: 2.5 });
    expect(FloatType.marshal(true)).toEqual({ ok: true, value: new Float(1) });
    expect(FloatType.marshal('1.0')).toEqual({ ok: false, reason: '"1.0" is not a valid Float' });
    expect(Int.marshal(new Float(3))).toEqual({ ok: true, value: 3 });
    expect(Int.marshal(false)).toEqual({ ok: true, value: false });
    expect(Str.marshal(new Float(2))).toEqual({ ok: false, reason: '2.0 is not a valid Str' });
  });

  it('maps enum values outside the domain to the catch-all, or fails without one', () => {
    expect(NeutronStatus.marshal('ACTIVE')).toEqual({ ok: true, value: 'ACTIVE' });
    expect(NeutronStatus.marshal('PENDING_CREATE')).toEqual({ ok: true, value: 'OTHER' });
    expect(FloatingIPStatus.marshal('BUILD')).toEqual({ ok: true, value: 'OTHER' });
    expect(IngressEgress.marshal('sideways').ok).toBe(false);
    expect(IPv4IPv6.marshal(6)).toEqual({ ok: true, value: 6 });
    expect(IPv4IPv6.marshal(5).ok).toBe(false);
  });
});
