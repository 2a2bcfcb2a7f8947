//! The manifest's Ed25519 signature: over the canonical JSON of the manifest without its
//! `signature` member (object keys sorted, no whitespace), so key order and formatting of the
//! file never matter and a server can reproduce the bytes with any JSON library that sorts keys.
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde_json::{Map, Value};

use super::IntegrityError;

fn signature_error(reason: impl Into<String>) -> IntegrityError {
    IntegrityError::Signature {
        reason: reason.into(),
    }
}

/// The bytes that are signed: the manifest minus `signature`, keys sorted, compact.
pub fn canonical_bytes(manifest: &Value) -> Vec<u8> {
    let mut unsigned = manifest.clone();
    if let Value::Object(map) = &mut unsigned {
        map.remove("signature");
    }
    // serde_json's Map is a BTreeMap (no preserve_order feature): keys serialize sorted.
    serde_json::to_vec(&sorted(unsigned)).unwrap_or_default()
}

fn sorted(v: Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, sorted(v)))
                .collect::<Map<_, _>>(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

/// The base64 public key of a 32-byte Ed25519 secret key.
pub fn public_key_base64(secret: &[u8; 32]) -> String {
    BASE64.encode(SigningKey::from_bytes(secret).verifying_key().to_bytes())
}

/// Adds (or replaces) `signature` with an Ed25519 signature by `secret`.
pub fn sign_manifest(manifest: &mut Value, secret: &[u8; 32]) -> Result<(), IntegrityError> {
    let key = SigningKey::from_bytes(secret);
    let signature = key.sign(&canonical_bytes(manifest));
    let Value::Object(map) = manifest else {
        return Err(IntegrityError::Manifest {
            reason: "the manifest is not a JSON object".into(),
        });
    };
    map.insert(
        "signature".into(),
        serde_json::json!({
            "algorithm": "ed25519",
            "publicKey": BASE64.encode(key.verifying_key().to_bytes()),
            "value": BASE64.encode(signature.to_bytes()),
        }),
    );
    Ok(())
}

/// Parses `text` and checks its signature against `public_key` (base64 of 32 bytes); returns the
/// parsed manifest only when it verifies.
pub fn verify_manifest(text: &str, public_key: &str) -> Result<Value, IntegrityError> {
    let manifest: Value = serde_json::from_str(text).map_err(|e| IntegrityError::Manifest {
        reason: format!("not valid JSON: {e}"),
    })?;
    let key_bytes = BASE64
        .decode(public_key.trim())
        .map_err(|e| signature_error(format!("the trusted key is not base64: {e}")))?;
    let key_bytes: [u8; 32] = key_bytes
        .try_into()
        .map_err(|_| signature_error("the trusted key must be 32 bytes"))?;
    let key = VerifyingKey::from_bytes(&key_bytes)
        .map_err(|e| signature_error(format!("the trusted key is invalid: {e}")))?;
    let signature = manifest
        .get("signature")
        .ok_or_else(|| signature_error("the manifest is not signed"))?;
    if signature.get("algorithm").and_then(Value::as_str) != Some("ed25519") {
        return Err(signature_error("signature.algorithm must be \"ed25519\""));
    }
    let value = signature
        .get("value")
        .and_then(Value::as_str)
        .ok_or_else(|| signature_error("signature.value is missing"))?;
    let sig_bytes = BASE64
        .decode(value)
        .map_err(|e| signature_error(format!("signature.value is not base64: {e}")))?;
    let sig_bytes: [u8; 64] = sig_bytes
        .try_into()
        .map_err(|_| signature_error("signature.value must be 64 bytes"))?;
    key.verify(
        &canonical_bytes(&manifest),
        &Signature::from_bytes(&sig_bytes),
    )
    .map_err(|_| {
        signature_error(
            "the signature does not match the trusted key (tampered manifest, or another key)",
        )
    })?;
    Ok(manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_verifies_and_catches_tampering() {
        let secret = [7u8; 32];
        let mut m = serde_json::json!({ "models": { "iris": { "b": 1, "a": [2, 3] } }, "schemaVersion": 1 });
        sign_manifest(&mut m, &secret).unwrap();
        let key = public_key_base64(&secret);
        let text = serde_json::to_string_pretty(&m).unwrap();
        assert_eq!(verify_manifest(&text, &key).unwrap()["schemaVersion"], 1);
        let tampered = text.replace("\"b\": 1", "\"b\": 2");
        assert!(matches!(
            verify_manifest(&tampered, &key),
            Err(IntegrityError::Signature { .. })
        ));
        let other = public_key_base64(&[8u8; 32]);
        assert!(matches!(
            verify_manifest(&text, &other),
            Err(IntegrityError::Signature { .. })
        ));
        assert!(matches!(
            verify_manifest("{", &key),
            Err(IntegrityError::Manifest { .. })
        ));
    }
}
