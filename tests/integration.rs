//! The one integration test binary (see STYLE.md): one module per area.
mod native {
    pub mod case_file;
    pub mod coverage;
    pub mod errors;
    pub mod fixtures;
    pub mod fuzz_regressions;
}
