//! The one error type of `rocketmat-core`.
//!
//! Every fallible function in the crate returns [`Result`]. Messages are lower case, carry no
//! final period and quote the offending value, so a log line is actionable on its own; the
//! underlying cause, when there is one, is reached through [`std::error::Error::source`].

/// Everything that can go wrong while extracting features, training, scoring, explaining,
/// auditing or (de)serialising a model.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Too little labelled history to train a trustworthy model: the caller should show
    /// "insufficient data", never a middling score.
    #[error(
        "insufficient data: {labelled} labelled applications with {positives} positives, \
         need at least {min_labelled} labelled and {min_positives} positives"
    )]
    InsufficientData {
        /// Labelled applications available.
        labelled: usize,
        /// Positive labels among them.
        positives: usize,
        /// Configured minimum of labelled applications.
        min_labelled: usize,
        /// Configured minimum of positives.
        min_positives: usize,
    },

    /// Training needs both classes and only one is present.
    #[error("only one class present in the training labels: {class}")]
    SingleClass {
        /// The only class seen (`true` = positive).
        class: bool,
    },

    /// A parameter failed validation.
    #[error("invalid parameter `{name}`: {value} ({reason})")]
    InvalidParameter {
        /// Parameter name.
        name: &'static str,
        /// The offending value, rendered.
        value: String,
        /// What range or shape was expected.
        reason: &'static str,
    },

    /// A serialised model artifact has a schema version this build cannot read.
    #[error("incompatible model artifact: schema version {found}, this build reads {expected}")]
    IncompatibleArtifact {
        /// Schema version found in the artifact.
        found: u32,
        /// Schema version this build understands.
        expected: u32,
    },

    /// An artifact names an extractor or scorer this build does not have, or at another version.
    #[error("unknown component `{name}` version {version} in model artifact")]
    UnknownComponent {
        /// Component name.
        name: String,
        /// Component version.
        version: u32,
    },

    /// Two arrays that must agree in shape do not.
    #[error("shape mismatch in {what}: expected {expected}, found {found}")]
    ShapeMismatch {
        /// What was being compared (e.g. "feature columns").
        what: &'static str,
        /// Expected size.
        expected: usize,
        /// Actual size.
        found: usize,
    },

    /// A feature value or score is NaN or infinite where a finite number is required.
    #[error("non-finite value in {what} at row {row}")]
    NonFinite {
        /// Where the value was found.
        what: &'static str,
        /// Row index.
        row: usize,
    },

    /// A model was used before being fitted.
    #[error("{what} used before fit")]
    NotFitted {
        /// The component that was not fitted.
        what: &'static str,
    },

    /// An error from a linfa algorithm.
    #[error("linfa: {0}")]
    Linfa(#[from] linfa::Error),

    /// Logistic regression in linfa failed.
    #[error("logistic regression failed")]
    Logistic(#[source] linfa_logistic::error::Error),

    /// Serialising or deserialising a model artifact or extractor state failed.
    #[error("serialisation failed: {context}")]
    Serialization {
        /// What was being (de)serialised.
        context: String,
        /// The serde error.
        #[source]
        source: serde_json::Error,
    },

    /// Reading or writing a model artifact file failed.
    #[error("i/o error on {path}")]
    Io {
        /// The path involved.
        path: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },

    /// An extractor reads an input outside the pipeline's feature allow-list.
    #[error("extractor `{extractor}` reads `{input}`, which is not on the feature allow-list")]
    InputNotAllowed {
        /// The extractor's name.
        extractor: String,
        /// The disallowed input field.
        input: String,
    },

    /// Input data rejected as invalid (e.g. duplicate ids, empty batch where one is required).
    #[error("invalid input: {0}")]
    InvalidInput(String),
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
