//! Model tests: every resource decodes its fixture, serde round trips, lenient datetimes,
//! arbitrary input never panics, and decode errors name the JSON path.

// Helpers outside `#[test]` functions unwrap too: a broken fixture must fail the test loudly.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone, Utc};
use greenhouse_harvest::ids::{
    ApplicationId, CandidateId, CustomFieldOptionId, DepartmentId, JobId, UserId,
};
use greenhouse_harvest::models::time::parse_rfc3339;
use greenhouse_harvest::models::{
    Application, ApplicationAnswer, ApplicationStage, ApplicationStatus, AppliedCandidateTag,
    ApprovalFlow, ApprovalStatus, ApprovalType, Approver, ApproverGroup, ApproverStatus, Candidate,
    CandidateEducation, CandidateEmployment, CandidateListItem, CandidateTag, CloseReason,
    ContactDetail, CustomField, CustomFieldEntry, CustomFieldOption, CustomFieldType,
    CustomFieldValue, CustomFieldValueType, CustomFields, Department, Job, JobHiringManager,
    JobInterviewStage, JobOwner, JobOwnerType, JobPost, JobPostQuestion, JobStatus, Note,
    NoteVisibility, Offer, OfferStatus, Office, Opening, QuestionAnswerType, Referrer,
    RejectionDetail, RejectionReason, RejectionReasonTypeKey, Resource, Scorecard, ScorecardRating,
    ScorecardStatus, SelectedOption, Source, TrackingLink, User,
};
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

fn fixture_path(stem: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v3").join(format!("{stem}.json"))
}

