//! The element types a tensor can have at the API boundary, named as onnxruntime-web names them.
use std::fmt;

use serde::{Deserialize, Serialize};
use tract_onnx::prelude::DatumType;

/// An element type of a host tensor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DType {
    /// IEEE 754 single precision.
    Float32,
    /// IEEE 754 double precision.
    Float64,
    /// IEEE 754 half precision, carried as its 16 raw bits.
    Float16,
    /// Signed 8-bit integer.
    Int8,
    /// Unsigned 8-bit integer.
    Uint8,
    /// Signed 16-bit integer.
    Int16,
    /// Unsigned 16-bit integer.
    Uint16,
    /// Signed 32-bit integer.
    Int32,
    /// Unsigned 32-bit integer.
    Uint32,
    /// Signed 64-bit integer.
    Int64,
    /// Unsigned 64-bit integer.
    Uint64,
    /// Boolean, one byte each (0 or 1).
    Bool,
    /// UTF-8 string (outputs of some ai.onnx.ml models).
    String,
}

impl DType {
    /// Every type, in the order of the table in the README.
    pub const ALL: [DType; 13] = [
        DType::Float32,
        DType::Float64,
        DType::Float16,
        DType::Int8,
        DType::Uint8,
        DType::Int16,
        DType::Uint16,
        DType::Int32,
        DType::Uint32,
        DType::Int64,
        DType::Uint64,
        DType::Bool,
        DType::String,
    ];

    /// The onnxruntime-web name (`float32`, `int64`, ...).
    pub fn name(self) -> &'static str {
        match self {
            DType::Float32 => "float32",
            DType::Float64 => "float64",
            DType::Float16 => "float16",
            DType::Int8 => "int8",
            DType::Uint8 => "uint8",
            DType::Int16 => "int16",
            DType::Uint16 => "uint16",
            DType::Int32 => "int32",
            DType::Uint32 => "uint32",
            DType::Int64 => "int64",
            DType::Uint64 => "uint64",
            DType::Bool => "bool",
            DType::String => "string",
        }
    }

    /// Parses an onnxruntime-web type name.
    pub fn from_name(name: &str) -> Option<DType> {
        DType::ALL.into_iter().find(|d| d.name() == name)
    }

    /// The type tract computes with; quantized types map to their storage type.
    pub fn from_datum(dt: DatumType) -> Option<DType> {
        Some(match dt.unquantized() {
            DatumType::F32 => DType::Float32,
            DatumType::F64 => DType::Float64,
            DatumType::F16 => DType::Float16,
            DatumType::I8 => DType::Int8,
            DatumType::U8 => DType::Uint8,
            DatumType::I16 => DType::Int16,
            DatumType::U16 => DType::Uint16,
            DatumType::I32 => DType::Int32,
            DatumType::U32 => DType::Uint32,
            DatumType::I64 | DatumType::TDim => DType::Int64,
            DatumType::U64 => DType::Uint64,
            DatumType::Bool => DType::Bool,
            DatumType::String => DType::String,
            _ => return None,
        })
    }

    /// The tract datum type for this element type.
    pub fn to_datum(self) -> DatumType {
        match self {
            DType::Float32 => DatumType::F32,
            DType::Float64 => DatumType::F64,
            DType::Float16 => DatumType::F16,
            DType::Int8 => DatumType::I8,
            DType::Uint8 => DatumType::U8,
            DType::Int16 => DatumType::I16,
            DType::Uint16 => DatumType::U16,
            DType::Int32 => DatumType::I32,
            DType::Uint32 => DatumType::U32,
            DType::Int64 => DatumType::I64,
            DType::Uint64 => DatumType::U64,
            DType::Bool => DatumType::Bool,
            DType::String => DatumType::String,
        }
    }

    /// Bytes per element (strings count their pointer-sized slot).
    pub fn size_of(self) -> usize {
        match self {
            DType::Int8 | DType::Uint8 | DType::Bool => 1,
            DType::Float16 | DType::Int16 | DType::Uint16 => 2,
            DType::Float32 | DType::Int32 | DType::Uint32 => 4,
            DType::Float64 | DType::Int64 | DType::Uint64 => 8,
            DType::String => std::mem::size_of::<String>(),
        }
    }
}

impl fmt::Display for DType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for d in DType::ALL {
            assert_eq!(DType::from_name(d.name()), Some(d));
            assert_eq!(DType::from_datum(d.to_datum()), Some(d));
        }
        assert_eq!(DType::from_name("float"), None);
    }
}
