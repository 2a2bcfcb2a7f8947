//! A loaded fixture run with arbitrary feeds (names, dtypes, dims, values) and fetches: Ok or a
//! typed error, never a panic. Sessions are loaded once and kept, as an application keeps them.
#![no_main]
use std::sync::Mutex;

use libfuzzer_sys::fuzz_target;
use onnx_edge::{LoadOptions, Session};
use onnx_edge_fuzz::feeds::{decode, fixture_of, FIXTURES};

static SESSIONS: Mutex<Vec<Session>> = Mutex::new(Vec::new());

fuzz_target!(
    init: {
        onnx_edge_fuzz::abort_on_panic();
        let mut sessions = SESSIONS.lock().unwrap();
        for (name, bytes) in FIXTURES {
            let session = Session::load(bytes, LoadOptions::default());
            sessions.push(session.unwrap_or_else(|e| panic!("fixture {name} does not load: {e}")));
        }
    },
    |data: &[u8]| {
        let mut sessions = SESSIONS.lock().unwrap();
        let session = &mut sessions[fixture_of(data)];
        let outputs = session.output_names().to_vec();
        let call = decode(data, &session.metadata().inputs, &outputs);
        let _ = session.run(call.feeds, call.fetches.as_deref());
    }
);
