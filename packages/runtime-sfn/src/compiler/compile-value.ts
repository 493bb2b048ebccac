import { ChainDefinitionError, isTemplate, parsePath, toJsonPath, type ValueSpec } from '@stepwise/core';
import type { AslJson } from './asl-types';
import { compileTemplate, type PathCompiler, type Spill } from './compile-template';

/**
 * Writes one value spec into an ASL payload template (`Parameters`) under `key`: templates become
 * `key.$: States.Format(...)`, paths `key.$: $.path`, literals stay, objects nest. `spill` takes what would pass
 * the intrinsic-call limit of a field (see `compileTemplate`).
 * @internal
 */
export function putValue(
  target: { [key: string]: AslJson },
  key: string,
  spec: ValueSpec,
  stepId: string,
  jsonPath: PathCompiler = toJsonPath,
  spill?: Spill,
): void {
  if (typeof spec === 'string') {
    if (isTemplate(spec)) {
      const compiled = compileTemplate(spec, jsonPath, spill);
      if ('literal' in compiled) target[key] = compiled.literal;
      else target[`${key}.$`] = compiled.expression;
      return;
    }
    const path = parsePath(spec);
    if (path) target[`${key}.$`] = jsonPath(path);
    else target[key] = spec;
    return;
  }
  if (spec === null || typeof spec !== 'object') {
    target[key] = spec;
    return;
  }
  target[key] = compileObject(spec, stepId, jsonPath, spill);
}

/**
 * Compiles an object of value specs to an ASL payload template.
 * @internal
 */
export function compileObject(
  spec: { [key: string]: ValueSpec },
  stepId: string,
  jsonPath: PathCompiler = toJsonPath,
  spill?: Spill,
): { [key: string]: AslJson } {
  const out: { [key: string]: AslJson } = {};
  for (const [key, value] of Object.entries(spec)) {
    if (key.endsWith('.$')) {
      throw new ChainDefinitionError(`Step "${stepId}": key "${key}" ends with ".$", which ASL reserves.`, { stepId });
    }
    putValue(out, key, value, stepId, jsonPath, spill);
  }
  return out;
}
