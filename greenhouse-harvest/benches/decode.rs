//! Decoding a 500-item applications page: into `Vec<Application>` versus into
//! `serde_json::Value`, in the same run. The typed decode must be no slower.
//!
//! Run: `cargo bench -p greenhouse-harvest --bench decode -- --warm-up-time 1 --measurement-time 3`

#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use greenhouse_harvest::models::Application;
use serde_json::{Value, json};

/// Builds a page the way Harvest sends one: a bare array of applications with the documented
/// fields, a mix of nulls, a handful of custom fields of several types and a few answers.
fn applications_page(count: u64) -> String {
    let statuses = ["in_process", "rejected", "hired", "converted"];
    let stages = ["Application Review", "Phone Screen", "Technical Interview", "Onsite", "Offer"];
    let page: Vec<Value> = (0..count)
        .map(|i| {
            let rejected = i % 4 == 1;
            json!({
                "id": 40_000_000 + i,
                "candidate_id": 30_000_000 + i * 3,
                "job_id": if i % 10 == 0 { Value::Null } else { json!(4_000 + i % 37) },
                "job_post_id": if i % 3 == 0 { Value::Null } else { json!(5_000 + i % 53) },
                "recruiter_id": 6_000 + i % 11,
                "coordinator_id": if i % 2 == 0 { Value::Null } else { json!(6_100 + i % 7) },
                "referrer_id": if i % 9 == 0 { json!(7_000 + i) } else { Value::Null },
                "source_id": 8_000 + i % 23,
                "agency_note_id": Value::Null,
                "stage_id": 90_000_000 + i,
                "stage_name": stages[usize::try_from(i % 5).unwrap_or(0)],
                "status": statuses[usize::try_from(i % 4).unwrap_or(0)],
                "needs_decision": i % 5 == 0,
                "prospect": i % 10 == 0,
                "rejected_at": if rejected { json!("2024-11-30T16:00:00.000Z") } else { Value::Null },
                "last_activity_at": format!("2024-12-{:02}T{:02}:{:02}:17.123Z", 1 + i % 28, i % 24, i % 60),
                "location_address": if i % 2 == 0 { json!("Berlin, Germany") } else { Value::Null },
                "answers": [
                    {"question": "Do you need a visa to work in the EU?", "answer": if i % 2 == 0 { "No" } else { "Yes" }},
                    {"question": "What is your notice period?", "answer": "Three months"},
                ],
                "prospective_job_ids": if i % 10 == 0 { json!([4001, 4002]) } else { json!([]) },
                "custom_fields": {
                    "rocketmat": {"name": "Rocketmat", "type": "number", "value": if i % 3 == 0 { Value::Null } else { json!(i % 100) }},
                    "visa_required": {"name": "Visa required", "type": "yes_no", "value": i % 2 == 0},
                    "earliest_start": {"name": "Earliest start", "type": "date", "value": "2025-02-01"},
                    "seniority": {"name": "Seniority", "type": "single_select", "value": "Senior"},
                    "languages": {"name": "Languages", "type": "multi_select", "value": ["English", "German"]},
                },
                "created_at": format!("2024-{:02}-{:02}T09:30:00.000Z", 1 + i % 12, 1 + i % 28),
                "updated_at": format!("2024-12-{:02}T03:55:00.000Z", 1 + i % 28),
            })
        })
        .collect();
    serde_json::to_string(&page).unwrap_or_default()
}

fn decode(c: &mut Criterion) {
    let body = applications_page(500);
    // A page that does not decode would make the comparison meaningless: fail loudly.
    let typed: Vec<Application> = serde_json::from_str(&body).unwrap_or_default();
    assert_eq!(typed.len(), 500, "bench page must decode");

    let mut group = c.benchmark_group("applications_page_500");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_with_input(BenchmarkId::new("typed", body.len()), &body, |b, body| {
        b.iter(|| serde_json::from_str::<Vec<Application>>(black_box(body)).map(|v| v.len()));
    });
    group.bench_with_input(BenchmarkId::new("value", body.len()), &body, |b, body| {
        b.iter(|| serde_json::from_str::<Value>(black_box(body)).map(|v| v.is_array()));
    });
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
