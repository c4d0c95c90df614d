//! The records the matching model learns from, free of personal data by construction.
//!
//! These types are the core's own: the `rocketmat` binary maps Greenhouse Harvest records into
//! them, and nothing here knows about HTTP or the Harvest wire format. They hold only what a
//! job-related match can use: job titles and requirement text, education levels and fields,
//! employment titles and dates, skill tags, the sourcing strategy and the stage history.
//!
//! No type has a field for a name, e-mail address, phone number, postal address or zip code,
//! social-profile URL, photo, date of birth or age, or any demographic or self-identification
//! answer. A record that cannot hold such data cannot leak it into a feature, a log line or a
//! model artifact. Group labels for the bias audit travel separately and never join these types.
//!
//! Dates on a candidate's history carry the time they became true (an employment's start, a
//! tag's `added_at`), so extractors can see a candidate exactly as known when an application was
//! created; see [`CandidateProfile::as_of`].

use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

macro_rules! id_newtype {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub u64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl From<u64> for $name {
            fn from(id: u64) -> Self {
                Self(id)
            }
        }
    };
}

id_newtype!(
    /// Identifier of a job (requisition) in the company's ATS.
    JobId
);
id_newtype!(
    /// Pseudonymous reference to a candidate: an opaque number, never a name or address.
    CandidateRef
);
id_newtype!(
    /// Identifier of one application of a candidate to a job.
    ApplicationId
);

/// Formal education level, ordered from lowest to highest.
///
/// `Unknown` holds degrees the ATS reports but that cannot be placed on the scale (e.g. an
/// unrecognised custom degree name); it never satisfies a requirement, see [`Self::rank`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EducationLevel {
    /// A degree that could not be placed on the scale.
    Unknown,
    /// Secondary school completion (high school diploma, GED, A-levels...).
    HighSchool,
    /// Associate degree or equivalent two-year qualification.
    Associate,
    /// Bachelor's degree.
    Bachelor,
    /// Master's degree (`MSc`, `MA`, `MBA`, `MEng`...).
    Master,
    /// Doctorate (`PhD`, `DPhil`...).
    Doctorate,
}

impl EducationLevel {
    /// All levels that can be compared, lowest first.
    pub const RANKED: [Self; 5] =
        [Self::HighSchool, Self::Associate, Self::Bachelor, Self::Master, Self::Doctorate];

    /// Position on the scale, 1 (high school) to 5 (doctorate); `None` for
    /// [`EducationLevel::Unknown`], so an unplaceable degree never counts as meeting a
    /// requirement.
    ///
    /// ```
    /// use rocketmat_core::domain::EducationLevel;
    /// assert!(EducationLevel::Master.rank() > EducationLevel::Bachelor.rank());
    /// assert_eq!(EducationLevel::Unknown.rank(), None);
    /// ```
    pub fn rank(self) -> Option<u8> {
        match self {
            Self::Unknown => None,
            Self::HighSchool => Some(1),
            Self::Associate => Some(2),
            Self::Bachelor => Some(3),
            Self::Master => Some(4),
            Self::Doctorate => Some(5),
        }
    }

    /// The highest rank, for normalising ranks into `0..=1`.
    pub const MAX_RANK: u8 = 5;
}

/// Structured requirements of a job, usually parsed from the job post with
/// [`crate::requirements::parse_requirements`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Requirements {
    /// Required skills as written in the post (normalised when matched).
    #[serde(default)]
    pub skills: Vec<String>,
    /// Minimum years of professional experience, if the post states one.
    #[serde(default)]
    pub min_years: Option<f64>,
    /// Minimum education level, if the post states one.
    #[serde(default)]
    pub min_education: Option<EducationLevel>,
}

impl Requirements {
    /// True when nothing was stated: no skills, no years, no education.
    pub fn is_empty(&self) -> bool {
        self.skills.is_empty() && self.min_years.is_none() && self.min_education.is_none()
    }
}

/// A job (requisition) as the model sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    /// The job's id.
    pub id: JobId,
    /// The job title, e.g. "Senior Backend Engineer".
    pub title: String,
    /// Department name, if any.
    #[serde(default)]
    pub department: Option<String>,
    /// Office or location name, if any. Used for grouping and reports, never as a feature of
    /// the candidate.
    #[serde(default)]
    pub location: Option<String>,
    /// Job post text with HTML allowed (extractors strip it); empty when unknown.
    #[serde(default)]
    pub requirement_text: String,
    /// Structured requirements.
    #[serde(default)]
    pub requirements: Requirements,
}

