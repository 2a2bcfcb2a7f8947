// The module graph of the Cloudflare example, which workerd needs listed in its config (workerd resolves no files
// itself: every module the worker imports must be a `modules` entry named by its path from the repository root).
//
//   node www/examples/dev/modules.js     prints the `modules = [...]` list for www/examples/cloudflare/config.capnp
//
// The e2e test checks that the config lists exactly these modules, so a new file in the package shows up there.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
/** The Worker's main module, from the repository root. */
export const WORKER = 'www/examples/cloudflare/worker.js';
/** The config, from the repository root. */
export const CONFIG = 'www/examples/cloudflare/config.capnp';

/** Static `import ... from '...'`, `import '...'` and `export ... from '...'` with a relative specifier. */
const STATIC_IMPORT = /^\s*(?:import|export)\s(?:[^'";]*?\sfrom\s)?\s*['"](\.{1,2}\/[^'"]+)['"]/gm;

/**
 * Every module the worker reaches through static imports, from the repository root, main module first.
 * @returns {string[]}
 */
export function workerModules() {
  /** @type {string[]} */
  const found = [];
  /** @type {string[]} */
  const queue = [WORKER];
  while (queue.length > 0) {
    const name = /** @type {string} */ (queue.shift());
    if (found.includes(name)) continue;
    found.push(name);
    if (!name.endsWith('.js')) continue;
    const source = stripComments(readFileSync(path.join(REPO, name), 'utf8'));
    for (const match of source.matchAll(STATIC_IMPORT)) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(name), match[1]));
      if (!found.includes(target)) queue.push(target);
    }
  }
  return [found[0], ...found.slice(1).sort()];
}

/**
 * The kind of workerd module a file is.
 * @param {string} name
 * @returns {'esModule' | 'wasm' | 'data'}
 */
export function moduleKind(name) {
  if (name.endsWith('.js')) return 'esModule';
  if (name.endsWith('.wasm')) return 'wasm';
  return 'data';
}

/**
 * The modules the config lists: `[name, kind, embedded path]`.
 * @param {string} config the config's text
 * @returns {{ name: string, kind: string, file: string }[]}
 */
export function configModules(config) {
  const entry = /\(\s*name\s*=\s*"([^"]+)"\s*,\s*(esModule|wasm|data)\s*=\s*embed\s+"([^"]+)"\s*\)/g;
  return [...config.matchAll(entry)].map((m) => ({ name: m[1], kind: m[2], file: m[3] }));
}

/**
 * The `modules = [...]` list for the config.
 * @returns {string}
 */
export function modulesBlock() {
  const dir = path.posix.dirname(CONFIG);
  const lines = workerModules().map((name) => {
    const file = path.posix.relative(dir, name);
    return `    (name = "${name}", ${moduleKind(name)} = embed "${file}"),`;
  });
  return `  modules = [\n${lines.join('\n')}\n  ],`;
}

/**
 * Block and line comments out (crudely: enough for this package's sources, where no string holds `//` before
 * an import).
 * @param {string} source
 */
function stripComments(source) {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  console.log(modulesBlock());
}
