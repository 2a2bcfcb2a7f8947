// A small JSON Schema (draft 2020-12) checker for the keywords schemas/manifest.schema.json uses. Keywords it does
// not know make it throw, so the schema cannot grow past what this checks without the test saying so.

/** Annotations: no effect on validity. `format` is an annotation by default in 2020-12. */
const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', 'default', 'format', '$defs', 'examples']);
const ASSERTIONS = new Set([
  '$ref', 'type', 'const', 'enum', 'required', 'properties', 'additionalProperties', 'propertyNames', 'items',
  'pattern', 'minLength', 'minimum', 'anyOf',
]);

/**
 * Every place where `value` breaks `schema`, as `path: problem` lines (empty when it conforms).
 * @param {any} schema the root schema (its `$defs` are what `$ref`s point to)
 * @param {unknown} value
 * @returns {string[]}
 */
export function schemaErrors(schema, value) {
  /** @type {string[]} */
  const errors = [];
  check(schema, schema, value, '$', errors);
  return errors;
}

/**
 * @param {any} root
 * @param {any} schema
 * @param {unknown} value
 * @param {string} path
 * @param {string[]} errors
 */
function check(root, schema, value, path, errors) {
  if (schema === true) return;
  if (schema === false) {
    errors.push(`${path}: not allowed`);
    return;
  }
  for (const keyword of Object.keys(schema)) {
    if (!ANNOTATIONS.has(keyword) && !ASSERTIONS.has(keyword)) throw new Error(`the checker does not know ${keyword} (at ${path})`);
  }
  if (schema.$ref !== undefined) {
    const match = /^#\/\$defs\/([^/]+)$/.exec(schema.$ref);
    if (match === null || root.$defs?.[match[1]] === undefined) throw new Error(`unresolvable $ref ${schema.$ref}`);
    check(root, root.$defs[match[1]], value, path, errors);
  }
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((/** @type {string} */ t) => hasType(value, t))) {
      errors.push(`${path}: expected ${types.join(' or ')}, got ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}`);
      return;
    }
  }
  if ('const' in schema && JSON.stringify(schema.const) !== JSON.stringify(value)) errors.push(`${path}: must be ${JSON.stringify(schema.const)}`);
  if (schema.enum !== undefined && !schema.enum.some((/** @type {unknown} */ v) => JSON.stringify(v) === JSON.stringify(value))) {
    errors.push(`${path}: must be one of ${JSON.stringify(schema.enum)}`);
  }
  if (schema.anyOf !== undefined) {
    const passes = schema.anyOf.some((/** @type {any} */ sub) => {
      /** @type {string[]} */
      const inner = [];
      check(root, sub, value, path, inner);
      return inner.length === 0;
    });
    if (!passes) errors.push(`${path}: matches none of anyOf`);
  }
  if (typeof value === 'string') {
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) errors.push(`${path}: ${JSON.stringify(value)} does not match ${schema.pattern}`);
    if (schema.minLength !== undefined && [...value].length < schema.minLength) errors.push(`${path}: shorter than ${schema.minLength}`);
  }
  if (typeof value === 'number' && schema.minimum !== undefined && value < schema.minimum) errors.push(`${path}: below ${schema.minimum}`);
  if (Array.isArray(value) && schema.items !== undefined) {
    value.forEach((item, i) => check(root, schema.items, item, `${path}[${i}]`, errors));
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const object = /** @type {Record<string, unknown>} */ (value);
    for (const name of schema.required ?? []) {
      if (!(name in object)) errors.push(`${path}: missing ${name}`);
    }
    for (const [name, member] of Object.entries(object)) {
      const at = `${path}.${name}`;
      if (schema.propertyNames !== undefined) check(root, schema.propertyNames, name, `${at} (name)`, errors);
      if (schema.properties?.[name] !== undefined) check(root, schema.properties[name], member, at, errors);
      else if (schema.additionalProperties !== undefined) check(root, schema.additionalProperties, member, at, errors);
    }
  }
}

/**
 * @param {unknown} value
 * @param {string} type
 * @returns {boolean}
 */
function hasType(value, type) {
  switch (type) {
    case 'null': return value === null;
    case 'array': return Array.isArray(value);
    case 'object': return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'integer': return Number.isInteger(value);
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    case 'string': return typeof value === 'string';
    case 'boolean': return typeof value === 'boolean';
    default: throw new Error(`unknown type ${type}`);
  }
}
