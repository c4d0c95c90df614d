//! Job posts (`/v3/job_posts`): the published face of a job on a job board.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{DemographicQuestionSetId, JobBoardId, JobId, JobPostId};
use crate::models::support::null_as_default;
use crate::models::time;

open_enum! {
    /// The kind of answer an application question takes (`answer_type`, v1's vocabulary;
    /// unconfirmed for v3).
    QuestionAnswerType {
        /// One line of text.
        ShortText => "short_text",
        /// Free text.
        LongText => "long_text",
        /// A file.
        Attachment => "attachment",
        /// Yes or no.
        Boolean => "boolean",
        /// One choice of a list.
        MultiValueSingleSelect => "multi_value_single_select",
        /// Several choices of a list.
        MultiValueMultiSelect => "multi_value_multi_select",
    }
}

/// One application question on a job post.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobPostQuestion {
    /// The question as shown.
    #[serde(default)]
    pub label: Option<String>,
    /// The form field name.
    #[serde(default)]
    pub name: Option<String>,
    /// Whether an answer is required.
    #[serde(default)]
    pub required: Option<bool>,
    /// The kind of answer taken.
    #[serde(default)]
    pub answer_type: Option<QuestionAnswerType>,
}

/// A job post (`/v3/job_posts`).
// The four flags mirror four independent API fields, not a state machine to fold into an enum.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobPost {
    /// The post's id.
    pub id: JobPostId,
    /// The post's title.
    #[serde(default)]
    pub title: Option<String>,
    /// Whether the post is on the internal board.
    #[serde(default, deserialize_with = "null_as_default")]
    pub internal: bool,
    /// Whether the post is active.
    #[serde(default, deserialize_with = "null_as_default")]
    pub active: bool,
    /// Whether the post is published.
    #[serde(default, deserialize_with = "null_as_default")]
    pub live: bool,
    /// Whether the post is featured.
    #[serde(default, deserialize_with = "null_as_default")]
    pub featured: bool,
    /// When the post was first published.
    #[serde(default, with = "time::rfc3339_option")]
    pub first_published_at: Option<DateTime<Utc>>,
    /// The post's body (HTML).
    #[serde(default)]
    pub content: Option<String>,
    /// The post's language code.
    #[serde(default)]
    pub language: Option<String>,
    /// Where the post can be read.
    #[serde(default)]
    pub public_url: Option<String>,
    /// The demographic question set attached.
    #[serde(default)]
    pub demographic_question_set_id: Option<DemographicQuestionSetId>,
    /// The job posted.
    pub job_id: JobId,
    /// The board the post is on.
    #[serde(default)]
    pub job_board_id: Option<JobBoardId>,
    /// Application questions.
    #[serde(default, deserialize_with = "null_as_default")]
    pub questions: Vec<JobPostQuestion>,
    /// When the post was created.
    #[serde(default, with = "time::rfc3339_option")]
    pub created_at: Option<DateTime<Utc>>,
    /// When the post was last updated.
    #[serde(default, with = "time::rfc3339_option")]
    pub updated_at: Option<DateTime<Utc>>,
}

resource! {
    JobPost => "job_posts",
}
