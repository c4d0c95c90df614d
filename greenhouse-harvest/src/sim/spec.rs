//! Which filters each simulated list endpoint accepts, and how each maps onto record fields.
//!
//! The table follows reference §5 and §8. A filter that an endpoint does not list is refused
//! with 422, as v3 refuses unsupported filters (`job_ids` on `/v3/scorecards`, for example).
//! Records are matched on their v3 JSON field names, so the table holds no Rust model names.

/// How a query parameter selects records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FilterKind {
    /// Comma-separated ids, at most 50; matches a field holding one id or a list of ids.
    Ids(&'static str),
    /// `op|datetime` pairs (`gte`, `gt`, `lte`, `lt`) on a datetime or date field.
    Range(&'static str),
    /// `true` or `false`, compared with a boolean field.
    Bool(&'static str),
    /// Exact text (case-insensitive) compared with a string field, a list of strings, or a
    /// list of `{value}` objects such as `email_addresses`.
    Text(&'static str),
    /// One of the listed query values, each mapped to the value the records hold (the
    /// applications `status` filter says `active` where records say `in_process`).
    Enum(&'static str, &'static [(&'static str, &'static str)]),
    /// `custom_field_option_id`: records whose `custom_fields` hold that option id.
    CustomFieldOption,
    /// Offers' `current_only`: only the highest version per application.
    CurrentOnly,
    /// Custom field options' `custom_field_key`: options of the field with that `name_key`.
    CustomFieldKey,
    /// Users' `show_service_accounts`: service accounts (no `primary_email`) are hidden unless
    /// this is `true`.
    ShowServiceAccounts,
    /// Approval flows' `job_ids`: like `Ids("job_id")`, but it leaves out `offer_candidate`
    /// flows, as v3 does.
    JobIdsWithoutOfferCandidate,
    /// Accepted and without effect in the simulator.
    Ignored,
}

/// One list endpoint.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ResourceSpec {
    /// The v3 path segment.
    pub(crate) path: &'static str,
    /// Resource-specific filters, besides the common `ids`, `created_at` and `updated_at`.
    pub(crate) filters: &'static [(&'static str, FilterKind)],
}

use FilterKind::{
    Bool, CurrentOnly, CustomFieldKey, CustomFieldOption, Enum, Ids, Ignored,
    JobIdsWithoutOfferCandidate, Range, ShowServiceAccounts, Text,
};

/// Filters every list endpoint takes (reference §5.1).
pub(crate) const COMMON: &[(&str, FilterKind)] =
    &[("ids", Ids("id")), ("created_at", Range("created_at")), ("updated_at", Range("updated_at"))];

const APPLICATION_STATUS: &[(&str, &str)] = &[
    ("active", "in_process"),
    ("rejected", "rejected"),
    ("hired", "hired"),
    ("converted", "converted"),
];

