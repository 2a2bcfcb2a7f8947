// A real registry for the tests: made with the native CLI (`onnx-edge keygen`, `publish`, `alias`) in a temp
// folder, served by `onnx-edge serve` on 127.0.0.1 with a bounded lifetime.
//
// iris@1.0.0, 1.2.0 and 1.3.0 are iris_rf.onnx with a different ONNX doc_string each (so three distinct files);
// `stable` names 1.0.0 at publish, then moves to 1.2.0; `canary` names 1.3.0.

import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { REPO } from '../../test-support/fixtures.js';

const run = promisify(execFile);

/** The CLI binary (built by someone else: never by these tests). */
export const CLI = process.env.ONNX_EDGE_CLI ?? path.join(REPO, 'target', 'debug', 'onnx-edge');

/** The model every version is made from. */
export const IRIS = path.join(REPO, 'tests', 'fixtures', 'models', 'iris_rf.onnx');

/** The versions published, oldest first, with the doc_string that tells them apart. */
export const VERSIONS = /** @type {const} */ (['1.0.0', '1.2.0', '1.3.0']);

/**
 * Why the CLI cannot be used (a skip reason), or false.
 * @returns {string | false}
 */
export function cliMissing() {
  return existsSync(CLI) ? false : `no CLI at ${CLI} yet (cargo build -p onnx-edge-cli)`;
}

/**
 * Why the wasm build cannot verify manifests (a skip reason), or false.
 * @returns {Promise<string | false>}
 */
export async function wasmMissing() {
  const glue = await readFile(path.join(REPO, 'www', 'dist', 'onnx_edge.js'), 'utf8').catch(() => '');
  return glue.includes('verifyManifest') && glue.includes('resolveModel') ? false : 'www/dist predates verifyManifest/resolveModel (make wasm)';
}

/**
 * Run the CLI; rejects with its stderr when it fails.
 * @param {string[]} args
 * @returns {Promise<{ stdout: string, stderr: string }>}
 */
export async function cli(...args) {
  try {
    return await run(CLI, args, { timeout: 60_000, maxBuffer: 16 << 20 });
  } catch (error) {
    const e = /** @type {{ stderr?: string, stdout?: string, code?: unknown }} */ (error);
    throw new Error(`onnx-edge ${args.join(' ')} failed (exit ${String(e.code)}): ${e.stderr ?? ''}${e.stdout ?? ''}`, { cause: error });
  }
}

/**
 * iris_rf.onnx with another doc_string: a ModelProto field 6 appended (for a repeated-once string field protobuf
 * keeps the last one), so each version is a different, valid file.
 * @param {Uint8Array} bytes
 * @param {string} docString
 * @returns {Uint8Array}
 */
export function withDocString(bytes, docString) {
  const text = new TextEncoder().encode(docString);
  if (text.length > 127) throw new Error('keep the doc_string under 128 bytes (one-byte length)');
  const out = new Uint8Array(bytes.length + 2 + text.length);
  out.set(bytes);
  out.set([0x32, text.length], bytes.length);
  out.set(text, bytes.length + 2);
  return out;
}

/** The doc_string of a version. @param {string} version */
export const docStringOf = (version) => `iris ${version}`;

/**
 * @typedef {object} TestRegistry
 * @property {string} root the temp folder (holds `registry/`, the keys and the model variants)
 * @property {string} dir the registry folder (manifest.json and the content-addressed files)
 * @property {string} keyFile the secret key
 * @property {string} publicKey base64
 * @property {string} otherPublicKey a key that did not sign it
 * @property {Record<string, { sha256: string, size: number, bytes: Uint8Array }>} files by version
 * @property {() => Promise<void>} remove
 */

/**
 * keygen + publish three versions + move `stable`, signed.
 * @returns {Promise<TestRegistry>}
 */
export async function makeRegistry() {
  const root = await mkdtemp(path.join(os.tmpdir(), 'onnx-edge-registry-'));
  const dir = path.join(root, 'registry');
  const keyBase = path.join(root, 'keys', 'publisher');
  const { stdout: keyOut } = await cli('keygen', '--out', keyBase);
  const keyFile = `${keyBase}.key`;
  const publicKey = (await readFile(`${keyBase}.pub`, 'utf8')).trim();
  if (!keyOut.includes(publicKey)) throw new Error(`keygen printed ${JSON.stringify(keyOut)}, not the public key in ${keyBase}.pub`);
  const { stdout: otherOut } = await cli('keygen', '--out', path.join(root, 'keys', 'stranger'));
  const otherPublicKey = (await readFile(path.join(root, 'keys', 'stranger.pub'), 'utf8')).trim();
  void otherOut;

  const iris = new Uint8Array(await readFile(IRIS));
  /** @type {TestRegistry['files']} */
  const files = {};
  for (const version of VERSIONS) {
    const bytes = withDocString(iris, docStringOf(version));
    const file = path.join(root, `iris-${version}.onnx`);
    await writeFile(file, bytes);
    const aliases = version === '1.0.0' ? ['--alias', 'stable'] : version === '1.3.0' ? ['--alias', 'canary'] : [];
    await cli('publish', file, '--name', 'iris', '--version', version, '--registry', dir, ...aliases, '--sign', keyFile);
    files[version] = { sha256: '', size: bytes.length, bytes };
  }
  await cli('alias', dir, 'iris', 'stable', '1.2.0', '--sign', keyFile);
  const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
  for (const version of VERSIONS) files[version].sha256 = manifest.models.iris.versions[version].sha256;
  return { root, dir, keyFile, publicKey, otherPublicKey, files, remove: () => rm(root, { recursive: true, force: true }) };
}

/**
 * @typedef {object} Served
 * @property {string} url `http://127.0.0.1:PORT`
 * @property {string} manifestUrl
 * @property {() => Promise<void>} stop SIGTERM, then wait for the exit
 */

/**
 * `onnx-edge serve DIR --port 0 --host 127.0.0.1 --lifetime-secs N`: the first stdout line names the URL.
 * @param {string} dir
 * @param {{ lifetimeSecs?: number, extra?: string[] }} [options]
 * @returns {Promise<Served>}
 */
export async function serve(dir, options = {}) {
  const child = spawn(CLI, ['serve', dir, '--port', '0', '--host', '127.0.0.1', '--lifetime-secs', String(options.lifetimeSecs ?? 120), ...(options.extra ?? [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`onnx-edge serve printed no URL in 15 s: ${out}${stderr}`)), 15_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const newline = out.indexOf('\n');
      if (newline < 0) return;
      clearTimeout(timer);
      const match = /^serving .* on (http:\/\/127\.0\.0\.1:(\d+))\s*$/.exec(out.slice(0, newline));
      if (match === null || match[2] === '0') reject(new Error(`unexpected first line from onnx-edge serve: ${JSON.stringify(out.slice(0, newline))}`));
      else resolve(match[1]);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`onnx-edge serve exited (${code}) before printing its URL: ${stderr}`));
    });
  }).catch(async (error) => {
    child.kill('SIGTERM');
    await exited;
    throw error;
  });
  let stopped = false;
  return {
    url: /** @type {string} */ (url),
    manifestUrl: `${url}/manifest.json`,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
