/**
 * A small JSON Schema validator for the subset vectors/schema.json uses (ORA-VEC-1): type,
 * properties, required, additionalProperties (false or a schema), items, prefixItems, minItems,
 * maxItems, minimum, maximum, pattern, enum, const, oneOf, anyOf, $ref to "#/$defs/NAME".
 * Annotations ($schema, $id, title, description) are ignored; any other keyword is an error in
 * the schema itself, so the subset cannot silently grow.
 */

export type Schema = boolean | { [k: string]: unknown };

const KNOWN = new Set([
  '$schema', '$id', 'title', 'description', '$defs', '$ref', 'type', 'properties', 'required', 'additionalProperties',
  'items', 'prefixItems', 'minItems', 'maxItems', 'minimum', 'maximum', 'pattern', 'enum', 'const', 'oneOf', 'anyOf',
]);

const typeOf = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v;

const hasType = (v: unknown, t: string): boolean => {
  const k = typeOf(v);
  return k === t || (t === 'number' && k === 'integer');
};

/** Structural equality of JSON values (for const and enum). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  const ka = Object.keys(a), kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Errors found validating `value` against `schema` (empty: valid). Paths are JSON paths ($.a[0]). */
export function validate(schema: Schema, value: unknown, root: Schema = schema, path = '$'): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${path}: not allowed`];
  for (const k of Object.keys(schema)) if (!KNOWN.has(k)) throw new Error(`json-schema: unsupported keyword "${k}" at ${path}`);
  const errs: string[] = [];
  const s = schema;
  if (typeof s['$ref'] === 'string') {
    const m = /^#\/\$defs\/(.+)$/.exec(s['$ref']);
    const defs = typeof root === 'object' ? (root['$defs'] as Record<string, Schema> | undefined) : undefined;
    const target = m !== null ? defs?.[m[1]!] : undefined;
    if (target === undefined) throw new Error(`json-schema: cannot resolve ${s['$ref']}`);
    errs.push(...validate(target, value, root, path));
  }
  if (s['type'] !== undefined) {
    const types = Array.isArray(s['type']) ? (s['type'] as string[]) : [s['type'] as string];
    if (!types.some((t) => hasType(value, t))) return [...errs, `${path}: expected ${types.join(' or ')}, got ${typeOf(value)}`];
  }
  if ('const' in s && !jsonEqual(value, s['const'])) errs.push(`${path}: expected ${JSON.stringify(s['const'])}`);
  if (Array.isArray(s['enum']) && !s['enum'].some((e) => jsonEqual(e, value))) errs.push(`${path}: not one of ${JSON.stringify(s['enum'])}`);
  if (typeof value === 'number') {
    if (typeof s['minimum'] === 'number' && value < s['minimum']) errs.push(`${path}: below ${s['minimum']}`);
    if (typeof s['maximum'] === 'number' && value > s['maximum']) errs.push(`${path}: above ${s['maximum']}`);
  }
  if (typeof value === 'string' && typeof s['pattern'] === 'string' && !new RegExp(s['pattern']).test(value)) errs.push(`${path}: does not match ${s['pattern']}`);
  if (Array.isArray(value)) {
    if (typeof s['minItems'] === 'number' && value.length < s['minItems']) errs.push(`${path}: fewer than ${s['minItems']} items`);
    if (typeof s['maxItems'] === 'number' && value.length > s['maxItems']) errs.push(`${path}: more than ${s['maxItems']} items`);
    const prefix = Array.isArray(s['prefixItems']) ? (s['prefixItems'] as Schema[]) : [];
    value.forEach((item, i) => {
      const sub = i < prefix.length ? prefix[i] : (s['items'] as Schema | undefined);
      if (sub !== undefined) errs.push(...validate(sub, item, root, `${path}[${i}]`));
    });
  }
  if (typeOf(value) === 'object') {
    const o = value as Record<string, unknown>;
    const props = (s['properties'] ?? {}) as Record<string, Schema>;
    for (const r of (s['required'] ?? []) as string[]) if (!Object.prototype.hasOwnProperty.call(o, r)) errs.push(`${path}: missing "${r}"`);
    for (const [k, v] of Object.entries(o)) {
      if (Object.prototype.hasOwnProperty.call(props, k)) errs.push(...validate(props[k]!, v, root, `${path}.${k}`));
      else if (s['additionalProperties'] !== undefined) errs.push(...validate(s['additionalProperties'] as Schema, v, root, `${path}.${k}`));
    }
  }
  if (Array.isArray(s['oneOf'])) {
    const ok = (s['oneOf'] as Schema[]).filter((alt) => validate(alt, value, root, path).length === 0).length;
    if (ok !== 1) errs.push(`${path}: matches ${ok} of the oneOf alternatives, not exactly 1`);
  }
  if (Array.isArray(s['anyOf']) && !(s['anyOf'] as Schema[]).some((alt) => validate(alt, value, root, path).length === 0)) errs.push(`${path}: matches none of anyOf`);
  return errs;
}