impl Job {
    /// A job whose structured requirements are parsed from its post text with
    /// [`crate::requirements::parse_requirements`].
    ///
    /// ```
    /// use rocketmat_core::domain::{Job, JobId};
    /// let job = Job::from_post(JobId(1), "Backend Engineer", "<li>Skills: Rust, Go</li>");
    /// assert_eq!(job.requirements.skills, ["Rust", "Go"]);
    /// ```
    pub fn from_post(id: JobId, title: impl Into<String>, post: impl Into<String>) -> Self {
        let requirement_text = post.into();
        let requirements = crate::requirements::parse_requirements(&requirement_text);
        Self {
            id,
            title: title.into(),
            department: None,
            location: None,
            requirement_text,
            requirements,
        }
    }
}

/// One education entry of a candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Education {
    /// Degree level.
    pub level: EducationLevel,
    /// Field of study (discipline), if known, e.g. "Computer Science".
    #[serde(default)]
    pub field: Option<String>,
    /// Start date, if known.
    #[serde(default)]
    pub start: Option<NaiveDate>,
    /// End (graduation) date, if known. A date after an application's creation means the
    /// degree was still in progress at that time.
    #[serde(default)]
    pub end: Option<NaiveDate>,
}

/// One employment entry of a candidate. The employer's name is deliberately absent: it says
/// little about the match and much about the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Employment {
    /// Job title held, e.g. "Backend Engineer"; may be empty.
    #[serde(default)]
    pub title: String,
    /// Start date, if known.
    #[serde(default)]
    pub start: Option<NaiveDate>,
    /// End date; `None` for a current position (or when unknown).
    #[serde(default)]
    pub end: Option<NaiveDate>,
}

/// A skill tag applied to a candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkillTag {
    /// Tag name, e.g. "Rust". Shared rather than owned because a company applies the same few
    /// tags to many candidates, and one copy of the name per application would dominate memory.
    pub name: Arc<str>,
    /// When the tag was applied. Required so that tags added after an application was created
    /// (often by a recruiter reviewing it) never feed that application's features; a mapper
    /// that cannot tell should use the latest plausible time, which errs towards leaving the
    /// tag out.
    pub added_at: DateTime<Utc>,
}

/// A candidate as the model sees it: pseudonymous id, education, employment and skill tags.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CandidateProfile {
    /// Pseudonymous reference.
    pub id: CandidateRef,
    /// Education history.
    #[serde(default)]
    pub educations: Vec<Education>,
    /// Employment history.
    #[serde(default)]
    pub employments: Vec<Employment>,
    /// Skill tags.
    #[serde(default)]
    pub tags: Vec<SkillTag>,
}

impl CandidateProfile {
    /// A view of this candidate as known at `at`: see [`AsOf`].
    pub fn as_of(&self, at: DateTime<Utc>) -> AsOf<'_> {
        AsOf { candidate: self, at, day: at.date_naive() }
    }
}

/// A candidate restricted to what was known at one instant (an application's `created_at`).
///
/// Every extractor reads the candidate through this view, which is what makes features free
/// of look-ahead: employments and educations that start after the instant, and tags added
/// after it, are invisible; an end date after the instant reads as "still ongoing".
/// Entries without a start date are kept: the profile is the candidate's own history, and
/// leaving them out would make missing dates look like missing experience.
#[derive(Debug, Clone, Copy)]
pub struct AsOf<'a> {
    candidate: &'a CandidateProfile,
    at: DateTime<Utc>,
    day: NaiveDate,
}

impl<'a> AsOf<'a> {
    /// The instant this view is taken at.
    pub fn at(&self) -> DateTime<Utc> {
        self.at
    }

    /// The calendar day (UTC) this view is taken at.
    pub fn day(&self) -> NaiveDate {
        self.day
    }

    /// The underlying candidate's pseudonymous id.
    pub fn id(&self) -> CandidateRef {
        self.candidate.id
    }

    /// Employments that had started by the instant. Their `end` may lie later; use
    /// [`Self::clamp_end`] to read it.
    pub fn employments(&self) -> impl Iterator<Item = &'a Employment> + 'a {
        let day = self.day;
        self.candidate.employments.iter().filter(move |e| e.start.is_none_or(|s| s <= day))
    }

    /// Educations that had started by the instant.
    pub fn educations(&self) -> impl Iterator<Item = &'a Education> + 'a {
        let day = self.day;
        self.candidate.educations.iter().filter(move |e| e.start.is_none_or(|s| s <= day))
    }

