// Prints the raw, gzip -9 and brotli sizes of a .wasm file (the figures quoted in README.md).
import { readFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const file = process.argv[2];
const bytes = readFileSync(file);
const gzip = gzipSync(bytes, { level: 9 }).length;
const brotli = brotliCompressSync(bytes, {
  params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24 },
}).length;
const mb = (n) => (n / 1e6).toFixed(2);
console.log(`${file}: ${mb(bytes.length)} MB raw, ${mb(gzip)} MB gzip -9, ${mb(brotli)} MB brotli`);
