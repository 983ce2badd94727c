/** One-line renderings of io-ts validation errors, naming the JSON path of the first failure. */
import type * as t from 'io-ts';

/** The JSON path of a validation error, like `$.devices.uart`. */
export const errorPath = (e: t.ValidationError): string =>
  '$' + e.context.slice(1).map((c) => (/^\d+$/.test(c.key) ? `[${c.key}]` : `.${c.key}`)).join('');

/** "at $.path: expected TYPE, got VALUE" for the first error. */
export function formatErrors(errs: t.Errors): string {
  const e = errs[0];
  if (!e) return 'invalid value';
  const last = e.context[e.context.length - 1];
  const got = JSON.stringify(e.value);
  return `at ${errorPath(e)}: expected ${last?.type.name ?? 'value'}, got ${got === undefined ? 'nothing' : got.slice(0, 60)}`;
}
