//! What decoding models logs: an unknown enum value is named once, and no personal data ever.
//!
//! One test function on purpose: `tracing` caches whether a call site is enabled, and a test
//! running on another thread of the same binary can hit the call site while the capturing
//! subscriber is being installed, which hides the event. A binary with a single test has no
//! such neighbour.

#![allow(clippy::unwrap_used, reason = "a test fails loudly on a broken fixture")]

use greenhouse_harvest::models::{
    Application, ApplicationStatus, CandidateListItem, Resource, User,
};
use serde_json::json;

/// A minimal `tracing` subscriber recording each event's level and fields.
#[derive(Clone, Default)]
struct Capture(std::sync::Arc<std::sync::Mutex<Vec<(tracing::Level, String)>>>);

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }

    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}

    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}

    fn event(&self, event: &tracing::Event<'_>) {
        struct Fields(String);
        impl tracing::field::Visit for Fields {
            fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
                use std::fmt::Write as _;
                let _ = write!(self.0, "{}={value:?} ", field.name());
            }
        }
        let mut fields = Fields(String::new());
        event.record(&mut fields);
        self.0.lock().unwrap().push((*event.metadata().level(), fields.0));
    }

    fn enter(&self, _: &tracing::span::Id) {}

    fn exit(&self, _: &tracing::span::Id) {}
}

fn decode_fixture<T: Resource>() -> Vec<T> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/v3")
        .join(format!("{}.json", T::PATH));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn decoding_logs_unknown_enum_values_once_and_no_personal_data() {
    // An unknown value warns once, naming the enum and the value; the second hit is still
    // visible, at debug level.
    let capture = Capture::default();
    tracing::subscriber::with_default(capture.clone(), || {
        let page = json!([
            {"id": 1, "candidate_id": 2, "status": "zz_warn_probe"},
            {"id": 3, "candidate_id": 4, "status": "zz_warn_probe"},
            {"id": 5, "candidate_id": 6, "status": "hired"},
        ]);
        let apps: Vec<Application> = serde_json::from_value(page).unwrap();
        assert_eq!(apps[1].status, ApplicationStatus::Unknown("zz_warn_probe".into()));
    });
    let events = capture.0.lock().unwrap().clone();
    let warnings: Vec<_> =
        events.iter().filter(|(level, _)| *level == tracing::Level::WARN).collect();
    assert_eq!(warnings.len(), 1, "{events:?}");
    assert!(warnings[0].1.contains("ApplicationStatus"), "{events:?}");
    assert!(warnings[0].1.contains("zz_warn_probe"), "{events:?}");
    assert_eq!(events.len(), 2, "{events:?}");

    // Decoding records full of personal data (and unknown enum values) logs none of it.
    let capture = Capture::default();
    tracing::subscriber::with_default(capture.clone(), || {
        assert!(!decode_fixture::<CandidateListItem>().is_empty());
        assert!(!decode_fixture::<User>().is_empty());
        assert!(!decode_fixture::<Application>().is_empty());
    });
    let events = capture.0.lock().unwrap().clone();
    assert!(!events.is_empty(), "the fixtures' unknown enum values log nothing");
    for (_, fields) in &events {
        for secret in ["Ada", "Lindqvist", "ada@example.com", "Sam", "Rivera", "Berlin"] {
            assert!(!fields.contains(secret), "{secret} logged: {fields}");
        }
    }
}
