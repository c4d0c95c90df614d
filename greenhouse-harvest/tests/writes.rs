//! The custom-field write: the PATCH body as sent, what comes back, and the field lookup.

// Helpers outside `#[test]` functions (responders, builders) unwrap too: a failure there is
// a test failure, which is what a panic reports.
#![allow(clippy::unwrap_used)]

mod common;

use greenhouse_harvest::Error;
use greenhouse_harvest::api::{CustomFieldsShape, UpdateCustomFields};
use greenhouse_harvest::ids::{ApplicationId, CustomFieldId};
use serde_json::json;
use wiremock::matchers::{bearer_token, body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn the_custom_field_patch_sends_the_documented_body() {
    let server = common::server().await;
    let mut updated = common::application(11);
    updated["custom_fields"] =
        json!({"rocketmat": {"name": "Rocketmat", "type": "number", "value": 87}});
    Mock::given(method("PATCH"))
        .and(path("/v3/applications/11"))
        .and(bearer_token(common::TOKEN))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"custom_fields": [{"name_key": "rocketmat", "value": 87}]})))
        .respond_with(ResponseTemplate::new(200).set_body_json(updated))
        .expect(1)
        .mount(&server)
        .await;
    common::catch_all(&server).await;
    let update = UpdateCustomFields::new().set_by_name_key("rocketmat", 87);
    let application = common::client(&server)
        .applications()
        .update_custom_fields(ApplicationId(11), &update)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(application.id, ApplicationId(11));
    assert!(application.custom_fields.contains_key("rocketmat"));
}

#[tokio::test]
async fn the_body_shape_can_change_in_one_place() {
    let server = common::server().await;
    Mock::given(method("PATCH"))
        .and(path("/v3/applications/12"))
        .and(body_json(json!({"custom_fields": [{"id": 99, "value": "87"}]})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/v3/applications/12"))
        .and(body_json(json!({"custom_fields": {"rocketmat": 87}})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    common::catch_all(&server).await;
    let client = common::client(&server);
    let by_id = UpdateCustomFields::new().set_by_id(CustomFieldId(99), "87");
    assert!(
        client
            .applications()
            .update_custom_fields(ApplicationId(12), &by_id)
            .await
            .unwrap()
            .is_none()
    );
    let keyed = UpdateCustomFields::new()
        .set_by_name_key("rocketmat", 87)
        .shape(CustomFieldsShape::KeyedMap);
    assert!(
        client
            .applications()
            .update_custom_fields(ApplicationId(12), &keyed)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn an_empty_update_is_refused_before_sending() {
    let server = common::server().await;
    common::catch_all(&server).await;
    let err = common::client(&server)
        .applications()
        .update_custom_fields(ApplicationId(1), &UpdateCustomFields::new())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)));
    assert!(common::received(&server).await.is_empty());
}

async fn mount_fields(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path("/v3/custom_fields"))
        .and(query_param("field_type", "application"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            common::custom_field(1, "Rocketmat", "rocketmat", "number", true),
            common::custom_field(2, "Notes", "notes", "long_text", true),
            common::custom_field(3, "Old score", "old_score", "number", false),
        ])))
        .mount(server)
        .await;
    common::catch_all(server).await;
}

#[tokio::test]
async fn the_rating_field_is_found_by_name_or_key() {
    let server = common::server().await;
    mount_fields(&server).await;
    let fields = common::client(&server).custom_fields();
    assert_eq!(
        fields.find_application_number_field("Rocketmat").await.unwrap().id,
        CustomFieldId(1)
    );
    assert_eq!(
        fields.find_application_number_field("rocketmat").await.unwrap().id,
        CustomFieldId(1)
    );
    assert_eq!(
        fields.find_application_number_field("ROCKETMAT").await.unwrap().id,
        CustomFieldId(1)
    );
}

#[tokio::test]
async fn the_rating_field_must_hold_numbers_and_be_active() {
    let server = common::server().await;
    mount_fields(&server).await;
    let fields = common::client(&server).custom_fields();
    let err = fields.find_application_number_field("notes").await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(ref m) if m.contains("long_text")), "{err}");
    let err = fields.find_application_number_field("old_score").await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(ref m) if m.contains("inactive")), "{err}");
    let err = fields.find_application_number_field("missing").await.unwrap_err();
    assert!(
        matches!(err, Error::InvalidRequest(ref m) if m.contains("no application custom field")),
        "{err}"
    );
}
