//! Tensors as the API holds them: a dtype, dims and a flat row-major vector, with no tract types.
use tract_onnx::prelude::*;
use tract_onnx::tract_hir::tract_ndarray::ArrayD;

use super::{DType, InputError};

/// The elements of a host tensor, one variant per [`DType`].
#[derive(Clone, Debug, PartialEq)]
#[allow(missing_docs)]
pub enum TensorData {
    Float32(Vec<f32>),
    Float64(Vec<f64>),
    /// Raw IEEE 754 half-precision bits.
    Float16(Vec<u16>),
    Int8(Vec<i8>),
    Uint8(Vec<u8>),
    Int16(Vec<i16>),
    Uint16(Vec<u16>),
    Int32(Vec<i32>),
    Uint32(Vec<u32>),
    Int64(Vec<i64>),
    Uint64(Vec<u64>),
    /// 0 is false, anything else true.
    Bool(Vec<u8>),
    String(Vec<String>),
}

/// Calls `$body` with `$v` bound to the inner vector of any variant.
macro_rules! with_vec {
    ($data:expr, $v:ident => $body:expr) => {
        match $data {
            TensorData::Float32($v) => $body,
            TensorData::Float64($v) => $body,
            TensorData::Float16($v) => $body,
            TensorData::Int8($v) => $body,
            TensorData::Uint8($v) => $body,
            TensorData::Int16($v) => $body,
            TensorData::Uint16($v) => $body,
            TensorData::Int32($v) => $body,
            TensorData::Uint32($v) => $body,
            TensorData::Int64($v) => $body,
            TensorData::Uint64($v) => $body,
            TensorData::Bool($v) => $body,
            TensorData::String($v) => $body,
        }
    };
}

impl TensorData {
    /// Every element as f64, for comparing outputs with references: float16 decoded, bools as 0
    /// or 1, int64 and uint64 rounded past 2^53, strings as NaN.
    pub fn to_f64(&self) -> Vec<f64> {
        match self {
            TensorData::Float32(v) => v.iter().map(|x| f64::from(*x)).collect(),
            TensorData::Float64(v) => v.clone(),
            TensorData::Float16(v) => v.iter().map(|b| f16::from_bits(*b).to_f64()).collect(),
            TensorData::Int8(v) => v.iter().map(|x| f64::from(*x)).collect(),
            TensorData::Uint8(v) | TensorData::Bool(v) => v.iter().map(|x| f64::from(*x)).collect(),
            TensorData::Int16(v) => v.iter().map(|x| f64::from(*x)).collect(),
            TensorData::Uint16(v) => v.iter().map(|x| f64::from(*x)).collect(),
            TensorData::Int32(v) => v.iter().map(|x| f64::from(*x)).collect(),
            TensorData::Uint32(v) => v.iter().map(|x| f64::from(*x)).collect(),
            TensorData::Int64(v) => v.iter().map(|x| *x as f64).collect(),
            TensorData::Uint64(v) => v.iter().map(|x| *x as f64).collect(),
            TensorData::String(v) => v.iter().map(|_| f64::NAN).collect(),
        }
    }

    /// The element type.
    pub fn dtype(&self) -> DType {
        match self {
            TensorData::Float32(_) => DType::Float32,
            TensorData::Float64(_) => DType::Float64,
            TensorData::Float16(_) => DType::Float16,
            TensorData::Int8(_) => DType::Int8,
            TensorData::Uint8(_) => DType::Uint8,
            TensorData::Int16(_) => DType::Int16,
            TensorData::Uint16(_) => DType::Uint16,
            TensorData::Int32(_) => DType::Int32,
            TensorData::Uint32(_) => DType::Uint32,
            TensorData::Int64(_) => DType::Int64,
            TensorData::Uint64(_) => DType::Uint64,
            TensorData::Bool(_) => DType::Bool,
            TensorData::String(_) => DType::String,
        }
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        with_vec!(self, v => v.len())
    }

    /// True when there are no elements.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A named-less tensor held by the host: dims plus row-major data.
#[derive(Clone, Debug, PartialEq)]
pub struct HostTensor {
    /// Dimensions, outermost first; `[]` is a scalar.
    pub dims: Vec<usize>,
    /// The elements; `data.len()` equals the product of `dims`.
    pub data: TensorData,
}

impl HostTensor {
    /// Checks that `data` holds exactly as many elements as `dims` promise.
    pub fn new(name: &str, dims: Vec<usize>, data: TensorData) -> Result<HostTensor, InputError> {
        let expected = dims.iter().try_fold(1usize, |acc, d| acc.checked_mul(*d));
        match expected {
            Some(n) if n == data.len() => Ok(HostTensor { dims, data }),
            _ => Err(InputError::DataLength {
                input: name.to_owned(),
                dims: dims.clone(),
                expected: expected.unwrap_or(usize::MAX),
                actual: data.len(),
            }),
        }
    }

    /// The element type.
    pub fn dtype(&self) -> DType {
        self.data.dtype()
    }

