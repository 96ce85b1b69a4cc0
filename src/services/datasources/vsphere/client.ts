/**
 * A small client of the vSphere Web Services API (SOAP over HTTP, `urn:vim25`), enough for
 * the vcenter driver: the service content, a session (`Login`, its `vmware_soap_session`
 * cookie, renewed once when the server answers NotAuthenticated) and the properties of every
 * managed object of one type, read through a container view page by page. The original went
 * through oslo.vmware and suds; the requests here are the ones the vSphere API reference gives
 * for the same reads.
 */
import { XMLParser } from 'fast-xml-parser';
import { excerpt, type HttpClient, TextBody, UpstreamError, type HttpResponse } from '../openstack/http';

/** `urn:vim25/6.0`: every property the driver reads exists there, and later servers accept it. */
const SOAP_ACTION = '"urn:vim25/6.0"';

/** A managed object reference: `<obj type="HostSystem">host-10</obj>`. */
export interface MoRef {
  readonly type: string;
  readonly value: string;
}

/** One managed object with the properties asked for (unset properties are absent). */
export interface ObjectContent {
  readonly obj: MoRef;
  readonly props: ReadonlyMap<string, unknown>;
}

/** A SOAP fault: its `detail` element's type (`NotAuthenticated`, `InvalidLogin`, ...) and text. */
export class SoapFault extends UpstreamError {
  constructor(
    readonly faultType: string,
    message: string,
    status: number,
  ) {
    super(faultType === 'InvalidLogin' || faultType === 'NotAuthenticated' ? 'auth' : 'http', message, status);
  }
}

interface ServiceContent {
  readonly rootFolder: MoRef;
  readonly propertyCollector: MoRef;
  readonly viewManager: MoRef;
  readonly sessionManager: MoRef;
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const esc = (text: string): string => text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);
const moref = (tag: string, ref: MoRef): string => `<${tag} type="${esc(ref.type)}">${esc(ref.value)}</${tag}>`;

/** Elements that repeat in the answers read here; always lists, even with one item. */
const LISTS = new Set(['objects', 'propSet', 'PhysicalNic', 'HostVirtualNic', 'string']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => LISTS.has(name),
});

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

function textOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (isNode(v) && typeof v['#text'] === 'string') return v['#text'];
  return '';
}

function morefOf(v: unknown): MoRef {
  return { type: isNode(v) && typeof v['@type'] === 'string' ? v['@type'] : '', value: textOf(v) };
}

const NUMERIC_TYPES = new Set(['xsd:int', 'xsd:long', 'xsd:short', 'xsd:byte', 'xsd:float', 'xsd:double']);

/**
 * A property value as plain data: typed scalars by their `xsi:type` (numbers, booleans), a
 * managed object reference as its value, `ArrayOfString` as a list, complex values as objects
 * of their child elements (whose scalars stay text: their types are in the WSDL, not the answer).
 */
export function valueOf(v: unknown): unknown {
  if (!isNode(v)) return v ?? null;
  const type = typeof v['@type'] === 'string' ? v['@type'] : undefined;
  if (type === 'ArrayOfString') return Array.isArray(v.string) ? v.string.map(textOf) : [];
  const children = Object.keys(v).filter((k) => !k.startsWith('@') && k !== '#text');
  if (children.length === 0) {
    const text = textOf(v);
    if (type !== undefined && NUMERIC_TYPES.has(type) && text.trim() !== '') return Number(text);
    if (type === 'xsd:boolean') return text === 'true' || text === '1';
    return text;
  }
  const out: Record<string, unknown> = {};
  for (const k of children) out[k] = Array.isArray(v[k]) ? (v[k] as unknown[]).map(valueOf) : valueOf(v[k]);
  return out;
}

/** A session with one vCenter. */
export class VSphereClient {
  private content: ServiceContent | null = null;
  private cookie: string | null = null;

  constructor(
    private readonly http: HttpClient,
    /** The SDK endpoint, e.g. `https://vcenter.example.com/sdk`. */
    readonly sdkUrl: string,
    private readonly username: string,
    private readonly password: string,
  ) {}

  /**
   * Every object of `type` with the properties in `paths`, at most `max` of them. An expired
   * session is renewed once.
   */
  async retrieve(type: string, paths: readonly string[], max: number, signal: AbortSignal): Promise<ObjectContent[]> {
    try {
      return await this.retrieveOnce(type, paths, max, signal);
    } catch (error) {
      if (!(error instanceof SoapFault && error.faultType === 'NotAuthenticated')) throw error;
      this.cookie = null;
      return this.retrieveOnce(type, paths, max, signal);
    }
  }

  /** Ends the session; failures are of no interest to a datasource going away. */
  async logout(signal: AbortSignal): Promise<void> {
    if (this.content === null || this.cookie === null) return;
    await this.call('Logout', moref('_this', this.content.sessionManager), signal).catch(() => undefined);
    this.cookie = null;
  }

