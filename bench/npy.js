// Minimal .npy (format 1.0, little-endian, C order) reading and writing for the benchmark's inputs and outputs:
// the native bench binary reads the same files, so all three runtimes get the same bytes.

import { readFile, writeFile } from 'node:fs/promises';

/** @type {Record<string, [string, any]>} tensor type -> [numpy descr, typed array class] */
const TYPES = {
  float32: ['<f4', Float32Array], float64: ['<f8', Float64Array], int8: ['|i1', Int8Array], uint8: ['|u1', Uint8Array],
  int16: ['<i2', Int16Array], uint16: ['<u2', Uint16Array], int32: ['<i4', Int32Array], uint32: ['<u4', Uint32Array],
  int64: ['<i8', BigInt64Array], uint64: ['<u8', BigUint64Array], bool: ['|b1', Uint8Array],
};

/**
 * @typedef {{ type: string, dims: number[], data: ArrayBufferView & ArrayLike<number | bigint> }} NpyTensor
 */

/**
 * @param {string} path
 * @param {NpyTensor} tensor
 */
export async function writeNpy(path, tensor) {
  const entry = TYPES[tensor.type];
  if (entry === undefined) throw new Error(`npy: type ${tensor.type} is not supported`);
  const shape = tensor.dims.length === 1 ? `(${tensor.dims[0]},)` : `(${tensor.dims.join(', ')})`;
  let header = `{'descr': '${entry[0]}', 'fortran_order': False, 'shape': ${shape}, }`;
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  const body = Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
  await writeFile(path, Buffer.concat([head, Buffer.from(header, 'latin1'), body]));
}

/**
 * @param {string} path
 * @returns {Promise<NpyTensor>}
 */
export async function readNpy(path) {
  const bytes = await readFile(path);
  if (bytes.toString('latin1', 0, 6) !== '\x93NUMPY') throw new Error(`${path} is not a .npy file`);
  const major = bytes[6];
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = bytes.toString('latin1', start, start + headerLength);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1] ?? '';
  if (/'fortran_order':\s*True/.test(header)) throw new Error(`${path}: Fortran order is not supported`);
  const found = Object.entries(TYPES).find(([, [d]]) => d.slice(1) === descr?.slice(1));
  if (found === undefined) throw new Error(`${path}: dtype ${descr} is not supported`);
  const [type, [, ArrayClass]] = found;
  const dims = shape.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  const offset = start + headerLength;
  const copy = bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + bytes.length);
  return { type, dims, data: new ArrayClass(copy) };
}

/**
 * Agreement of two outputs: max |a − b| / max |b| (max |a − b| when b is all zeros); NaN equal to NaN;
 * Infinity when the lengths differ.
 * @param {ArrayLike<number | bigint>} a
 * @param {ArrayLike<number | bigint>} b
 */
export function maxRelative(a, b) {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i += 1) {
    const x = Number(a[i]);
    const y = Number(b[i]);
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    const d = Math.abs(x - y);
    worst = Number.isNaN(d) || d > worst ? (Number.isNaN(d) ? Infinity : d) : worst;
    if (Math.abs(y) > scale) scale = Math.abs(y);
  }
  return scale > 0 ? worst / scale : worst;
}
