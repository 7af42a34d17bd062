//! What a generated crate records about where it comes from: its `build-info.json`.

use serde_json::Value;

/// The origin of a generated crate: its spec, the spec's version and digest, and the git
/// commit it was built from (`None` in a tree that was generated, not released).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildInfo {
    /// The package name.
    pub name: String,
    /// The package version.
    pub version: String,
    /// The spec's name.
    pub spec: String,
    /// The spec's version.
    pub spec_version: String,
    /// `sha256:` and the digest of the spec.
    pub spec_digest: String,
    /// The commit the crate was built from.
    pub commit: Option<String>,
}

impl BuildInfo {
    /// Read the JSON of a `build-info.json`; fields that are missing read as empty.
    pub fn parse(json: &str) -> Self {
        let value: Value = serde_json::from_str(json).unwrap_or(Value::Null);
        let text = |name: &str| value[name].as_str().unwrap_or_default().to_owned();
        BuildInfo {
            name: text("name"),
            version: text("version"),
            spec: text("spec"),
            spec_version: text("spec_version"),
            spec_digest: text("spec_digest"),
            commit: value["commit"].as_str().map(str::to_owned),
        }
    }
}
