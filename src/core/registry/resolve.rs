//! `name`, `name@1.2.0`, `name@^1.2`, `name@stable`: which published version is meant.
use semver::{Version, VersionReq};
use serde::Serialize;

use super::{Manifest, RegistryError};

/// A resolved spec: enough to fetch and check the file.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Resolved {
    /// The model name.
    pub name: String,
    /// The exact version.
    pub version: String,
    /// The alias the spec named, if it named one.
    pub alias: Option<String>,
    /// Expected sha256 of the file.
    pub sha256: String,
    /// Expected size.
    pub size: u64,
    /// The file, relative to the manifest.
    pub url: String,
    /// Every alias that names this version now.
    pub aliases: Vec<String>,
}

/// Resolves `spec`. Without a version part: the `stable` alias, else the highest version. A part
/// that is an alias name wins over a range; otherwise the highest version in the range.
pub fn resolve(manifest: &Manifest, spec: &str) -> Result<Resolved, RegistryError> {
    let (name, wanted) = match spec.split_once('@') {
        Some((n, v)) => (n.trim(), Some(v.trim())),
        None => (spec.trim(), None),
    };
    let entry = manifest
        .models
        .get(name)
        .ok_or_else(|| RegistryError::UnknownModel {
            name: name.to_owned(),
            available: manifest.models.keys().cloned().collect(),
        })?;
    let mut versions: Vec<(Version, &String)> = entry
        .versions
        .keys()
        .filter_map(|v| Version::parse(v).ok().map(|p| (p, v)))
        .collect();
    versions.sort();
    let not_found = |spec: &str| RegistryError::VersionNotFound {
        name: name.to_owned(),
        spec: spec.to_owned(),
        available: versions.iter().map(|(_, s)| (*s).clone()).collect(),
        aliases: entry.aliases.keys().cloned().collect(),
    };
    let (version, alias) = match wanted {
        None | Some("") => match entry.aliases.get("stable") {
            Some(v) => (v.clone(), Some("stable".to_owned())),
            None => (
                versions
                    .last()
                    .map(|(_, s)| (*s).clone())
                    .ok_or_else(|| not_found("latest"))?,
                None,
            ),
        },
        Some(w) if entry.aliases.contains_key(w) => (entry.aliases[w].clone(), Some(w.to_owned())),
        Some(w) => {
            if let Ok(exact) = Version::parse(w) {
                let found = versions
                    .iter()
                    .find(|(v, _)| *v == exact)
                    .ok_or_else(|| not_found(w))?;
                ((*found.1).clone(), None)
            } else {
                let req = VersionReq::parse(w).map_err(|_| not_found(w))?;
                let found = versions
                    .iter()
                    .rev()
                    .find(|(v, _)| req.matches(v))
                    .ok_or_else(|| not_found(w))?;
                ((*found.1).clone(), None)
            }
        }
    };
    let v = entry
        .versions
        .get(&version)
        .ok_or_else(|| not_found(&version))?;
    Ok(Resolved {
        name: name.to_owned(),
        version: version.clone(),
        alias,
        sha256: v.sha256.clone(),
        size: v.size,
        url: v.file.clone(),
        aliases: entry
            .aliases
            .iter()
            .filter(|(_, t)| **t == version)
            .map(|(a, _)| a.clone())
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::registry::{ModelEntry, VersionEntry};

    fn manifest() -> Manifest {
        let mut entry = ModelEntry::default();
        for v in ["1.0.0", "1.2.0", "1.10.1", "2.0.0"] {
            entry.versions.insert(
                v.into(),
                VersionEntry {
                    file: format!("iris-{v}.onnx"),
                    ..Default::default()
                },
            );
        }
        entry.aliases.insert("stable".into(), "1.2.0".into());
        entry.aliases.insert("canary".into(), "2.0.0".into());
        let mut m = Manifest {
            schema_version: 1,
            ..Default::default()
        };
        m.models.insert("iris".into(), entry);
        m
    }

    #[test]
    fn resolves_exact_range_alias_and_default() {
        let m = manifest();
        assert_eq!(resolve(&m, "iris@1.0.0").unwrap().version, "1.0.0");
        assert_eq!(resolve(&m, "iris@^1.2").unwrap().version, "1.10.1");
        assert_eq!(resolve(&m, "iris@~1.2").unwrap().version, "1.2.0");
        assert_eq!(resolve(&m, "iris@canary").unwrap().version, "2.0.0");
        let stable = resolve(&m, "iris").unwrap();
        assert_eq!(
            (stable.version.as_str(), stable.alias.as_deref()),
            ("1.2.0", Some("stable"))
        );
        assert_eq!(stable.aliases, vec!["stable".to_owned()]);
    }

    #[test]
    fn names_what_exists_when_nothing_matches() {
        let m = manifest();
        match resolve(&m, "iris@^3").unwrap_err() {
            RegistryError::VersionNotFound {
                available, aliases, ..
            } => {
                assert_eq!(available, ["1.0.0", "1.2.0", "1.10.1", "2.0.0"]);
                assert_eq!(aliases, ["canary", "stable"]);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            resolve(&m, "digits"),
            Err(RegistryError::UnknownModel { .. })
        ));
    }
}
