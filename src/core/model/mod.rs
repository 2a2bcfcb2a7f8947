//! Loading a model: options, limits, metadata, pre-checks on the protobuf, and errors.
mod error;
mod graph_checks;
mod inspect;
mod limits;
mod metadata;
mod options;
mod scan;

pub use error::{ModelError, UnsupportedOp};
pub use graph_checks::check_graph;
pub(crate) use graph_checks::node_label;
pub use inspect::{inspect, ModelReport};
pub use limits::{LimitError, Limits};
pub use metadata::{elem_type, ModelMetadata, Opset, ValueInfo};
pub use options::{Dim, LoadOptions};
pub(crate) use scan::read_in;
pub use scan::{scan, survey};
