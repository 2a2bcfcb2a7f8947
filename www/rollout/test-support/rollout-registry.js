// Registries for the rollout tests, made with the native CLI (`onnx-edge keygen`, `publish --reference`, `alias`,
// `rollout`) in a temp folder and read by ModelRegistry from the manifest's file path (signed, verified with the
// public key), or served by `onnx-edge serve` for the browser test.

import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { FIXTURES, REPO } from '../../test-support/fixtures.js';
import { cli, cliMissing, withDocString } from '../../registry/test-support/registry-fixture.js';
import { ModelRegistry } from '../../registry/registry.js';

export { cliMissing, serve } from '../../registry/test-support/registry-fixture.js';

/** tests/fixtures/rollout: expected.json and the reference inputs of the gates. */
export const ROLLOUT_FIXTURES = path.join(FIXTURES, 'rollout');

/** The fixture models by role. */
export const MODELS = Object.freeze({
  logreg: path.join(FIXTURES, 'models', 'rollout_iris_logreg.onnx'),
  perturbed: path.join(FIXTURES, 'models', 'rollout_iris_logreg_perturbed.onnx'),
  erroring: path.join(FIXTURES, 'models', 'rollout_iris_erroring.onnx'),
  slow: path.join(FIXTURES, 'models', 'rollout_iris_slow.onnx'),
  rf: path.join(FIXTURES, 'models', 'iris_rf.onnx'),
  cnn: path.join(FIXTURES, 'models', 'cnn_digits.onnx'),
});

/** The iris gate's reference inputs (16 rows over the three classes). */
export const IRIS_REFERENCE = path.join(ROLLOUT_FIXTURES, 'iris_reference.npy');

/**
 * The figures tests/fixtures/gen/rollout_models.py computed with onnxruntime.
 * @returns {Promise<any>}
 */
export async function expectedFigures() {
  return JSON.parse(await readFile(path.join(ROLLOUT_FIXTURES, 'expected.json'), 'utf8'));
}

/**
 * Why the rollout tests cannot run here (a skip reason), or false: the CLI, the fixture models, and a wasm build
 * with the rollout functions are needed.
 * @returns {Promise<string | false>}
 */
export async function rolloutMissing() {
  const missing = cliMissing();
  if (missing) return missing;
  for (const file of Object.values(MODELS)) if (!existsSync(file)) return `no fixture ${file} (tests/fixtures/gen/rollout_models.py)`;
  const glue = await readFile(path.join(REPO, 'www', 'dist', 'onnx_edge.js'), 'utf8').catch(() => '');
  for (const fn of ['assignVariant', 'bucketOf', 'compareOutputs', 'agreement', 'classificationMetrics', 'SlidingQuantiles', 'resolveModel']) {
    if (!glue.includes(fn)) return `www/dist predates ${fn} (make wasm)`;
  }
  return false;
}

/**
 * @typedef {object} PublishSpec
 * @property {string} version
 * @property {string} model a path under MODELS
 * @property {string[]} [aliases]
 * @property {string | null} [reference] the .npy of reference inputs (default IRIS_REFERENCE; null for none)
 * @property {string} [docString] makes a distinct file of the same model (two versions of one model)
 */

/**
 * @typedef {object} RolloutRegistry
 * @property {string} root
 * @property {string} dir the registry folder
 * @property {string} manifestPath
 * @property {string} keyFile
 * @property {string} publicKey
 * @property {(spec: PublishSpec) => Promise<void>} publish
 * @property {(alias: string, version: string) => Promise<void>} alias
 * @property {(weights: Record<string, number>, shadow?: string) => Promise<void>} rollout
 * @property {(edit: (manifest: any) => void) => Promise<void>} editManifest change manifest.json, then sign it again
 *   (`onnx-edge rollout` with the rule unchanged)
 * @property {(options?: Partial<import('../../registry/registry.js').RegistryOptions>) => ModelRegistry} registry
 * @property {() => Promise<void>} remove
 */

/**
 * A signed registry with `name`'s versions published in order.
 * @param {string} name
 * @param {PublishSpec[]} versions
 * @returns {Promise<RolloutRegistry>}
 */
export async function makeRolloutRegistry(name, versions) {
  const root = await mkdtemp(path.join(os.tmpdir(), 'onnx-edge-rollout-'));
  const dir = path.join(root, 'registry');
  const keyBase = path.join(root, 'keys', 'publisher');
  await cli('keygen', '--out', keyBase);
  const keyFile = `${keyBase}.key`;
  const publicKey = (await readFile(`${keyBase}.pub`, 'utf8')).trim();
  const manifestPath = path.join(dir, 'manifest.json');
  let copies = 0;

  /** @param {PublishSpec} spec */
  async function publish(spec) {
    let file = spec.model;
    if (spec.docString !== undefined) {
      copies += 1;
      file = path.join(root, `copy-${copies}.onnx`);
      await writeFile(file, withDocString(new Uint8Array(await readFile(spec.model)), spec.docString));
    }
    const reference = spec.reference === undefined ? IRIS_REFERENCE : spec.reference;
    await cli('publish', file, '--name', name, '--version', spec.version, '--registry', dir, '--sign', keyFile,
      ...(reference === null ? [] : ['--reference', reference]),
      ...(spec.aliases ?? []).flatMap((a) => ['--alias', a]));
    // `publish --reference --sign` writes a signature that does not verify (`onnx-edge verify` says INVALID): it
    // signs the floats it computed, and they read back a bit differently from the text it wrote. Signing again from
    // the written file (any signed CLI write does) gives a manifest that verifies.
    if (reference !== null) await resign();
  }

  async function resign() {
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
    const rule = manifest.models[name].rollout;
    const pairs = Object.entries(rule?.weights ?? {}).map(([v, w]) => `${v}=${w}`).join(',');
    await cli('rollout', dir, name, '--weights', pairs, ...(rule?.shadow ? ['--shadow', rule.shadow] : []), '--sign', keyFile);
  }
  for (const spec of versions) await publish(spec);

  /** @type {ModelRegistry[]} */
  const made = [];
  return {
    root,
    dir,
    manifestPath,
    keyFile,
    publicKey,
    publish,
    alias: async (alias, version) => { await cli('alias', dir, name, alias, version, '--sign', keyFile); },
    rollout: async (weights, shadow) => {
      const pairs = Object.entries(weights).map(([v, w]) => `${v}=${w}`).join(',');
      await cli('rollout', dir, name, '--weights', pairs, ...(shadow === undefined ? [] : ['--shadow', shadow]), '--sign', keyFile);
    },
    editManifest: async (edit) => {
      const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
      edit(manifest);
      await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
      await resign();
    },
    registry: (options = {}) => {
      const registry = new ModelRegistry({ manifest: manifestPath, publicKey, cache: 'memory', ...options });
      made.push(registry);
      return registry;
    },
    remove: () => rm(root, { recursive: true, force: true }),
  };
}

/**
 * The `q` quantile of `values` by numpy's default (linear) method, to check the figures the core computed.
 * @param {readonly number[]} values
 * @param {number} q
 * @returns {number}
 */
export function linearQuantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}
