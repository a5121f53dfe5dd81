//! Ordered migrations. Files are named `mYYYYMMDD_NNNNNN_<verb>_<table>.rs`.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_create_users;
mod m20261122_000002_create_journal;
mod m20261122_000003_create_insights_and_jobs;
mod m20261122_000004_create_credentials;
mod m20261122_000005_cover_log_entries_for_analytics;
mod m20261122_000006_add_session_last_used;
mod m20261122_000007_create_oauth_login_states;
mod m20261122_000009_add_entry_import_fields;
mod m20261122_000010_create_enrichment;
mod m20261204_000011_add_insight_warnings;
mod m20261204_000012_add_insight_client_request_id;
mod m20261204_000022_index_jobs_by_user_kind_status;
mod m20261204_000023_create_connectors;
mod m20261204_000024_create_draft_origins;
mod m20261205_000025_cover_drafts_for_analytics;
mod m20261205_000026_create_running_timers;
mod m20261205_000027_unique_project_names_any_case;
mod m20261205_000030_create_missed_day_nudges;
mod m20261205_000031_create_dismissed_drafts;
mod m20261206_000032_tag_links_carry_entry_window;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_create_users::Migration),
            Box::new(m20261122_000002_create_journal::Migration),
            Box::new(m20261122_000003_create_insights_and_jobs::Migration),
            Box::new(m20261122_000004_create_credentials::Migration),
            Box::new(m20261122_000005_cover_log_entries_for_analytics::Migration),
            Box::new(m20261122_000006_add_session_last_used::Migration),
            Box::new(m20261122_000007_create_oauth_login_states::Migration),
            Box::new(m20261122_000009_add_entry_import_fields::Migration),
            Box::new(m20261122_000010_create_enrichment::Migration),
            Box::new(m20261204_000011_add_insight_warnings::Migration),
            Box::new(m20261204_000012_add_insight_client_request_id::Migration),
            Box::new(m20261204_000022_index_jobs_by_user_kind_status::Migration),
            Box::new(m20261204_000023_create_connectors::Migration),
            Box::new(m20261204_000024_create_draft_origins::Migration),
            Box::new(m20261205_000025_cover_drafts_for_analytics::Migration),
            Box::new(m20261205_000026_create_running_timers::Migration),
            Box::new(m20261205_000027_unique_project_names_any_case::Migration),
            Box::new(m20261205_000030_create_missed_day_nudges::Migration),
            Box::new(m20261205_000031_create_dismissed_drafts::Migration),
            Box::new(m20261206_000032_tag_links_carry_entry_window::Migration),
        ]
    }
}