    /// Copies the data into a tract tensor (tract has no zero-copy constructor from a slice).
    pub fn to_tract(&self) -> TractResult<Tensor> {
        let dims = &self.dims;
        Ok(match &self.data {
            TensorData::Float32(v) => Tensor::from_shape(dims, v)?,
            TensorData::Float64(v) => Tensor::from_shape(dims, v)?,
            TensorData::Float16(v) => {
                let halves: Vec<f16> = v.iter().map(|b| f16::from_bits(*b)).collect();
                Tensor::from_shape(dims, &halves)?
            }
            TensorData::Int8(v) => Tensor::from_shape(dims, v)?,
            TensorData::Uint8(v) => Tensor::from_shape(dims, v)?,
            TensorData::Int16(v) => Tensor::from_shape(dims, v)?,
            TensorData::Uint16(v) => Tensor::from_shape(dims, v)?,
            TensorData::Int32(v) => Tensor::from_shape(dims, v)?,
            TensorData::Uint32(v) => Tensor::from_shape(dims, v)?,
            TensorData::Int64(v) => Tensor::from_shape(dims, v)?,
            TensorData::Uint64(v) => Tensor::from_shape(dims, v)?,
            TensorData::Bool(v) => {
                let bools: Vec<bool> = v.iter().map(|b| *b != 0).collect();
                Tensor::from_shape(dims, &bools)?
            }
            TensorData::String(v) => ArrayD::from_shape_vec(dims.clone(), v.clone())?.into(),
        })
    }

    /// Copies a tract tensor out; TDim becomes int64 and quantized types their storage type.
    pub fn from_tract(t: &Tensor) -> TractResult<HostTensor> {
        let dims = t.shape().to_vec();
        let dt = t.datum_type();
        let data = match dt.unquantized() {
            DatumType::F32 => TensorData::Float32(plain::<f32>(t)?),
            DatumType::F64 => TensorData::Float64(plain::<f64>(t)?),
            DatumType::F16 => {
                TensorData::Float16(plain::<f16>(t)?.into_iter().map(|h| h.to_bits()).collect())
            }
            DatumType::I8 => TensorData::Int8(plain_as::<i8>(t)?),
            DatumType::U8 => TensorData::Uint8(plain_as::<u8>(t)?),
            DatumType::I16 => TensorData::Int16(plain::<i16>(t)?),
            DatumType::U16 => TensorData::Uint16(plain::<u16>(t)?),
            DatumType::I32 => TensorData::Int32(plain_as::<i32>(t)?),
            DatumType::U32 => TensorData::Uint32(plain::<u32>(t)?),
            DatumType::I64 => TensorData::Int64(plain::<i64>(t)?),
            DatumType::TDim => TensorData::Int64(plain::<i64>(&*t.cast_to::<i64>()?)?),
            DatumType::U64 => TensorData::Uint64(plain::<u64>(t)?),
            DatumType::Bool => {
                TensorData::Bool(plain::<bool>(t)?.into_iter().map(u8::from).collect())
            }
            DatumType::String => {
                TensorData::String(t.try_as_plain_ram()?.as_slice::<String>()?.to_vec())
            }
            other => tract_onnx::tract_hir::internal::bail!(
                "output type {other:?} has no host representation"
            ),
        };
        Ok(HostTensor { dims, data })
    }
}

fn plain<T: Datum + Copy>(t: &Tensor) -> TractResult<Vec<T>> {
    Ok(t.try_as_plain_ram()?.as_slice::<T>()?.to_vec())
}

/// Quantized tensors store their values as the plain integer type.
fn plain_as<T: Datum + Copy>(t: &Tensor) -> TractResult<Vec<T>> {
    if t.datum_type().is_quantized() {
        let mut t = t.clone();
        // SAFETY: QI8/QU8/QI32 share the layout of i8/u8/i32; only the datum tag changes.
        unsafe { t.set_datum_type(T::datum_type()) };
        return plain::<T>(&t);
    }
    plain::<T>(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_length_mismatch() {
        let err = HostTensor::new("x", vec![2, 3], TensorData::Float32(vec![0.0; 5])).unwrap_err();
        assert!(matches!(
            err,
            InputError::DataLength {
                expected: 6,
                actual: 5,
                ..
            }
        ));
    }

    #[test]
    fn round_trips_every_type_through_tract() {
        let cases = vec![
            TensorData::Float32(vec![1.5, f32::NAN]),
            TensorData::Float64(vec![-2.25, f64::INFINITY]),
            TensorData::Float16(vec![0x3c00, 0x7c00]),
            TensorData::Int8(vec![-128, 127]),
            TensorData::Uint8(vec![0, 255]),
            TensorData::Int16(vec![-32768, 1]),
            TensorData::Uint16(vec![65535, 0]),
            TensorData::Int32(vec![i32::MIN, 7]),
            TensorData::Uint32(vec![u32::MAX, 0]),
            TensorData::Int64(vec![i64::MIN, i64::MAX]),
            TensorData::Uint64(vec![u64::MAX, 3]),
            TensorData::Bool(vec![0, 1]),
            TensorData::String(vec!["a".into(), "bc".into()]),
        ];
        for data in cases {
            let host = HostTensor::new("x", vec![2], data).unwrap();
            let back = HostTensor::from_tract(&host.to_tract().unwrap()).unwrap();
            match (&host.data, &back.data) {
                (TensorData::Float32(a), TensorData::Float32(b)) => {
                    assert_eq!(a[0], b[0]);
                    assert!(b[1].is_nan());
                }
                _ => assert_eq!(host, back),
            }
        }
    }
}