  private async retrieveOnce(type: string, paths: readonly string[], max: number, signal: AbortSignal): Promise<ObjectContent[]> {
    const sc = await this.session(signal);
    const viewBody = `${moref('_this', sc.viewManager)}${moref('container', sc.rootFolder)}<type>${esc(type)}</type><recursive>true</recursive>`;
    const view = morefOf(await this.call('CreateContainerView', viewBody, signal));
    try {
      const spec =
        `<specSet><propSet><type>${esc(type)}</type><all>false</all>${paths.map((p) => `<pathSet>${esc(p)}</pathSet>`).join('')}</propSet>` +
        `<objectSet>${moref('obj', view)}<skip>true</skip><selectSet xsi:type="TraversalSpec"><name>traverseView</name><type>ContainerView</type><path>view</path><skip>false</skip></selectSet></objectSet></specSet>`;
      const pc = moref('_this', sc.propertyCollector);
      let page = await this.call('RetrievePropertiesEx', `${pc}${spec}<options><maxObjects>${max}</maxObjects></options>`, signal);
      const out: ObjectContent[] = [];
      for (;;) {
        for (const o of isNode(page) && Array.isArray(page.objects) ? page.objects : []) out.push(objectContent(o));
        const token = isNode(page) ? textOf(page.token) : '';
        if (token === '') break;
        if (out.length >= max) {
          await this.call('CancelRetrievePropertiesEx', `${pc}<token>${esc(token)}</token>`, signal);
          break;
        }
        page = await this.call('ContinueRetrievePropertiesEx', `${pc}<token>${esc(token)}</token>`, signal);
      }
      return out.slice(0, max);
    } finally {
      await this.call('DestroyView', moref('_this', view), signal).catch(() => undefined);
    }
  }

  private async session(signal: AbortSignal): Promise<ServiceContent> {
    if (this.content === null) {
      const c = await this.call('RetrieveServiceContent', '<_this type="ServiceInstance">ServiceInstance</_this>', signal);
      const ref = (name: string): MoRef => {
        const r = morefOf(isNode(c) ? c[name] : undefined);
        if (r.value === '') throw new UpstreamError('malformed', `RetrieveServiceContent at ${this.sdkUrl} gave no ${name}`);
        return r;
      };
      this.content = { rootFolder: ref('rootFolder'), propertyCollector: ref('propertyCollector'), viewManager: ref('viewManager'), sessionManager: ref('sessionManager') };
    }
    if (this.cookie === null) {
      const body = `${moref('_this', this.content.sessionManager)}<userName>${esc(this.username)}</userName><password>${esc(this.password)}</password>`;
      const r = await this.post('Login', body, signal);
      const cookie = /vmware_soap_session=("[^"]*"|[^;,\s]*)/.exec(r.headers.get('set-cookie') ?? '')?.[0];
      if (cookie === undefined) throw new UpstreamError('malformed', `Login at ${this.sdkUrl} set no vmware_soap_session cookie`);
      this.cookie = cookie;
    }
    return this.content;
  }

  /** Calls a method; answers its `returnval` (every method called here returns at most one). */
  private async call(method: string, body: string, signal: AbortSignal): Promise<unknown> {
    const r = await this.post(method, body, signal);
    const answer = bodyOf(r.text, method, this.sdkUrl)[`${method}Response`];
    return isNode(answer) ? answer.returnval : undefined;
  }

  private async post(method: string, body: string, signal: AbortSignal): Promise<HttpResponse> {
    const headers: Record<string, string> = { SOAPAction: SOAP_ACTION, Accept: 'text/xml' };
    if (this.cookie !== null && method !== 'Login') headers.Cookie = this.cookie;
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
      'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
      `<soapenv:Body><${method} xmlns="urn:vim25">${body}</${method}></soapenv:Body></soapenv:Envelope>`;
    const r = await this.http.send({ method: 'POST', url: this.sdkUrl, headers, body: new TextBody(xml, 'text/xml; charset=utf-8'), signal, decode: 'text', acceptErrors: true });
    if (r.status >= 400) {
      const fault = faultOf(r.text);
      if (fault !== null) throw new SoapFault(fault.type, `${method} at ${this.sdkUrl} failed: ${fault.type}: ${fault.message}`, r.status);
      throw new UpstreamError('http', `${method} at ${this.sdkUrl} returned HTTP ${r.status}: ${excerpt(r.text)}`, r.status);
    }
    return r;
  }
}

function objectContent(o: unknown): ObjectContent {
  const node = isNode(o) ? o : {};
  const props = new Map<string, unknown>();
  for (const p of Array.isArray(node.propSet) ? node.propSet : []) {
    if (isNode(p) && typeof p.name === 'string') props.set(p.name, valueOf(p.val));
  }
  return { obj: morefOf(node.obj), props };
}

function parse(text: string): unknown {
  try {
    return parser.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** The children of the envelope's Body, or a 'malformed' error. */
function bodyOf(text: string, method: string, url: string): Node {
  const doc = parse(text);
  const body = isNode(doc) && isNode(doc.Envelope) ? doc.Envelope.Body : undefined;
  if (!isNode(body)) throw new UpstreamError('malformed', `${method} at ${url} answered no SOAP envelope: ${excerpt(text)}`);
  return body;
}

/** The fault of an error answer: the type of its detail (`InvalidLoginFault` → `InvalidLogin`) and its faultstring. */
function faultOf(text: string): { type: string; message: string } | null {
  const doc = parse(text);
  const body = isNode(doc) && isNode(doc.Envelope) ? doc.Envelope.Body : undefined;
  const fault = isNode(body) ? body.Fault : undefined;
  if (!isNode(fault)) return null;
  const detail = isNode(fault.detail) ? fault.detail : {};
  const element = Object.keys(detail).find((k) => !k.startsWith('@') && k !== '#text');
  const typed = element !== undefined && isNode(detail[element]) ? (detail[element] as Node)['@type'] : undefined;
  const type = typeof typed === 'string' ? typed : (element?.replace(/Fault$/, '') ?? textOf(fault.faultcode));
  return { type, message: textOf(fault.faultstring) };
}