    /// Educations completed by the instant: started by then and not ending after it.
    pub fn completed_educations(&self) -> impl Iterator<Item = &'a Education> + 'a {
        let day = self.day;
        self.educations().filter(move |e| e.end.is_none_or(|end| end <= day))
    }

    /// Tags applied at or before the instant.
    pub fn tags(&self) -> impl Iterator<Item = &'a SkillTag> + 'a {
        let at = self.at;
        self.candidate.tags.iter().filter(move |t| t.added_at <= at)
    }

    /// An end date as seen at the instant: `None` (ongoing) or later dates become the day
    /// itself.
    pub fn clamp_end(&self, end: Option<NaiveDate>) -> NaiveDate {
        end.map_or(self.day, |e| e.min(self.day))
    }
}

/// The sourcing strategy an application came through (Greenhouse's source *type*, never the
/// source or referrer name), normalised by the mapper, e.g. "Referral", "Agencies".
pub type SourceType = String;

/// One entry in an application's stage history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageEntry {
    /// Zero-based position of the stage in the job's pipeline (0 = the first stage, usually
    /// "Application Review").
    pub index: u32,
    /// When the application entered the stage, if known.
    #[serde(default)]
    pub entered_at: Option<DateTime<Utc>>,
}

/// Who ended a rejected application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectionKind {
    /// The company rejected the candidate.
    ByCompany,
    /// The candidate withdrew.
    Withdrew,
}

/// The application's current status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    /// Still in process: no decision yet.
    Active,
    /// Rejected (see [`Application::rejection`] for by whom).
    Rejected,
    /// Hired.
    Hired,
    /// Converted (e.g. a prospect turned into a candidate); treated as undecided.
    Converted,
}

/// One application of a candidate to a job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Application {
    /// The application's id.
    pub id: ApplicationId,
    /// The job applied to.
    pub job_id: JobId,
    /// The candidate.
    pub candidate_id: CandidateRef,
    /// Sourcing strategy, if known.
    #[serde(default)]
    pub source_type: Option<SourceType>,
    /// When the application was created; features see the candidate as of this instant.
    pub created_at: DateTime<Utc>,
    /// Stages entered, in any order. Read only by labels, never by features.
    #[serde(default)]
    pub stages: Vec<StageEntry>,
    /// Who rejected, when rejected.
    #[serde(default)]
    pub rejection: Option<RejectionKind>,
    /// Current status.
    pub status: ApplicationStatus,
    /// When the candidate was hired, if hired.
    #[serde(default)]
    pub hired_at: Option<DateTime<Utc>>,
}

impl Application {
    /// The furthest stage index reached, `None` when no stage history is known.
    pub fn furthest_stage(&self) -> Option<u32> {
        self.stages.iter().map(|s| s.index).max()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn as_of_hides_later_history() {
        let at = Utc.with_ymd_and_hms(2024, 6, 1, 12, 0, 0).unwrap();
        let c = CandidateProfile {
            id: CandidateRef(1),
            educations: vec![
                Education {
                    level: EducationLevel::Bachelor,
                    field: None,
                    start: Some(day(2010, 9, 1)),
                    end: Some(day(2014, 6, 1)),
                },
                Education {
                    level: EducationLevel::Master,
                    field: None,
                    start: Some(day(2023, 9, 1)),
                    end: Some(day(2025, 6, 1)),
                },
            ],
            employments: vec![
                Employment { title: "a".into(), start: Some(day(2015, 1, 1)), end: None },
                Employment { title: "b".into(), start: Some(day(2024, 7, 1)), end: None },
            ],
            tags: vec![
                SkillTag { name: "rust".into(), added_at: at },
                SkillTag { name: "go".into(), added_at: at + chrono::Duration::seconds(1) },
            ],
        };
        let v = c.as_of(at);
        assert_eq!(v.employments().count(), 1);
        assert_eq!(v.educations().count(), 2);
        assert_eq!(v.completed_educations().count(), 1);
        assert_eq!(v.tags().map(|t| &*t.name).collect::<Vec<_>>(), ["rust"]);
        assert_eq!(v.clamp_end(Some(day(2030, 1, 1))), day(2024, 6, 1));
    }

    #[test]
    fn ids_serialise_transparently() {
        assert_eq!(serde_json::to_string(&JobId(7)).unwrap(), "7");
        assert_eq!(EducationLevel::Unknown.rank(), None);
        assert!(EducationLevel::HighSchool < EducationLevel::Doctorate);
    }
}
