/**
 * Library policies: templates stored in their own table, never evaluated, instantiated into
 * live policies on request (api.md §11). Stateless over the store, like the original's
 * `__library` service.
 */
import { PolicyError } from '../../datalog/errors';
import { DuplicateError, type LibraryPolicyRecord, type PolicyStore } from '../../db';
import { EngineServiceError } from './errors';
import { checkLength, checkLibraryPolicyName } from './naming';
import type { LibraryApi, LibraryPolicyInfo, LibraryPolicySpec } from './types';

function info(r: LibraryPolicyRecord): LibraryPolicyInfo {
  return { id: r.id, name: r.name, abbreviation: r.abbreviation, description: r.description, kind: r.kind, rules: r.rules };
}

function notFound(id: string): EngineServiceError {
  return new EngineServiceError('library_policy_not_found', `No policy found with policy id ${id}`);
}

function duplicate(name: string): PolicyError {
  return new PolicyError(`Policy with name ${name} already exists`, 'policy_exists');
}

function checkSpec(spec: LibraryPolicySpec): LibraryPolicySpec {
  checkLibraryPolicyName(spec.name);
  checkLength('description', spec.description);
  for (const r of spec.rules) {
    checkLength('rule name', r.name);
    checkLength('rule comment', r.comment);
  }
  return { ...spec, kind: (spec.kind ?? 'nonrecursive').toLowerCase() };
}

/** Library policy CRUD on the store. */
export class LibraryService implements LibraryApi {
  constructor(private readonly store: PolicyStore) {}

  async listLibraryPolicies(): Promise<LibraryPolicyInfo[]> {
    return (await this.store.listLibraryPolicies()).map(info);
  }

  async getLibraryPolicy(id: string): Promise<LibraryPolicyInfo> {
    const r = await this.store.getLibraryPolicy(id);
    if (r === null) throw notFound(id);
    return info(r);
  }

  async getLibraryPolicyByName(name: string): Promise<LibraryPolicyInfo | null> {
    const r = await this.store.getLibraryPolicyByName(name);
    return r === null ? null : info(r);
  }

  async createLibraryPolicy(spec: LibraryPolicySpec): Promise<LibraryPolicyInfo> {
    const checked = checkSpec(spec);
    try {
      return info(await this.store.createLibraryPolicy(checked));
    } catch (err) {
      if (err instanceof DuplicateError) throw duplicate(spec.name);
      throw err;
    }
  }

  async replaceLibraryPolicy(id: string, spec: LibraryPolicySpec): Promise<LibraryPolicyInfo> {
    const checked = checkSpec(spec);
    let r: LibraryPolicyRecord | null;
    try {
      r = await this.store.replaceLibraryPolicy(id, checked);
    } catch (err) {
      if (err instanceof DuplicateError) throw duplicate(spec.name);
      throw err;
    }
    if (r === null) throw notFound(id);
    return info(r);
  }

  async deleteLibraryPolicy(id: string): Promise<LibraryPolicyInfo> {
    const r = await this.store.deleteLibraryPolicy(id);
    if (r === null) throw notFound(id);
    return info(r);
  }
}