/// Every resource the simulator serves, with its filters.
pub(crate) const RESOURCES: &[ResourceSpec] = &[
    ResourceSpec {
        path: "applications",
        filters: &[
            ("candidate_ids", Ids("candidate_id")),
            ("job_ids", Ids("job_id")),
            ("status", Enum("status", APPLICATION_STATUS)),
            ("last_activity_at", Range("last_activity_at")),
            ("prospect", Bool("prospect")),
            ("stage_name", Text("stage_name")),
            ("stage_ids", Ids("stage_id")),
            ("source_ids", Ids("source_id")),
            ("referrer_ids", Ids("referrer_id")),
            ("job_post_ids", Ids("job_post_id")),
            ("prospective_job_ids", Ids("prospective_job_ids")),
            ("custom_field_option_id", CustomFieldOption),
        ],
    },
    ResourceSpec {
        path: "application_stages",
        filters: &[
            ("application_ids", Ids("application_id")),
            ("job_interview_stage_ids", Ids("job_interview_stage_id")),
        ],
    },
    ResourceSpec {
        path: "rejection_details",
        filters: &[
            ("application_ids", Ids("application_id")),
            ("rejection_reason_ids", Ids("rejection_reason_id")),
        ],
    },
    ResourceSpec {
        path: "approval_flows",
        filters: &[
            ("job_ids", JobIdsWithoutOfferCandidate),
            ("offer_ids", Ids("offer_id")),
            (
                "approval_type",
                Enum(
                    "approval_type",
                    &[
                        ("open_job", "open_job"),
                        ("offer_job", "offer_job"),
                        ("offer_candidate", "offer_candidate"),
                    ],
                ),
            ),
        ],
    },
    ResourceSpec {
        path: "approver_groups",
        filters: &[("approval_flow_ids", Ids("approval_flow_id"))],
    },
    ResourceSpec {
        path: "approvers",
        filters: &[("approver_group_ids", Ids("approver_group_id")), ("user_ids", Ids("user_id"))],
    },
    ResourceSpec {
        path: "candidates",
        filters: &[
            ("email", Text("email_addresses")),
            ("tag", Text("tags")),
            ("private", Bool("private")),
            ("last_activity_at", Range("last_activity_at")),
            ("custom_field_option_id", CustomFieldOption),
        ],
    },
    ResourceSpec {
        path: "candidate_educations",
        filters: &[("candidate_ids", Ids("candidate_id"))],
    },
    ResourceSpec {
        path: "candidate_employments",
        filters: &[("candidate_ids", Ids("candidate_id"))],
    },
    ResourceSpec { path: "notes", filters: &[("candidate_ids", Ids("candidate_id"))] },
    ResourceSpec { path: "close_reasons", filters: &[] },
    ResourceSpec {
        path: "custom_fields",
        filters: &[
            ("field_type", Text("field_type")),
            ("active", Bool("active")),
            ("name", Text("name")),
            ("name_key", Text("name_key")),
        ],
    },
    ResourceSpec {
        path: "custom_field_options",
        filters: &[
            ("custom_field_ids", Ids("custom_field_id")),
            ("custom_field_key", CustomFieldKey),
            ("active", Bool("active")),
        ],
    },
    ResourceSpec {
        path: "openings",
        filters: &[
            ("job_ids", Ids("job_id")),
            ("opened_at", Range("opened_at")),
            ("closed_at", Range("closed_at")),
            ("open", Bool("open")),
        ],
    },
    ResourceSpec {
        path: "job_posts",
        filters: &[
            ("job_ids", Ids("job_id")),
            ("job_board_ids", Ids("job_board_id")),
            ("active", Bool("active")),
            ("featured", Bool("featured")),
            ("live", Bool("live")),
            ("internal", Bool("internal")),
        ],
    },
    ResourceSpec {
        path: "job_interview_stages",
        filters: &[("job_ids", Ids("job_id")), ("active", Bool("active"))],
    },
    ResourceSpec {
        path: "jobs",
        filters: &[
            (
                "status",
                Enum("status", &[("open", "open"), ("draft", "draft"), ("closed", "closed")]),
            ),
            ("department_ids", Ids("department_id")),
            ("office_ids", Ids("office_ids")),
            ("requisition_id", Text("requisition_id")),
            ("opened_at", Range("opened_at")),
            ("closed_at", Range("closed_at")),
            ("custom_field_option_id", CustomFieldOption),
        ],
    },
    ResourceSpec {
        path: "job_owners",
        filters: &[("job_ids", Ids("job_id")), ("user_ids", Ids("user_id"))],
    },
    ResourceSpec {
        path: "job_hiring_managers",
        filters: &[("job_ids", Ids("job_id")), ("user_ids", Ids("user_id"))],
    },
    ResourceSpec {
        path: "offers",
        filters: &[
            ("application_ids", Ids("application_id")),
            ("job_ids", Ids("job_id")),
            ("candidate_ids", Ids("candidate_id")),
            ("opening_ids", Ids("opening_id")),
            ("current_only", CurrentOnly),
            (
                "status",
                Enum(
                    "status",
                    &[
                        ("created", "Created"),
                        ("accepted", "Accepted"),
                        ("rejected", "Rejected"),
                        ("deprecated", "Deprecated"),
                    ],
                ),
            ),
            ("resolved_at", Range("resolved_at")),
            ("sent_on", Range("sent_on")),
            ("starts_on", Range("starts_on")),
            ("custom_field_option_id", CustomFieldOption),
        ],
    },
    ResourceSpec {
        path: "offices",
        filters: &[("parent_id", Ids("parent_id")), ("external_id", Text("external_id"))],
    },
    ResourceSpec {
        path: "departments",
        filters: &[("parent_id", Ids("parent_id")), ("external_id", Text("external_id"))],
    },
    // FIXME: `include_defaults` is accepted but has no effect: the models carry no flag telling
    // a built-in reason from a company's own, so every reason is always listed. A marker field
    // in the data set would let the simulator hide built-in reasons by default, as v3 does.
    ResourceSpec { path: "rejection_reasons", filters: &[("include_defaults", Ignored)] },
    ResourceSpec {
        path: "scorecards",
        filters: &[
            ("application_ids", Ids("application_id")),
            ("interviewer_ids", Ids("interviewer_id")),
            ("submitter_ids", Ids("submitter_id")),
            ("interview_kit_ids", Ids("interview_kit_id")),
            ("interviewed_at", Range("interviewed_at")),
            ("submitted_at", Range("submitted_at")),
            ("status", Enum("status", &[("draft", "draft"), ("complete", "complete")])),
        ],
    },
    ResourceSpec { path: "sources", filters: &[] },
    ResourceSpec { path: "referrers", filters: &[("user_ids", Ids("user_id"))] },
    ResourceSpec { path: "candidate_tags", filters: &[("name", Text("name"))] },
    ResourceSpec {
        path: "applied_candidate_tags",
        filters: &[
            ("candidate_ids", Ids("candidate_id")),
            ("candidate_tag_ids", Ids("candidate_tag_id")),
        ],
    },
    ResourceSpec {
        path: "tracking_links",
        filters: &[
            ("token", Text("token")),
            ("job_ids", Ids("job_id")),
            ("source_ids", Ids("source_id")),
            ("referrer_ids", Ids("referrer_id")),
            ("job_board_ids", Ids("job_board_id")),
            ("job_post_ids", Ids("job_post_id")),
            ("related_post_ids", Ids("related_post_id")),
        ],
    },
    ResourceSpec {
        path: "users",
        filters: &[
            ("show_service_accounts", ShowServiceAccounts),
            ("email", Text("emails")),
            ("employee_id", Text("employee_id")),
        ],
    },
];

