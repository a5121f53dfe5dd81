//! Asking for a report and waiting for it, shared by the tests that need a
//! finished (or failed) one.

use serde_json::json;
use std::time::{Duration, Instant};

use crate::helpers::TestApp;

const REQUEST: &str =
    "mutation($i: RequestInsightInput!) { requestInsight(input: $i) { id status } }";

impl TestApp {
    /// Requests the weekly report of the week starting `start` and waits
    /// (up to `wait`) until it is in `status`; returns its id.
    pub async fn report_in_status_within(
        &self,
        token: &str,
        start: &str,
        status: &str,
        wait: Duration,
    ) -> String {
        let end = chrono::NaiveDate::parse_from_str(start, "%Y-%m-%d")
            .expect("a date")
            .checked_add_days(chrono::Days::new(6))
            .expect("a week later")
            .to_string();
        let data = self
            .ok(
                REQUEST,
                json!({ "i": { "reportType": "WEEKLY", "periodStart": start, "periodEnd": end } }),
                token,
            )
            .await;
        let id = data["requestInsight"]["id"].as_str().unwrap().to_owned();
        let deadline = Instant::now() + wait;
        loop {
            let data = self
                .ok(
                    "query($id: UUID!) { insight(id: $id) { status error } }",
                    json!({ "id": id }),
                    token,
                )
                .await;
            if data["insight"]["status"] == status {
                return id;
            }
            assert!(
                Instant::now() < deadline,
                "report never reached {status}: {data}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// [`Self::report_in_status_within`] 30 s.
    pub async fn report_in_status(&self, token: &str, start: &str, status: &str) -> String {
        self.report_in_status_within(token, start, status, Duration::from_secs(30))
            .await
    }
}
