//! Sticky, deterministic A/B assignment. The bucket of a user key is the first 8 bytes of
//! sha256(key), big-endian, modulo 10,000; a version owns the buckets
//! [sum of the weights before it, that sum plus its weight) scaled to 10,000, versions taken in
//! ascending semver order. A server reproduces it with any sha256.
use super::super::integrity::sha256_hex;

/// Buckets per key space.
pub const BUCKETS: u64 = 10_000;

/// The bucket (0..10,000) of `key`.
pub fn bucket_of(key: &str) -> u64 {
    let hex = sha256_hex(key.as_bytes());
    u64::from_str_radix(&hex[..16], 16).unwrap_or(0) % BUCKETS
}

/// The version `key` is assigned to, given (version, weight) pairs; weights are relative and
/// need not sum to 100. `None` when every weight is zero or the list is empty.
pub fn assign_variant(key: &str, weights: &[(String, f64)]) -> Option<String> {
    let mut sorted: Vec<&(String, f64)> = weights
        .iter()
        .filter(|(_, w)| w.is_finite() && *w > 0.0)
        .collect();
    sorted.sort_by(
        |a, b| match (semver::Version::parse(&a.0), semver::Version::parse(&b.0)) {
            (Ok(x), Ok(y)) => x.cmp(&y),
            _ => a.0.cmp(&b.0),
        },
    );
    let total: f64 = sorted.iter().map(|(_, w)| w).sum();
    if total <= 0.0 {
        return None;
    }
    let bucket = bucket_of(key) as f64;
    let mut upper = 0.0;
    for (version, w) in &sorted {
        upper += w / total * BUCKETS as f64;
        if bucket < upper {
            return Some(version.clone());
        }
    }
    sorted.last().map(|(v, _)| v.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sticky_and_close_to_the_weights() {
        let weights = vec![("1.0.0".to_owned(), 90.0), ("1.1.0".to_owned(), 10.0)];
        assert_eq!(
            assign_variant("user-42", &weights),
            assign_variant("user-42", &weights)
        );
        let n = 10_000;
        let canary = (0..n)
            .filter(|i| assign_variant(&format!("user-{i}"), &weights).as_deref() == Some("1.1.0"))
            .count();
        let share = canary as f64 / n as f64;
        assert!((share - 0.10).abs() < 0.02, "{share}");
        assert_eq!(assign_variant("x", &[]), None);
        // sha256("abc") starts ba7816bf8f01cfea: 0xba7816bf8f01cfea % 10000.
        assert_eq!(bucket_of("abc"), 0xba78_16bf_8f01_cfeau64 % 10_000);
    }
}
