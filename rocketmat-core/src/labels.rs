//! Training labels: which past applications count as good matches, which as poor ones, and
//! which are left out of training.
//!
//! Labels read an application's outcome (stages reached, rejection, hire) and are the only
//! part of the core that may: features never do. The default target is
//! [`Target::ReachedStage`]`(1)`:
//!
//! | Application | Label |
//! |---|---|
//! | hired | positive |
//! | reached stage index ≥ 1 (advanced past the first stage) | positive |
//! | rejected by the company without advancing | negative |
//! | withdrew (at any stage, unless hired) | left out |
//! | still in process without advancing, converted, or rejected by an unknown party | left out |
//!
//! Withdrawals are left out because they say nothing about the match as the company judged
//! it; undecided applications because their outcome is not known yet. Setting
//! [`LabelPolicy::withdrawn_after_advancing_positive`] counts a candidate who advanced and then
//! withdrew as positive (the company had judged them a match).

use serde::{Deserialize, Serialize};

use crate::domain::{Application, ApplicationStatus, RejectionKind};

/// What a positive label means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "stage")]
pub enum Target {
    /// Positive when hired or when the application reached the stage with this zero-based
    /// index (1 = advanced past the first stage); negative when the company rejected it
    /// before that stage.
    ReachedStage(u32),
    /// Positive when hired; negative when the company rejected the application at any stage.
    Hired,
}

impl Default for Target {
    fn default() -> Self {
        Self::ReachedStage(1)
    }
}

/// Why an application has no training label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Exclusion {
    /// The candidate withdrew.
    Withdrew,
    /// No decision yet (in process, converted, or rejected with no known party).
    Undecided,
}

/// The label of one application under a policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Label {
    /// A good match by the company's own judgement.
    Positive,
    /// A poor match by the company's own judgement.
    Negative,
    /// Left out of training.
    Excluded(Exclusion),
}

impl Label {
    /// `Some(true)` for positive, `Some(false)` for negative, `None` when excluded.
    pub fn as_bool(self) -> Option<bool> {
        match self {
            Self::Positive => Some(true),
            Self::Negative => Some(false),
            Self::Excluded(_) => None,
        }
    }
}

/// How applications become training labels; see the [module docs](self) for the default.
///
/// # Examples
/// ```
/// use chrono::Utc;
/// use rocketmat_core::domain::*;
/// use rocketmat_core::labels::{Label, LabelPolicy};
///
/// let app = Application {
///     id: ApplicationId(1),
///     job_id: JobId(1),
///     candidate_id: CandidateRef(1),
///     source_type: None,
///     created_at: Utc::now(),
///     stages: vec![StageEntry { index: 0, entered_at: None }],
///     rejection: Some(RejectionKind::ByCompany),
///     status: ApplicationStatus::Rejected,
///     hired_at: None,
/// };
/// assert_eq!(LabelPolicy::default().label(&app), Label::Negative);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelPolicy {
    /// What counts as positive.
    #[serde(default)]
    pub target: Target,
    /// Count a withdrawal after reaching the target stage as positive instead of leaving it
    /// out. Default `false`. Has no effect with [`Target::Hired`].
    #[serde(default)]
    pub withdrawn_after_advancing_positive: bool,
}

impl LabelPolicy {
    /// The label of `app`.
    pub fn label(&self, app: &Application) -> Label {
        let hired = app.status == ApplicationStatus::Hired || app.hired_at.is_some();
        if hired {
            return Label::Positive;
        }
        let withdrew = app.rejection == Some(RejectionKind::Withdrew);
        let rejected_by_company = app.rejection == Some(RejectionKind::ByCompany)
            && app.status == ApplicationStatus::Rejected;
        match self.target {
            Target::Hired => {
                if withdrew {
                    Label::Excluded(Exclusion::Withdrew)
                } else if rejected_by_company {
                    Label::Negative
                } else {
                    Label::Excluded(Exclusion::Undecided)
                }
            }
            Target::ReachedStage(stage) => {
                let advanced = app.furthest_stage().is_some_and(|s| s >= stage);
                if withdrew {
                    if advanced && self.withdrawn_after_advancing_positive {
                        Label::Positive
                    } else {
                        Label::Excluded(Exclusion::Withdrew)
                    }
                } else if advanced {
                    Label::Positive
                } else if rejected_by_company {
                    Label::Negative
                } else {
                    Label::Excluded(Exclusion::Undecided)
                }
            }
        }
    }

    /// The label as `Option<bool>`: `None` when excluded from training.
    pub fn label_bool(&self, app: &Application) -> Option<bool> {
        self.label(app).as_bool()
    }
}
