//! Turns fuzz bytes into one call of a fixture model: which fixture, which feeds (names, dtypes,
//! dims, values) and which fetches. Mostly well-formed (declared names, types and ranks, so calls
//! reach tract), sometimes not (wrong types, ranks, names, data lengths). Shared by the run_model
//! fuzz target and the regression tests (tests/native/fuzz_regressions.rs), so a stored crash
//! replays through the same decoding.
use onnx_edge::{DType, Dim, HostTensor, TensorData, ValueInfo};

/// The fixtures the target runs: small, and between them every input dtype, symbolic dims and
/// an `If` decided by an input.
pub const FIXTURES: [(&str, &[u8]); 5] = [
    (
        "iris_rf",
        include_bytes!("../../tests/fixtures/models/iris_rf.onnx"),
    ),
    (
        "digits_logreg",
        include_bytes!("../../tests/fixtures/models/digits_logreg.onnx"),
    ),
    (
        "cnn_digits",
        include_bytes!("../../tests/fixtures/models/cnn_digits.onnx"),
    ),
    (
        "if_input_scalar",
        include_bytes!("../../tests/fixtures/models/if_input_scalar.onnx"),
    ),
    (
        "identity_all_dtypes",
        include_bytes!("../../tests/fixtures/models/identity_all_dtypes.onnx"),
    ),
];

/// Most elements one fed tensor may hold (keeps each run fast and its memory small).
pub const MAX_ELEMENTS: usize = 4096;

/// One call: feeds in the order given, and the outputs asked for.
#[derive(Debug)]
pub struct Call {
    /// Index into [`FIXTURES`].
    pub fixture: usize,
    /// Named tensors, possibly inconsistent (dims and data length disagree).
    pub feeds: Vec<(String, HostTensor)>,
    /// `None` for every output.
    pub fetches: Option<Vec<String>>,
}

/// Reads bytes front to back; zeros once they run out, so every input decodes.
struct Reader<'a> {
    data: &'a [u8],
}

impl Reader<'_> {
    fn byte(&mut self) -> u8 {
        match self.data.split_first() {
            Some((first, rest)) => {
                self.data = rest;
                *first
            }
            None => 0,
        }
    }

    fn array<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        for b in &mut out {
            *b = self.byte();
        }
        out
    }

    fn text(&mut self) -> String {
        let len = usize::from(self.byte() % 12);
        let bytes: Vec<u8> = (0..len).map(|_| self.byte()).collect();
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

/// Which fixture `data` runs (its first byte).
pub fn fixture_of(data: &[u8]) -> usize {
    usize::from(data.first().copied().unwrap_or(0)) % FIXTURES.len()
}

/// Decodes the call; `inputs` and `outputs` are the loaded fixture's.
pub fn decode(data: &[u8], inputs: &[ValueInfo], outputs: &[String]) -> Call {
    let fixture = fixture_of(data);
    let mut r = Reader {
        data: data.get(1..).unwrap_or_default(),
    };
    let header = r.byte();
    // High bit clear: one feed per model input, in order. Set: up to 15 feeds, any names.
    let count = if header & 0x80 == 0 {
        inputs.len()
    } else {
        usize::from(header % 16)
    };
    let feeds = (0..count).map(|ix| feed(&mut r, ix, inputs)).collect();
    let fetch = r.byte();
    let fetches = (fetch >= 192).then(|| {
        let mut names: Vec<String> = outputs
            .iter()
            .enumerate()
            .filter(|(ix, _)| fetch & (1 << (ix % 6)) != 0)
            .map(|(_, name)| name.clone())
            .collect();
        if fetch & 0x20 != 0 {
            names.push(r.text());
        }
        names
    });
    Call {
        fixture,
        feeds,
        fetches,
    }
}

/// One feed. Its control byte picks, two bits each, name, dtype, dims and data: values 0 to 2
/// keep what the model declares, 3 departs from it.
fn feed(r: &mut Reader, ix: usize, inputs: &[ValueInfo]) -> (String, HostTensor) {
    let control = r.byte();
    let declared = (!inputs.is_empty()).then(|| &inputs[ix % inputs.len()]);
    let name = match declared {
        Some(info) if control & 0x03 != 3 => info.name.clone(),
        _ => r.text(),
    };
    let dtype = match declared.and_then(|i| i.dtype) {
        Some(dtype) if (control >> 2) & 0x03 != 3 => dtype,
        _ => DType::ALL[usize::from(r.byte()) % DType::ALL.len()],
    };
    let declared_dims = declared.and_then(|i| i.dims.as_ref());
    let dims = match declared_dims {
        Some(dims) if (control >> 4) & 0x03 != 3 => dims
            .iter()
            .map(|d| match d {
                Some(Dim::Fixed(v)) => usize::try_from(*v).unwrap_or(usize::MAX),
                _ => usize::from(r.byte() % 9),
            })
            .collect(),
        _ => free_dims(r),
    };
    let elements = dims
        .iter()
        .try_fold(1usize, |acc, d| acc.checked_mul(*d))
        .filter(|n| *n <= MAX_ELEMENTS);
    let len = match elements {
        Some(n) if control >> 6 != 3 => n,
        _ => usize::from(r.byte() % 32),
    };
    let data = values(r, dtype, len);
    (name, HostTensor { dims, data })
}

/// Any rank up to 5; dims mostly small, sometimes 0 or huge (a zero-element tensor may have
/// absurd dims).
fn free_dims(r: &mut Reader) -> Vec<usize> {
    let rank = usize::from(r.byte() % 6);
    (0..rank)
        .map(|_| match r.byte() {
            b @ 0..=239 => usize::from(b % 12),
            240..=247 => 0,
            _ => u32::from_le_bytes(r.array()) as usize,
        })
        .collect()
}

fn values(r: &mut Reader, dtype: DType, len: usize) -> TensorData {
    macro_rules! numbers {
        ($variant:ident, $t:ty) => {
            TensorData::$variant((0..len).map(|_| <$t>::from_le_bytes(r.array())).collect())
        };
    }
    match dtype {
        DType::Float32 => numbers!(Float32, f32),
        DType::Float64 => numbers!(Float64, f64),
        DType::Float16 => numbers!(Float16, u16),
        DType::Int8 => numbers!(Int8, i8),
        DType::Uint8 => numbers!(Uint8, u8),
        DType::Int16 => numbers!(Int16, i16),
        DType::Uint16 => numbers!(Uint16, u16),
        DType::Int32 => numbers!(Int32, i32),
        DType::Uint32 => numbers!(Uint32, u32),
        DType::Int64 => numbers!(Int64, i64),
        DType::Uint64 => numbers!(Uint64, u64),
        DType::Bool => TensorData::Bool((0..len).map(|_| r.byte()).collect()),
        DType::String => TensorData::String((0..len).map(|_| r.text()).collect()),
    }
}
