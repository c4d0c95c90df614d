//! The versioned, deterministic serde artifact of a [`CompanyModel`].
//!
//! Layout (JSON): `schema_version`, `metadata` (creation time, training fingerprint, extractor
//! and scorer names and versions, feature names, metrics), `pipeline` (every extractor's
//! fitted state, vocabularies included) and `scorer` (name, version, fitted parameters). JSON
//! objects are written in struct order and floats in shortest round-trip form, so the same
//! model always gives the same bytes, and loading then saving reproduces them exactly.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{CompanyModel, Component, ModelMetadata, skill_explainer};
use crate::error::{Error, Result};
use crate::features::FeaturePipeline;
use crate::scoring::{ForestScorer, LogisticScorer, Scorer};

/// The artifact schema this build writes and reads. Bump it when the layout changes.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct ScorerEntry {
    name: String,
    version: u32,
    state: serde_json::Value,
}

#[derive(Serialize, Deserialize)]
struct Artifact {
    schema_version: u32,
    metadata: ModelMetadata,
    pipeline: serde_json::Value,
    scorer: ScorerEntry,
}

#[derive(Deserialize)]
struct VersionProbe {
    schema_version: u32,
}

fn ser_err(context: &str) -> impl FnOnce(serde_json::Error) -> Error + '_ {
    move |source| Error::Serialization { context: context.to_owned(), source }
}

impl CompanyModel {
    /// Serialises the model to its artifact bytes.
    ///
    /// # Errors
    /// [`Error::Serialization`] (not expected for built-in components).
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let artifact = Artifact {
            schema_version: SCHEMA_VERSION,
            metadata: self.metadata.clone(),
            pipeline: self.pipeline.state(),
            scorer: ScorerEntry {
                name: self.scorer.name().to_owned(),
                version: self.scorer.version(),
                state: self.scorer.state(),
            },
        };
        serde_json::to_vec(&artifact).map_err(ser_err("model artifact"))
    }

    /// Loads an artifact made with the default pipeline and a built-in scorer.
    ///
    /// # Errors
    /// [`Error::IncompatibleArtifact`] for another schema version; [`Error::UnknownComponent`]
    /// for an extractor or scorer this build lacks (use [`Self::from_bytes_with`] for custom
    /// ones); [`Error::Serialization`] for malformed bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let artifact = parse(bytes)?;
        let scorer: Box<dyn Scorer> = match (artifact.scorer.name.as_str(), artifact.scorer.version)
        {
            (LogisticScorer::NAME, LogisticScorer::VERSION) => Box::new(LogisticScorer::default()),
            (ForestScorer::NAME, ForestScorer::VERSION) => Box::new(ForestScorer::default()),
            (name, version) => {
                return Err(Error::UnknownComponent { name: name.to_owned(), version });
            }
        };
        assemble(artifact, FeaturePipeline::default_pipeline(), scorer)
    }

    /// Loads an artifact into a caller-built pipeline and scorer (for custom extractors or
    /// scorers); their names and versions must match the artifact's.
    ///
    /// # Errors
    /// As [`Self::from_bytes`].
    pub fn from_bytes_with(
        bytes: &[u8],
        pipeline: FeaturePipeline,
        scorer: Box<dyn Scorer>,
    ) -> Result<Self> {
        assemble(parse(bytes)?, pipeline, scorer)
    }

    /// Writes the artifact to a file.
    ///
    /// # Errors
    /// [`Error::Io`] or [`Error::Serialization`].
    pub fn save(&self, path: &Path) -> Result<()> {
        let bytes = self.to_bytes()?;
        std::fs::write(path, bytes)
            .map_err(|source| Error::Io { path: path.display().to_string(), source })
    }

    /// Reads an artifact file (default pipeline, built-in scorers).
    ///
    /// # Errors
    /// [`Error::Io`] or as [`Self::from_bytes`].
    pub fn load(path: &Path) -> Result<Self> {
        let bytes = std::fs::read(path)
            .map_err(|source| Error::Io { path: path.display().to_string(), source })?;
        Self::from_bytes(&bytes)
    }
}

fn parse(bytes: &[u8]) -> Result<Artifact> {
    // Read the version first, so a future layout gives a version error, not a field error.
    let probe: VersionProbe =
        serde_json::from_slice(bytes).map_err(ser_err("model artifact header"))?;
    if probe.schema_version != SCHEMA_VERSION {
        return Err(Error::IncompatibleArtifact {
            found: probe.schema_version,
            expected: SCHEMA_VERSION,
        });
    }
    serde_json::from_slice(bytes).map_err(ser_err("model artifact"))
}

fn assemble(
    artifact: Artifact,
    mut pipeline: FeaturePipeline,
    mut scorer: Box<dyn Scorer>,
) -> Result<CompanyModel> {
    if scorer.name() != artifact.scorer.name || scorer.version() != artifact.scorer.version {
        return Err(Error::UnknownComponent {
            name: artifact.scorer.name,
            version: artifact.scorer.version,
        });
    }
    pipeline.load_state(&artifact.pipeline)?;
    let described: Vec<Component> = super::describe(&pipeline);
    if described != artifact.metadata.extractors {
        let first = artifact.metadata.extractors.first();
        return Err(Error::UnknownComponent {
            name: first.map_or_else(String::new, |c| c.name.clone()),
            version: first.map_or(0, |c| c.version),
        });
    }
    if pipeline.feature_names() != artifact.metadata.feature_names {
        return Err(Error::ShapeMismatch {
            what: "feature names in artifact",
            expected: artifact.metadata.feature_names.len(),
            found: pipeline.feature_names().len(),
        });
    }
    scorer.load_state(&artifact.scorer.state)?;
    let skills = skill_explainer(&pipeline)?;
    Ok(CompanyModel { pipeline, scorer, metadata: artifact.metadata, skills })
}
