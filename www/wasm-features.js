// Which of the packaged wasm builds this runtime can run: the default one uses wasm SIMD (+simd128), the baseline
// build does not (hosts without SIMD: old Safari, some embedded runtimes). Detected by validating a tiny module, so
// nothing is compiled or run, and no eval is needed (strict CSP works).

/** The packaged builds (wasm-pack.toml's variants). */
export const WASM_VARIANTS = /** @type {const} */ (['simd', 'baseline']);

/** @typedef {typeof WASM_VARIANTS[number]} WasmVariant */
/** @typedef {WasmVariant | 'auto'} VariantChoice */

/**
 * `(module (func (result v128) i32.const 0 i8x16.splat i8x16.popcnt))`: valid only where wasm SIMD is. popcnt
 * came late to the SIMD proposal, so runtimes with an early, incomplete SIMD (which our build cannot use) fail too.
 */
export const SIMD_PROBE = Uint8Array.of(
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x0a, 0x0a, 0x01, 0x08, 0x00, // code section: one body of 8 bytes, no locals
  0x41, 0x00, 0xfd, 0x0f, 0xfd, 0x62, 0x0b, // i32.const 0, i8x16.splat, i8x16.popcnt, end
);

/**
 * Whether this runtime accepts `bytes` as a wasm module (false, not an exception, where WebAssembly.validate
 * throws or is missing).
 * @param {BufferSource} bytes
 * @returns {boolean}
 */
export function wasmValidates(bytes) {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(bytes);
  } catch {
    return false;
  }
}

/** @type {boolean | undefined} */
let simd;

/**
 * Whether this runtime has wasm SIMD (checked once per realm).
 * @returns {boolean}
 */
export function wasmSimdSupported() {
  simd ??= wasmValidates(SIMD_PROBE);
  return simd;
}

/**
 * The build to load for a choice: `simd` or `baseline` as asked, and for `auto` the SIMD build where SIMD is.
 * @param {VariantChoice} choice
 * @param {boolean} [simdSupported]
 * @returns {WasmVariant}
 */
export function chooseVariant(choice, simdSupported = wasmSimdSupported()) {
  if (choice === 'auto') return simdSupported ? 'simd' : 'baseline';
  return choice;
}
