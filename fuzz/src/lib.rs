//! Shared parts of the fuzz targets: input decoding (also replayed by the regression tests) and
//! the panic hook.
pub mod feeds;
pub mod manifest_input;

/// Makes every panic abort the process, including panics the core catches natively with
/// `catch_unwind`: in wasm (`panic = "abort"`) each of them is a trap.
pub fn abort_on_panic() {
    std::panic::set_hook(Box::new(|info| {
        eprintln!("{info}");
        std::process::abort();
    }));
}
