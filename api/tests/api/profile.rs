//! Profile and preferences.

use serde_json::json;

use crate::helpers::{TestApp, error_field};
use crate::on_both_backends;

async fn a_user_updates_their_profile_and_preferences(app: TestApp) {
    let me = app.register("prefs@example.com").await;
    let profile = app
        .ok(
            "mutation { updateProfile(input: { firstName: \"Grace\", lastName: \"Hopper\" }) { firstName lastName timezone } }",
            json!({}),
            &me.access,
        )
        .await;
    assert_eq!(profile["updateProfile"]["firstName"], "Grace");
    assert_eq!(profile["updateProfile"]["timezone"], "Europe/Paris");

    let prefs = app
        .ok(
            "mutation { updatePreferences(input: { weekStart: SUNDAY, emailWeeklySummary: true, defaultActivityType: MEETING, reportLanguage: \"pt-BR\" }) { preferences { weekStart emailWeeklySummary emailReportReady defaultActivityType reportLanguage } } }",
            json!({}),
            &me.access,
        )
        .await;
    assert_eq!(
        prefs["updatePreferences"]["preferences"],
        json!({ "weekStart": "SUNDAY", "emailWeeklySummary": true, "emailReportReady": false,
                "defaultActivityType": "MEETING", "reportLanguage": "pt-BR" })
    );
    let empty_name = app
        .graphql(
            "mutation { updateProfile(input: { lastName: \"\" }) { lastName } }",
            json!({}),
            Some(&me.access),
        )
        .await;
    assert_eq!(error_field(&empty_name), "lastName");
    let again = app
        .ok(
            "{ me { lastName preferences { weekStart } } }",
            json!({}),
            &me.access,
        )
        .await;
    assert_eq!(again["me"]["lastName"], "Hopper");
    assert_eq!(again["me"]["preferences"]["weekStart"], "SUNDAY");
}

on_both_backends!(a_user_updates_their_profile_and_preferences);
