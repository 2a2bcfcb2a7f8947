//! One pass over the published .tar before tract reads it: the model description that
//! `onnx-edge publish --format nnef` stores beside graph.nnef, and a bound on every tensor file
//! (a .dat header promising more bytes than its entry holds would make tract allocate them).
use std::io::Read;

use serde_json::Value;

use crate::error::SlimError;

/// The entry the publisher adds: `{ "metadata": <the model's metadata as the full build reports it> }`.
pub const DESCRIPTION: &str = "onnx-edge.json";

/// The size of a tract .dat header.
const DAT_HEADER: usize = 128;

/// Reads the description and checks the tensor files against their entries and `max_elements`.
pub fn scan(bytes: &[u8], max_elements: usize) -> Result<Value, SlimError> {
    let bad = |what: String| SlimError::parse(what);
    let mut archive = tar::Archive::new(bytes);
    let entries = archive
        .entries()
        .map_err(|e| bad(format!("not a tar archive: {e}")))?;
    let mut description = None;
    let mut graph = false;
    for entry in entries {
        let mut entry = entry.map_err(|e| bad(format!("not a tar archive: {e}")))?;
        let path = entry
            .path()
            .map_err(|e| bad(format!("an entry's path: {e}")))?
            .to_string_lossy()
            .trim_start_matches("./")
            .to_owned();
        let size = entry.size() as usize;
        if path == DESCRIPTION {
            let mut text = String::new();
            entry
                .read_to_string(&mut text)
                .map_err(|e| bad(format!("{DESCRIPTION}: {e}")))?;
            let value: Value =
                serde_json::from_str(&text).map_err(|e| bad(format!("{DESCRIPTION}: {e}")))?;
            description = Some(value);
        } else if path == "graph.nnef" {
            graph = true;
        } else if path.ends_with(".dat") {
            let mut header = [0u8; DAT_HEADER];
            entry
                .read_exact(&mut header)
                .map_err(|_| bad(format!("tensor file {path} is shorter than its header")))?;
            check_dat(&path, &header, size, max_elements)?;
        }
    }
    if !graph {
        return Err(bad(
            "no graph.nnef: not an NNEF model (the slim build runs what `onnx-edge publish --format nnef` writes)"
                .to_owned(),
        ));
    }
    description.ok_or_else(|| {
        bad(format!(
            "no {DESCRIPTION}: publish the model with `onnx-edge publish --format nnef`"
        ))
    })
}

fn u32_at(header: &[u8; DAT_HEADER], offset: usize) -> usize {
    u32::from_le_bytes([
        header[offset],
        header[offset + 1],
        header[offset + 2],
        header[offset + 3],
    ]) as usize
}

/// data_size_bytes (offset 4), rank (8) and dims (12..44) of a tract tensor header.
fn check_dat(
    path: &str,
    header: &[u8; DAT_HEADER],
    size: usize,
    max_elements: usize,
) -> Result<(), SlimError> {
    let data_bytes = u32_at(header, 4);
    if DAT_HEADER + data_bytes > size {
        return Err(SlimError::parse(format!(
            "tensor file {path} promises {data_bytes} bytes and holds {}",
            size.saturating_sub(DAT_HEADER)
        )));
    }
    let rank = u32_at(header, 8).min(8);
    let elements = (0..rank)
        .map(|ix| u32_at(header, 12 + 4 * ix))
        .try_fold(1usize, |acc, d| acc.checked_mul(d));
    match elements {
        Some(n) if n <= max_elements => Ok(()),
        _ => Err(SlimError::new(
            "LIMIT_EXCEEDED",
            format!("tensor {path} has more elements than the limit of {max_elements} (limits.maxTensorElements)"),
            serde_json::json!({ "kind": "declaredElements", "name": path, "limit": max_elements }),
        )),
    }
}