fn fixture_json(stem: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(fixture_path(stem)).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Decodes the fixture named after `T::PATH` (with the path in any error), checks item count and
/// ids against the raw JSON, and checks that a serialize/deserialize round trip is lossless.
fn decode_fixture<T: Resource + PartialEq>() -> Vec<T> {
    let text = std::fs::read_to_string(fixture_path(T::PATH)).unwrap();
    let mut de = serde_json::Deserializer::from_str(&text);
    let items: Vec<T> = serde_path_to_error::deserialize(&mut de)
        .unwrap_or_else(|err| panic!("{}: {} at {}", T::PATH, err.inner(), err.path()));
    let raw = fixture_json(T::PATH);
    assert!(raw.len() >= 2, "{}: fixture too small", T::PATH);
    assert_eq!(items.len(), raw.len(), "{}", T::PATH);
    for (item, raw) in items.iter().zip(&raw) {
        assert_eq!(item.id(), raw.get("id").and_then(Value::as_u64), "{}", T::PATH);
        if let Some(updated) = raw.get("updated_at").and_then(Value::as_str) {
            assert_eq!(item.updated_at(), Some(parse_rfc3339(updated).unwrap()), "{}", T::PATH);
        }
    }
    let again: Vec<T> = serde_json::from_str(&serde_json::to_string(&items).unwrap()).unwrap();
    assert_eq!(again, items, "{}: round trip", T::PATH);
    items
}

/// Every fixture holds at least one field the model does not know.
#[test]
fn every_fixture_has_an_unknown_field() {
    let known_extra = [
        ("applications", "attachments_count"),
        ("application_stages", "stage_kind"),
        ("rejection_details", "email_sent"),
        ("approval_flows", "audit"),
        ("approver_groups", "label"),
        ("approvers", "delegate_id"),
        ("candidates", "photo_url"),
        ("candidate_educations", "gpa"),
        ("candidate_employments", "employment_type"),
        ("notes", "application_id"),
        ("close_reasons", "archived"),
        ("custom_fields", "description"),
        ("custom_field_options", "color"),
        ("openings", "custom_fields"),
        ("job_posts", "location"),
        ("job_interview_stages", "milestone"),
        ("jobs", "hiring_plan"),
        ("job_owners", "primary"),
        ("job_hiring_managers", "note"),
        ("offers", "signed_document_url"),
        ("offices", "time_zone"),
        ("departments", "child_ids"),
        ("rejection_reasons", "is_default"),
        ("scorecards", "focus_attributes"),
        ("sources", "active"),
        ("referrers", "type"),
        ("candidate_tags", "usage_count"),
        ("applied_candidate_tags", "applied_by_id"),
        ("tracking_links", "url"),
        ("users", "time_zone"),
    ];
    assert_eq!(known_extra.len(), 30);
    for (stem, field) in known_extra {
        assert!(fixture_json(stem).iter().any(|item| item.get(field).is_some()), "{stem}.{field}");
    }
}

#[test]
fn applications_fixture() {
    let apps = decode_fixture::<Application>();
    let first = &apps[0];
    assert_eq!(first.candidate_id, CandidateId(2001));
    assert_eq!(first.job_id, Some(JobId(3001)));
    assert_eq!(first.status, ApplicationStatus::InProcess);
    assert_eq!(
        first.answers[1],
        ApplicationAnswer { question: Some("Notice period?".into()), answer: None }
    );
    assert_eq!(first.created_at, Some(Utc.with_ymd_and_hms(2024, 12, 1, 9, 30, 0).unwrap()));

    let typed = |key: &str| first.custom_fields[key].typed_value();
    assert_eq!(typed("rocketmat"), CustomFieldValue::Number(87.0));
    assert_eq!(typed("visa_required"), CustomFieldValue::YesNo(false));
    assert_eq!(
        typed("start_date"),
        CustomFieldValue::Date(NaiveDate::from_ymd_opt(2025, 2, 1).unwrap())
    );
    assert_eq!(typed("portfolio"), CustomFieldValue::Url("https://example.com/work".into()));
    assert_eq!(
        typed("seniority"),
        CustomFieldValue::SingleSelect(SelectedOption { id: None, name: Some("Senior".into()) })
    );
    assert_eq!(
        typed("languages"),
        CustomFieldValue::MultiSelect(vec![
            SelectedOption { id: Some(CustomFieldOptionId(9001)), name: Some("English".into()) },
            SelectedOption { id: Some(CustomFieldOptionId(9002)), name: Some("German".into()) },
        ])
    );
    assert_eq!(
        typed("expected_salary"),
        CustomFieldValue::Currency { amount: 85_000.0, unit: Some("EUR".into()) }
    );
    assert!(matches!(typed("salary_band"), CustomFieldValue::Other(Value::Object(_))));
    assert_eq!(
        first.custom_fields["interview_notes_hris"].value_type,
        Some(CustomFieldValueType::Unknown("long_text_hris".into()))
    );
    assert_eq!(typed("interview_notes_hris"), CustomFieldValue::Other(json!("***")));
    assert_eq!(typed("empty_date"), CustomFieldValue::Empty);
    assert_eq!(typed("unset"), CustomFieldValue::Empty);

    // Nullable fields read as None; the second spelling variants parse to the same instant.
    let second = &apps[1];
    assert_eq!(second.job_id, None);
    assert!(second.prospect);
    assert_eq!(second.rejected_at, Some(Utc.with_ymd_and_hms(2024, 11, 30, 16, 0, 0).unwrap()));
    assert_eq!(second.created_at, Some(Utc.with_ymd_and_hms(2024, 11, 2, 8, 0, 0).unwrap()));
    assert_eq!(second.prospective_job_ids, vec![JobId(3001), JobId(3002)]);

    // An unknown status is kept, and `null` lists and maps are empty.
    let third = &apps[2];
    assert_eq!(third.status, ApplicationStatus::Unknown("on_hold".into()));
    assert!(third.answers.is_empty() && third.prospective_job_ids.is_empty());
    assert!(third.custom_fields.is_empty());
    assert_eq!(
        third.last_activity_at,
        Some(Utc.with_ymd_and_hms(2024, 12, 10, 17, 0, 0).unwrap() + Duration::milliseconds(500))
    );
    // Serializing an unknown enum value writes the raw value back.
    assert_eq!(serde_json::to_value(third).unwrap()["status"], json!("on_hold"));
}

#[test]
fn application_stages_fixture() {
    let stages = decode_fixture::<ApplicationStage>();
    assert!(stages[0].current && stages[0].exited_at.is_none());
    assert_eq!(stages[0].days_in_stage, Some(10.0));
    assert_eq!(stages[1].job_interview_stage_id.get(), 11000);
}

#[test]
fn rejection_details_fixture() {
    let details = decode_fixture::<RejectionDetail>();
    assert_eq!(
        details[0].question_custom_fields["rejection_followup"].typed_value(),
        CustomFieldValue::YesNo(true)
    );
    assert!(details[1].question_custom_fields.is_empty());
    assert_eq!(details[1].rejection_reason_id, None);
}

#[test]
fn approvals_fixtures() {
    let flows = decode_fixture::<ApprovalFlow>();
    assert_eq!(flows[0].approval_type, ApprovalType::OpenJob);
    assert_eq!(flows[0].approval_status, ApprovalStatus::Approved);
    assert_eq!(flows[1].approval_type, ApprovalType::OfferCandidate);
    assert_eq!(flows[2].approval_type, ApprovalType::Unknown("offer_job_v2".into()));
    assert_eq!(flows[2].approval_status, ApprovalStatus::Unknown("escalated".into()));
    let groups = decode_fixture::<ApproverGroup>();
    assert_eq!(groups[1].approvals_required, Some(2));
    let approvers = decode_fixture::<Approver>();
    assert_eq!(approvers[0].status, ApproverStatus::Approved);
    assert_eq!(approvers[1].approver_group_id, None);
    assert_eq!(approvers[2].status, ApproverStatus::Unknown("skipped".into()));
}

#[test]
fn candidates_fixture_mixes_candidates_and_pending_items() {
    let items = decode_fixture::<CandidateListItem>();
    assert_eq!(items.len(), 3);
    let ada = items[0].candidate().unwrap();
    assert_eq!(ada.first_name.as_deref(), Some("Ada"));
    assert_eq!(ada.tags, ["Rust", "Python"]);
    assert_eq!(
        ada.email_addresses,
        [ContactDetail { value: "ada@example.com".into(), kind: Some("personal".into()) }]
    );
    assert_eq!(ada.social_media_addresses[0].kind, None);
    assert_eq!(ada.custom_fields["work_remotely"].typed_value(), CustomFieldValue::YesNo(true));
    assert_eq!(
        items[1],
        CandidateListItem::Pending {
            message: "Candidate 2005 is being processed. Try again later.".into()
        }
    );
    assert_eq!(items[1].id(), None);
    assert_eq!(items[1].updated_at(), None);
    // A candidate that also carries a `message` key is still a candidate.
    let anonymized = items[2].candidate().unwrap();
    assert_eq!(anonymized.id, CandidateId(2002));
    assert!(anonymized.addresses.is_empty() && anonymized.custom_fields.is_empty());
}

#[test]
fn a_broken_candidate_is_an_error_not_a_pending_item() {
    let err = serde_json::from_str::<CandidateListItem>(
        r#"{"id": 5, "message": "processing", "tags": "not a list"}"#,
    )
    .unwrap_err();
    assert!(err.to_string().contains("candidate.tags"), "{err}");
    let err = serde_json::from_str::<CandidateListItem>(r#"{"message": 42}"#).unwrap_err();
    assert!(err.to_string().contains("message"), "{err}");
    assert!(serde_json::from_str::<CandidateListItem>("{}").is_err());
    assert!(serde_json::from_str::<CandidateListItem>("[]").is_err());
    // A pending item never reads as a candidate, even with extra keys.
    let pending: CandidateListItem =
        serde_json::from_str(r#"{"message": "queued", "request_id": "abc"}"#).unwrap();
    assert!(pending.candidate().is_none());
    // The serialized form of each variant reads back as the same variant.
    let text = serde_json::to_string(&pending).unwrap();
    assert_eq!(serde_json::from_str::<CandidateListItem>(&text).unwrap(), pending);
}

#[test]
fn candidate_children_fixtures() {
    let educations = decode_fixture::<CandidateEducation>();
    assert_eq!(educations[0].degree_custom_field_option_id, Some(CustomFieldOptionId(9301)));
    assert_eq!(educations[0].start_year, Some(2012));
    assert_eq!(educations[1].start_at, None);
    let employments = decode_fixture::<CandidateEmployment>();
    assert_eq!(employments[0].latest, Some(true));
    assert_eq!(employments[1].company_name, None);
    let notes = decode_fixture::<Note>();
    assert_eq!(notes[0].visibility, Some(NoteVisibility::Public));
    assert_eq!(notes[1].visibility, Some(NoteVisibility::Unknown("team_only".into())));
}

#[test]
fn custom_fields_fixtures() {
    let fields = decode_fixture::<CustomField>();
    assert_eq!(fields[0].name_key.as_deref(), Some("rocketmat"));
    assert_eq!(fields[0].field_type, CustomFieldType::Application);
    assert_eq!(fields[0].value_type, CustomFieldValueType::Number);
    assert_eq!(fields[2].value_type, CustomFieldValueType::Unknown("short_text_hris".into()));
    assert_eq!(fields[3].field_type, CustomFieldType::Unknown("requisition".into()));
    let options = decode_fixture::<CustomFieldOption>();
    assert_eq!(options[0].external_id.as_deref(), Some("lang-en"));
    assert!(!options[1].active);
}

#[test]
fn job_fixtures() {
    let jobs = decode_fixture::<Job>();
    assert_eq!(jobs[0].status, JobStatus::Open);
    assert_eq!(jobs[0].office_ids.len(), 2);
    assert_eq!(
        jobs[0].custom_fields["employment_type"].typed_value(),
        CustomFieldValue::SingleSelect(SelectedOption { id: None, name: Some("Full-time".into()) })
    );
    assert_eq!(
        jobs[0].custom_fields["test_user_field"].typed_value(),
        CustomFieldValue::Other(json!({"user_id": 5001}))
    );
    assert_eq!(jobs[1].status, JobStatus::Closed);
    assert!(jobs[1].confidential);
    assert_eq!(jobs[2].status, JobStatus::Unknown("archived".into()));
    let owners = decode_fixture::<JobOwner>();
    assert_eq!(owners[0].owner_type, JobOwnerType::Recruiter);
    assert_eq!(owners[2].owner_type, JobOwnerType::Unknown("interview_scheduler".into()));
    let managers = decode_fixture::<JobHiringManager>();
    assert_eq!(managers[0].responsible, Some(true));
    let posts = decode_fixture::<JobPost>();
    assert_eq!(posts[0].questions[1].answer_type, Some(QuestionAnswerType::Attachment));
    assert_eq!(
        posts[0].questions[2],
        JobPostQuestion {
            label: Some("Pronouns".into()),
            name: Some("question_1".into()),
            required: Some(false),
            answer_type: Some(QuestionAnswerType::Unknown("multi_value_dropdown".into())),
        }
    );
    assert!(posts[1].questions.is_empty());
    let stages = decode_fixture::<JobInterviewStage>();
    assert_eq!(stages[0].sort_order, Some(0));
    let openings = decode_fixture::<Opening>();
    assert_eq!(openings[0].target_start_on, NaiveDate::from_ymd_opt(2025, 3, 1));
    assert_eq!(openings[1].application_id, Some(ApplicationId(1003)));
}

#[test]
fn offers_fixture() {
    let offers = decode_fixture::<Offer>();
    assert_eq!(offers[0].status, OfferStatus::Accepted);
    assert_eq!(offers[0].starts_on, NaiveDate::from_ymd_opt(2025, 1, 6));
    assert_eq!(
        offers[0].custom_fields["salary"].typed_value(),
        CustomFieldValue::Currency { amount: 95_000.0, unit: Some("EUR".into()) }
    );
    assert_eq!(
        offers[0].custom_fields["employment_type"].typed_value(),
        CustomFieldValue::SingleSelect(SelectedOption {
            id: Some(CustomFieldOptionId(9501)),
            name: Some("Full-time".into())
        })
    );
    assert_eq!(offers[1].status, OfferStatus::Deprecated);
    assert_eq!(offers[2].status, OfferStatus::Unknown("Withdrawn".into()));
}

#[test]
fn organisation_fixtures() {
    let offices = decode_fixture::<Office>();
    assert_eq!(offices[0].location_name(), Some("Berlin, Germany"));
    assert_eq!(offices[1].location_name(), None);
    assert_eq!(offices[2].location_name(), Some("Anywhere"));
    let departments = decode_fixture::<Department>();
    assert_eq!(departments[1].parent_id.map(DepartmentId::get), Some(25001));
    let close_reasons = decode_fixture::<CloseReason>();
    assert!(close_reasons[0].is_hire() && !close_reasons[1].is_hire());
    let reasons = decode_fixture::<RejectionReason>();
    let key = |i: usize| reasons[i].reason_type.as_ref().map(|t| t.key.clone());
    assert_eq!(key(0), Some(RejectionReasonTypeKey::WeRejectedThem));
    assert_eq!(key(1), Some(RejectionReasonTypeKey::TheyRejectedUs));
    assert_eq!(key(2), Some(RejectionReasonTypeKey::Unknown("POSITION_FILLED".into())));
    assert_eq!(key(3), None);
}

#[test]
fn scorecards_fixture() {
    let cards = decode_fixture::<Scorecard>();
    assert_eq!(cards[0].candidate_rating, Some(ScorecardRating::Yes));
    assert_eq!(cards[0].status, ScorecardStatus::Complete);
    assert_eq!(cards[1].candidate_rating, None);
    assert_eq!(cards[1].status, ScorecardStatus::Draft);
    assert_eq!(cards[2].candidate_rating, Some(ScorecardRating::Unknown("mixed".into())));
}

#[test]
fn people_and_link_fixtures() {
    let sources = decode_fixture::<Source>();
    assert_eq!(sources[1].source_type.as_ref().and_then(|t| t.name.as_deref()), Some("Agencies"));
    let referrers = decode_fixture::<Referrer>();
    assert_eq!(referrers[0].user_id.map(UserId::get), Some(5007));
    let tags = decode_fixture::<CandidateTag>();
    assert_eq!(tags[0].name, "Rust");
    let applied = decode_fixture::<AppliedCandidateTag>();
    assert_eq!(applied[1].candidate_tag_id.get(), 32002);
    let links = decode_fixture::<TrackingLink>();
    assert_eq!(links[0].link_type.as_deref(), Some("job_post"));
    let users = decode_fixture::<User>();
    assert!(users[0].site_admin);
    assert_eq!(users[1].primary_email, None);
    assert!(users[1].interviewer_tags.is_empty());
}

#[test]
fn paths_match_the_v3_resource_names() {
    let paths = [
        Application::PATH,
        ApplicationStage::PATH,
        RejectionDetail::PATH,
        ApprovalFlow::PATH,
        ApproverGroup::PATH,
        Approver::PATH,
        CandidateListItem::PATH,
        CandidateEducation::PATH,
        CandidateEmployment::PATH,
        Note::PATH,
        CloseReason::PATH,
        CustomField::PATH,
        CustomFieldOption::PATH,
        Opening::PATH,
        JobPost::PATH,
        JobInterviewStage::PATH,
        Job::PATH,
        JobOwner::PATH,
        JobHiringManager::PATH,
        Offer::PATH,
        Office::PATH,
        Department::PATH,
        RejectionReason::PATH,
        Scorecard::PATH,
        Source::PATH,
        Referrer::PATH,
        CandidateTag::PATH,
        AppliedCandidateTag::PATH,
        TrackingLink::PATH,
        User::PATH,
    ];
    let mut unique = paths.to_vec();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), 30);
    for path in paths {
        assert!(fixture_path(path).exists(), "{path}");
    }
}

// ---------------------------------------------------------------------------------------------
// Privacy: Debug output
// ---------------------------------------------------------------------------------------------

#[test]
fn debug_output_hides_personal_data() {
    let candidates = decode_fixture::<CandidateListItem>();
    let shown = format!("{:?}", candidates[0]);
    for secret in
        ["Ada", "Lindqvist", "Northwind", "ada@example.com", "+49", "Berlin", "ada.example"]
    {
        assert!(!shown.contains(secret), "{secret} leaked: {shown}");
    }
    assert!(shown.contains("Senior Data Engineer") && shown.contains("2001"), "{shown}");

    let users = decode_fixture::<User>();
    let shown = format!("{:?}", users[0]);
    for secret in ["Sam", "Rivera", "acme.example", "E-1001"] {
        assert!(!shown.contains(secret), "{secret} leaked: {shown}");
    }
    assert!(shown.contains("Senior Recruiter"), "{shown}");

    let apps = decode_fixture::<Application>();
    let shown = format!("{:?}", apps[0]);
    assert!(!shown.contains("Berlin") && !shown.contains("\"No\""), "{shown}");
    let notes = decode_fixture::<Note>();
    assert!(!format!("{:?}", notes[0]).contains("references"));
    let cards = decode_fixture::<Scorecard>();
    assert!(!format!("{:?}", cards[0]).contains("SQL"));
    let referrers = decode_fixture::<Referrer>();
    assert!(!format!("{:?}", referrers[0]).contains("Grace"));
}

// ---------------------------------------------------------------------------------------------
// Decode errors name the JSON path
// ---------------------------------------------------------------------------------------------

#[test]
fn a_decode_error_names_the_json_path() {
    let mut page = fixture_json("applications");
    page.push(page[0].clone());
    page[3]["candidate_id"] = json!("2001");
    let text = serde_json::to_string(&page).unwrap();
    let mut de = serde_json::Deserializer::from_str(&text);
    let err = serde_path_to_error::deserialize::<_, Vec<Application>>(&mut de).unwrap_err();
    assert_eq!(err.path().to_string(), "[3].candidate_id");

    // Inside a custom field entry and inside a datetime.
    page[3]["candidate_id"] = json!(2001);
    page[1]["custom_fields"] = json!({"rocketmat": {"name": 5}});
    page[2]["updated_at"] = json!("yesterday");
    let text = serde_json::to_string(&page[1..]).unwrap();
    let mut de = serde_json::Deserializer::from_str(&text);
    let err = serde_path_to_error::deserialize::<_, Vec<Application>>(&mut de).unwrap_err();
    assert_eq!(err.path().to_string(), "[0].custom_fields.rocketmat.name");
    let text = serde_json::to_string(&page[2..]).unwrap();
    let mut de = serde_json::Deserializer::from_str(&text);
    let err = serde_path_to_error::deserialize::<_, Vec<Application>>(&mut de).unwrap_err();
    assert_eq!(err.path().to_string(), "[0].updated_at");
    assert!(err.inner().to_string().contains("invalid datetime"), "{}", err.inner());

    // A `null` flag reads as false, like a missing one.
    let app: Application = serde_json::from_value(
        json!({"id": 1, "candidate_id": 2, "status": "hired", "prospect": null}),
    )
    .unwrap();
    assert!(!app.prospect);

    // A missing required field is an error too, not a default.
    let err =
        serde_json::from_value::<Application>(json!({"id": 1, "status": "hired"})).unwrap_err();
    assert!(err.to_string().contains("candidate_id"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// Datetimes
// ---------------------------------------------------------------------------------------------

#[test]
fn datetime_spellings() {
    let want = Utc.with_ymd_and_hms(2024, 12, 15, 3, 55, 0).unwrap();
    for text in [
        "2024-12-15T03:55:00.000Z",
        "2024-12-15T03:55:00Z",
        "2024-12-15t03:55:00z",
        "2024-12-15 03:55:00Z",
        "2024-12-15T03:55:00+00:00",
        "2024-12-15T03:55:00-00:00",
        "2024-12-15T05:25:00+01:30",
        "2024-12-14T22:55:00.000000000-05:00",
    ] {
        assert_eq!(parse_rfc3339(text).unwrap(), want, "{text}");
    }
    for bad in
        ["", "2024-12-15", "2024-12-15T03:55Z", "2024-12-15T03:55:00", "2024-13-15T03:55:00Z"]
    {
        assert!(parse_rfc3339(bad).is_err(), "{bad}");
    }
    let stage: ApplicationStage = serde_json::from_value(json!({
        "id": 1, "application_id": 2, "job_interview_stage_id": 3,
        "entered_at": "2024-12-15 05:55:00.25+02:00", "exited_at": null
    }))
    .unwrap();
    assert_eq!(stage.entered_at, Some(want + Duration::milliseconds(250)));
    assert_eq!(
        serde_json::to_value(&stage).unwrap()["entered_at"],
        json!("2024-12-15T03:55:00.250Z")
    );
}

fn arb_datetime() -> impl Strategy<Value = DateTime<Utc>> {
    // 0001-01-01 to 9999-12-31, the range RFC 3339's four-digit year can spell.
    (-62_135_596_800_i64..253_402_300_799, 0_u32..1_000_000_000)
        .prop_map(|(secs, nanos)| DateTime::from_timestamp(secs, nanos).unwrap())
}

fn arb_opt_datetime() -> impl Strategy<Value = Option<DateTime<Utc>>> {
    proptest::option::of(arb_datetime())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Any RFC 3339 spelling of an instant parses back to that instant (to the precision the
    /// spelling keeps).
    #[test]
    fn any_rfc3339_spelling_parses(
        instant in arb_datetime(),
        offset_minutes in -(23 * 60 + 59)..=(23 * 60 + 59_i32),
        separator in prop::sample::select(vec!['T', 't', ' ']),
        digits in 0_usize..=9,
        zulu in prop::sample::select(vec![None, Some('Z'), Some('z')]),
    ) {
        let offset_minutes = if zulu.is_some() { 0 } else { offset_minutes };
        let offset = FixedOffset::east_opt(offset_minutes * 60).unwrap();
        let local = instant.with_timezone(&offset);
        let nanos = instant.timestamp_subsec_nanos();
        let fraction = if digits == 0 {
            String::new()
        } else {
            format!(".{nanos:09}")[..=digits].to_owned()
        };
        let zone = if let Some(z) = zulu {
            z.to_string()
        } else {
            let sign = if offset_minutes < 0 { '-' } else { '+' };
            let abs = offset_minutes.abs();
            format!("{sign}{:02}:{:02}", abs / 60, abs % 60)
        };
        let text = format!(
            "{}{separator}{}{fraction}{zone}",
            local.format("%Y-%m-%d"),
            local.format("%H:%M:%S"),
        );
        let kept = 10_u32.pow(9 - u32::try_from(digits).unwrap());
        let want = DateTime::from_timestamp(instant.timestamp(), nanos / kept * kept).unwrap();
        // Years before 0001 or after 9999 in local time cannot be spelled in four digits.
        prop_assume!(local.format("%Y").to_string().len() == 4);
        prop_assert_eq!(parse_rfc3339(&text).unwrap(), want, "{}", text);
    }

    /// Garbage never panics the datetime parser.
    #[test]
    fn datetime_parser_never_panics(text in "\\PC{0,40}") {
        let _ = parse_rfc3339(&text);
    }
}

// ---------------------------------------------------------------------------------------------
// Round trips
// ---------------------------------------------------------------------------------------------

/// An open enum strategy: any known value, or an unknown one kept verbatim.
macro_rules! arb_enum {
    ($ty:ty) => {
        prop_oneof![
            3 => prop::sample::select(<$ty>::KNOWN.to_vec()),
            1 => "[A-Za-z_]{1,20}".prop_map(|raw| <$ty>::from_raw(&raw)),
        ]
    };
}

fn id<T: From<u64> + std::fmt::Debug>() -> impl Strategy<Value = T> {
    any::<u64>().prop_map(T::from)
}

fn opt_id<T: From<u64> + std::fmt::Debug>() -> impl Strategy<Value = Option<T>> {
    proptest::option::of(id::<T>())
}

fn opt_text() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(any::<String>())
}

/// A finite float that JSON text carries exactly (a multiple of 1/8).
fn exact_float() -> impl Strategy<Value = f64> {
    any::<i32>().prop_map(|n| f64::from(n) / 8.0)
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        exact_float().prop_map(Value::from),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::Array),
            btree_map("[a-z_]{1,8}", inner, 0..4)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

fn arb_entry() -> impl Strategy<Value = CustomFieldEntry> {
    (opt_text(), proptest::option::of(arb_enum!(CustomFieldValueType)), arb_json())
        .prop_map(|(name, value_type, value)| CustomFieldEntry { name, value_type, value })
}

fn arb_custom_fields() -> impl Strategy<Value = CustomFields> {
    btree_map("[a-z_]{1,12}", arb_entry(), 0..4)
}

fn arb_contacts() -> impl Strategy<Value = Vec<ContactDetail>> {
    vec((any::<String>(), opt_text()).prop_map(|(value, kind)| ContactDetail { value, kind }), 0..3)
}

fn arb_application() -> impl Strategy<Value = Application> {
    let ids = (
        id(),
        id(),
        opt_id(),
        opt_id(),
        opt_id(),
        opt_id(),
        opt_id(),
        opt_id(),
        opt_id(),
        opt_id(),
    );
    let rest = (
        opt_text(),
        arb_enum!(ApplicationStatus),
        any::<Option<bool>>(),
        any::<bool>(),
        arb_opt_datetime(),
        arb_opt_datetime(),
        opt_text(),
        vec(
            (opt_text(), opt_text())
                .prop_map(|(question, answer)| ApplicationAnswer { question, answer }),
            0..3,
        ),
        vec(id(), 0..3),
        arb_custom_fields(),
        arb_opt_datetime(),
        arb_opt_datetime(),
    );
    (ids, rest).prop_map(
        |(
            (
                id,
                candidate_id,
                job_id,
                job_post_id,
                recruiter_id,
                coordinator_id,
                referrer_id,
                source_id,
                agency_note_id,
                stage_id,
            ),
            (
                stage_name,
                status,
                needs_decision,
                prospect,
                rejected_at,
                last_activity_at,
                location_address,
                answers,
                prospective_job_ids,
                custom_fields,
                created_at,
                updated_at,
            ),
        )| Application {
            id,
            candidate_id,
            job_id,
            job_post_id,
            recruiter_id,
            coordinator_id,
            referrer_id,
            source_id,
            agency_note_id,
            stage_id,
            stage_name,
            status,
            needs_decision,
            prospect,
            rejected_at,
            last_activity_at,
            location_address,
            answers,
            prospective_job_ids,
            custom_fields,
            created_at,
            updated_at,
        },
    )
}

fn arb_candidate() -> impl Strategy<Value = Candidate> {
    let head = (
        id(),
        opt_text(),
        opt_text(),
        opt_text(),
        opt_text(),
        opt_text(),
        arb_opt_datetime(),
        any::<bool>(),
        any::<bool>(),
        vec(any::<String>(), 0..3),
        vec(id(), 0..3),
    );
    let tail = (
        arb_contacts(),
        arb_contacts(),
        arb_contacts(),
        arb_contacts(),
        arb_contacts(),
        arb_custom_fields(),
        arb_opt_datetime(),
        arb_opt_datetime(),
    );
    (head, tail).prop_map(
        |(
            (
                id,
                first_name,
                last_name,
                preferred_name,
                company,
                title,
                last_activity_at,
                private,
                can_email,
                tags,
                linked_user_ids,
            ),
            (
                phone_numbers,
                addresses,
                email_addresses,
                website_addresses,
                social_media_addresses,
                custom_fields,
                created_at,
                updated_at,
            ),
        )| Candidate {
            id,
            first_name,
            last_name,
            preferred_name,
            company,
            title,
            last_activity_at,
            private,
            can_email,
            tags,
            linked_user_ids,
            phone_numbers,
            addresses,
            email_addresses,
            website_addresses,
            social_media_addresses,
            custom_fields,
            created_at,
            updated_at,
        },
    )
}

fn arb_candidate_item() -> impl Strategy<Value = CandidateListItem> {
    prop_oneof![
        arb_candidate().prop_map(|candidate| CandidateListItem::Candidate(Box::new(candidate))),
        any::<String>().prop_map(|message| CandidateListItem::Pending { message }),
    ]
}

fn arb_job() -> impl Strategy<Value = Job> {
    (
        (id(), any::<String>(), opt_text(), opt_text(), any::<bool>(), arb_enum!(JobStatus)),
        (arb_opt_datetime(), arb_opt_datetime(), any::<Option<bool>>(), opt_id(), opt_id()),
        (vec(id(), 0..3), arb_custom_fields(), arb_opt_datetime(), arb_opt_datetime()),
    )
        .prop_map(
            |(
                (id, name, requisition_id, notes, confidential, status),
                (opened_at, closed_at, is_template, copied_from_id, department_id),
                (office_ids, custom_fields, created_at, updated_at),
            )| Job {
                id,
                name,
                requisition_id,
                notes,
                confidential,
                status,
                opened_at,
                closed_at,
                is_template,
                copied_from_id,
                department_id,
                office_ids,
                custom_fields,
                created_at,
                updated_at,
            },
        )
}

fn arb_job_post() -> impl Strategy<Value = JobPost> {
    let question = (
        opt_text(),
        opt_text(),
        any::<Option<bool>>(),
        proptest::option::of(arb_enum!(QuestionAnswerType)),
    )
        .prop_map(|(label, name, required, answer_type)| JobPostQuestion {
            label,
            name,
            required,
            answer_type,
        });
    (
        (id(), opt_text(), any::<[bool; 4]>(), arb_opt_datetime(), opt_text(), opt_text()),
        (opt_text(), opt_id(), id(), opt_id(), vec(question, 0..3)),
        (arb_opt_datetime(), arb_opt_datetime()),
    )
        .prop_map(
            |(
                (
                    id,
                    title,
                    [internal, active, live, featured],
                    first_published_at,
                    content,
                    language,
                ),
                (public_url, demographic_question_set_id, job_id, job_board_id, questions),
                (created_at, updated_at),
            )| JobPost {
                id,
                title,
                internal,
                active,
                live,
                featured,
                first_published_at,
                content,
                language,
                public_url,
                demographic_question_set_id,
                job_id,
                job_board_id,
                questions,
                created_at,
                updated_at,
            },
        )
}

fn arb_custom_field() -> impl Strategy<Value = CustomField> {
    (
        (id(), any::<String>(), opt_text(), arb_enum!(CustomFieldType)),
        (arb_enum!(CustomFieldValueType), any::<[bool; 3]>(), opt_text()),
        (arb_opt_datetime(), arb_opt_datetime()),
    )
        .prop_map(
            |(
                (id, name, name_key, field_type),
                (value_type, [private, required, active], internal_type),
                (created_at, updated_at),
            )| CustomField {
                id,
                name,
                name_key,
                field_type,
                value_type,
                private,
                required,
                internal_type,
                active,
                created_at,
                updated_at,
            },
        )
}

fn arb_date() -> impl Strategy<Value = NaiveDate> {
    // Years 1 to 9999: the four-digit range `%Y-%m-%d` writes and reads back.
    (1_i32..=9999, 1_u32..=366)
        .prop_filter_map("valid ordinal", |(year, day)| NaiveDate::from_yo_opt(year, day))
}

fn arb_offer() -> impl Strategy<Value = Offer> {
    (
        (id(), any::<Option<u64>>(), id(), id(), id(), opt_id(), arb_enum!(OfferStatus)),
        (proptest::option::of(arb_date()), proptest::option::of(arb_date()), arb_opt_datetime()),
        (arb_custom_fields(), arb_opt_datetime(), arb_opt_datetime()),
    )
        .prop_map(
            |(
                (id, version, application_id, job_id, candidate_id, opening_id, status),
                (starts_on, sent_on, resolved_at),
                (custom_fields, created_at, updated_at),
            )| Offer {
                id,
                version,
                application_id,
                job_id,
                candidate_id,
                opening_id,
                status,
                starts_on,
                sent_on,
                resolved_at,
                custom_fields,
                created_at,
                updated_at,
            },
        )
}

fn arb_scorecard() -> impl Strategy<Value = Scorecard> {
    (
        (id(), id(), opt_id(), opt_id(), opt_id()),
        (proptest::option::of(arb_enum!(ScorecardRating)), arb_enum!(ScorecardStatus)),
        (arb_opt_datetime(), arb_opt_datetime()),
        (opt_text(), opt_text(), opt_text(), opt_text(), opt_text(), opt_text()),
        (arb_opt_datetime(), arb_opt_datetime()),
    )
        .prop_map(
            |(
                (id, application_id, interview_kit_id, interviewer_id, submitter_id),
                (candidate_rating, status),
                (interviewed_at, submitted_at),
                (
                    notes,
                    notes_with_tags,
                    private_notes,
                    private_notes_with_tags,
                    public_notes,
                    public_notes_with_tags,
                ),
                (created_at, updated_at),
            )| Scorecard {
                id,
                application_id,
                interview_kit_id,
                interviewer_id,
                submitter_id,
                candidate_rating,
                status,
                interviewed_at,
                submitted_at,
                notes,
                notes_with_tags,
                private_notes,
                private_notes_with_tags,
                public_notes,
                public_notes_with_tags,
                created_at,
                updated_at,
            },
        )
}

fn arb_option() -> impl Strategy<Value = SelectedOption> {
    // One of id and name: the write form carries one, so only those survive the trip.
    prop_oneof![
        any::<u64>().prop_map(|id| SelectedOption { id: Some(id.into()), name: None }),
        "\\PC{1,20}".prop_map(|name| SelectedOption { id: None, name: Some(name) }),
    ]
}

/// A typed value with the value type that reads it back.
fn arb_typed_value() -> impl Strategy<Value = (CustomFieldValueType, CustomFieldValue)> {
    use CustomFieldValueType as T;
    prop_oneof![
        exact_float().prop_map(|n| (T::Number, CustomFieldValue::Number(n))),
        any::<String>().prop_map(|s| (T::ShortText, CustomFieldValue::Text(s))),
        any::<String>().prop_map(|s| (T::LongText, CustomFieldValue::Text(s))),
        any::<bool>().prop_map(|b| (T::YesNo, CustomFieldValue::YesNo(b))),
        any::<bool>().prop_map(|b| (T::Boolean, CustomFieldValue::YesNo(b))),
        arb_date().prop_map(|d| (T::Date, CustomFieldValue::Date(d))),
        "https://[a-z]{1,10}\\.example/[a-z0-9]{0,10}"
            .prop_map(|u| (T::Url, CustomFieldValue::Url(u))),
        arb_option().prop_map(|o| (T::SingleSelect, CustomFieldValue::SingleSelect(o))),
        vec(arb_option(), 0..4).prop_map(|o| (T::MultiSelect, CustomFieldValue::MultiSelect(o))),
        (exact_float(), proptest::option::of("[A-Z]{3}")).prop_map(|(amount, unit)| {
            (T::Currency, CustomFieldValue::Currency { amount, unit })
        }),
        arb_enum!(CustomFieldValueType).prop_map(|t| (t, CustomFieldValue::Empty)),
    ]
}

fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(
    value: &T,
) -> Result<(), TestCaseError> {
    let text = serde_json::to_string(value).unwrap();
    let back: T =
        serde_json::from_str(&text).map_err(|err| TestCaseError::fail(format!("{err}: {text}")))?;
    prop_assert_eq!(&back, value);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn application_round_trips(value in arb_application()) { round_trip(&value)?; }

    #[test]
    fn candidate_round_trips(value in arb_candidate_item()) { round_trip(&value)?; }

    #[test]
    fn job_round_trips(value in arb_job()) { round_trip(&value)?; }

    #[test]
    fn job_post_round_trips(value in arb_job_post()) { round_trip(&value)?; }

    #[test]
    fn custom_field_round_trips(value in arb_custom_field()) { round_trip(&value)?; }

    #[test]
    fn custom_field_entry_round_trips(value in arb_entry()) { round_trip(&value)?; }

    #[test]
    fn offer_round_trips(value in arb_offer()) { round_trip(&value)?; }

    #[test]
    fn scorecard_round_trips(value in arb_scorecard()) { round_trip(&value)?; }

    #[test]
    fn enums_round_trip(
        a in arb_enum!(ApplicationStatus),
        b in arb_enum!(ApprovalType),
        c in arb_enum!(ApprovalStatus),
        d in arb_enum!(ApproverStatus),
        e in arb_enum!(CustomFieldType),
        f in arb_enum!(CustomFieldValueType),
        g in arb_enum!(JobStatus),
        h in arb_enum!(OfferStatus),
        i in arb_enum!(RejectionReasonTypeKey),
        j in arb_enum!(ScorecardRating),
        k in arb_enum!(ScorecardStatus),
        l in arb_enum!(JobOwnerType),
        m in arb_enum!(NoteVisibility),
        n in arb_enum!(QuestionAnswerType),
    ) {
        round_trip(&a)?; round_trip(&b)?; round_trip(&c)?; round_trip(&d)?; round_trip(&e)?;
        round_trip(&f)?; round_trip(&g)?; round_trip(&h)?; round_trip(&i)?; round_trip(&j)?;
        round_trip(&k)?; round_trip(&l)?; round_trip(&m)?; round_trip(&n)?;
        // The wire form is the raw string, for known and unknown values alike.
        prop_assert_eq!(serde_json::to_value(&a).unwrap(), json!(a.as_str()));
    }

    /// A typed value written as JSON reads back as the same typed value, also after the entry
    /// holding it goes through serde.
    #[test]
    fn custom_field_value_round_trips((value_type, value) in arb_typed_value(), name in opt_text()) {
        let entry = CustomFieldEntry::new(name, value_type, &value);
        prop_assert_eq!(entry.typed_value(), value.clone());
        let text = serde_json::to_string(&entry).unwrap();
        let back: CustomFieldEntry = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(back.typed_value(), value.clone());
        prop_assert_eq!(serde_json::to_value(&value).unwrap(), value.to_json());
    }

    /// Reading any JSON as any value type never panics, and only `null` is ever `Empty` besides
    /// the empty string.
    #[test]
    fn typed_value_never_panics(
        value_type in proptest::option::of(arb_enum!(CustomFieldValueType)),
        value in arb_json(),
    ) {
        let typed = CustomFieldValue::from_json(value_type.as_ref(), &value);
        if typed == CustomFieldValue::Empty {
            prop_assert!(value.is_null() || value == json!(""));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Arbitrary input never panics
// ---------------------------------------------------------------------------------------------

/// Field names of the models, so random objects often hit real fields with wrong values.
const FIELD_NAMES: &[&str] = &[
    "id",
    "candidate_id",
    "job_id",
    "status",
    "custom_fields",
    "type",
    "value",
    "name",
    "created_at",
    "updated_at",
    "message",
    "answers",
    "tags",
    "email_addresses",
    "office_ids",
    "key",
    "questions",
    "location",
    "starts_on",
    "prospect",
    "value_type",
    "field_type",
    "application_id",
    "active",
    "question_custom_fields",
    "candidate_rating",
    "approval_type",
];

fn arb_model_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        exact_float().prop_map(Value::from),
        any::<String>().prop_map(Value::String),
        Just(json!("2024-12-15T03:55:00.000Z")),
        Just(json!("2024-12-15 05:55:00.25+02:00")),
        Just(json!("2025-01-06")),
        Just(json!("in_process")),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        let key =
            prop_oneof![prop::sample::select(FIELD_NAMES).prop_map(str::to_owned), "[a-z_]{1,6}"];
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Value::Array),
            btree_map(key, inner, 0..8).prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// Tries to decode `value` and `bytes` as one item and as a page of every model type, and
/// round-trips whatever `value` decodes to.
macro_rules! decode_all {
    ($value:expr, $bytes:expr; $($ty:ty),+ $(,)?) => {$(
        // Whatever decodes also survives a round trip: serialization loses nothing it read.
        if let Ok(decoded) = serde_json::from_value::<$ty>($value.clone()) {
            let text = serde_json::to_string(&decoded).unwrap();
            let again: $ty = serde_json::from_str(&text).unwrap();
            assert_eq!(again, decoded, "{}", text);
        }
        let _ = serde_json::from_value::<Vec<$ty>>(Value::Array(vec![$value.clone()]));
        let _ = serde_json::from_slice::<Vec<$ty>>($bytes);
        let _ = serde_json::from_slice::<$ty>($bytes);
    )+};
}

fn decode_everything(value: &Value, bytes: &[u8]) {
    decode_all!(value, bytes;
        Application, ApplicationStage, RejectionDetail, ApprovalFlow, ApproverGroup, Approver,
        CandidateListItem, Candidate, CandidateEducation, CandidateEmployment, Note, CloseReason,
        CustomField, CustomFieldOption, Opening, JobPost, JobInterviewStage, Job, JobOwner,
        JobHiringManager, Offer, Office, Department, RejectionReason, Scorecard, Source,
        Referrer, CandidateTag, AppliedCandidateTag, TrackingLink, User, CustomFieldEntry,
        CustomFields,
    );
    if let Ok(entry) = serde_json::from_value::<CustomFieldEntry>(value.clone()) {
        let _ = entry.typed_value();
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_json_never_panics(value in arb_model_json()) {
        let bytes = serde_json::to_vec(&value).unwrap();
        decode_everything(&value, &bytes);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in vec(any::<u8>(), 0..256)) {
        decode_everything(&Value::Null, &bytes);
    }

    /// Mutating one field of a real fixture record to a random value never panics.
    #[test]
    fn mutated_fixtures_never_panic(
        stem in prop::sample::select(vec!["applications", "candidates", "jobs", "offers", "scorecards", "users"]),
        field in prop::sample::select(FIELD_NAMES),
        value in arb_model_json(),
    ) {
        let mut record = fixture_json(stem).swap_remove(0);
        record[field] = value;
        let bytes = serde_json::to_vec(&record).unwrap();
        decode_everything(&record, &bytes);
    }
}
