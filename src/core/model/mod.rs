//! Loading a model: options, limits, metadata, pre-checks on the protobuf, and errors.
mod error;
mod inspect;
mod limits;
mod metadata;
mod options;
mod scan;

pub use error::{ModelError, UnsupportedOp};
pub use inspect::{inspect, ModelReport};
pub use limits::{LimitError, Limits};
pub use metadata::{elem_type, ModelMetadata, Opset, ValueInfo};
pub use options::{Dim, LoadOptions};
pub use scan::{scan, survey};