/// The spec of a resource; a resource missing from the table takes only the common filters.
pub(crate) fn spec_for(path: &str) -> Option<&'static ResourceSpec> {
    RESOURCES.iter().find(|spec| spec.path == path)
}

/// The filter a parameter names on `spec`, common filters included.
pub(crate) fn filter_for(spec: &ResourceSpec, param: &str) -> Option<FilterKind> {
    COMMON.iter().chain(spec.filters).find(|(name, _)| *name == param).map(|(_, kind)| *kind)
}

/// How a record field is indexed for filtering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Extract {
    /// One id or a list of ids.
    Ids,
    /// A datetime (RFC 3339) or date (`YYYY-MM-DD`), as Unix milliseconds.
    Time,
    /// A boolean.
    Bool,
    /// A string, a list of strings, or a list of `{value}` objects.
    Text,
    /// The option ids held in a `custom_fields` object.
    OptionIds,
    /// Whether the field holds a non-null value.
    Present,
}

/// The record fields to index for `spec`, each with how to extract it.
pub(crate) fn index_fields(spec: &ResourceSpec) -> Vec<(&'static str, Extract)> {
    let mut out: Vec<(&'static str, Extract)> = Vec::new();
    let mut push = |field: &'static str, extract: Extract| {
        if !out.iter().any(|(f, _)| *f == field) {
            out.push((field, extract));
        }
    };
    for (_, kind) in COMMON.iter().chain(spec.filters) {
        match *kind {
            Ids("id") | Ignored => {}
            Ids(field) => push(field, Extract::Ids),
            Range(field) => push(field, Extract::Time),
            Bool(field) => push(field, Extract::Bool),
            Text(field) | Enum(field, _) => push(field, Extract::Text),
            CustomFieldOption => push("custom_fields", Extract::OptionIds),
            CurrentOnly => {
                push("application_id", Extract::Ids);
                push("version", Extract::Ids);
            }
            CustomFieldKey => push("custom_field_id", Extract::Ids),
            ShowServiceAccounts => push("primary_email", Extract::Present),
            JobIdsWithoutOfferCandidate => {
                push("job_id", Extract::Ids);
                push("approval_type", Extract::Text);
            }
        }
    }
    out
}
