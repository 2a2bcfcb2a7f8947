//! Do the model bytes match the sha256 that the manifest promises?
use sha2::{Digest, Sha256};

use super::IntegrityError;

/// Lower-case hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Ok when `bytes` hash to `expected` (64 hex digits, any case).
pub fn check_sha256(url: &str, bytes: &[u8], expected: &str) -> Result<(), IntegrityError> {
    let actual = sha256_hex(bytes);
    if actual.eq_ignore_ascii_case(expected) {
        return Ok(());
    }
    Err(IntegrityError::Sha256Mismatch {
        url: url.to_owned(),
        expected: expected.to_owned(),
        actual,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_digests() {
        // FIPS 180-2 test vector.
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(check_sha256(
            "x",
            b"abc",
            "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"
        )
        .is_ok());
        let err = check_sha256("x", b"abd", &sha256_hex(b"abc")).unwrap_err();
        assert!(matches!(err, IntegrityError::Sha256Mismatch { .. }));
    }
}
