//! Loading a model: options, limits, metadata, pre-checks on the protobuf, and errors.
mod error;
mod limits;
mod metadata;
mod options;
mod scan;

pub use error::{ModelError, UnsupportedOp};
pub use limits::{LimitError, Limits};
pub use metadata::{ModelMetadata, Opset, ValueInfo};
pub use options::{Dim, LoadOptions};
pub use scan::scan;
