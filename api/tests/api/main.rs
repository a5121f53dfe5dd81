//! The API's one integration-test binary: every module is a group of user
//! stories run against a real server.

mod helpers;

mod account_deletion;
mod analytics;
mod analytics_tag_links;
mod auth;
mod cancelled_transactions;
mod cli;
mod concurrency;
mod connectors;
mod enrichment;
mod entries;
mod entry_create_statements;
mod entry_pages;
mod exports;
mod hostile;
mod http;
mod identity;
mod insights;
mod insights_data_loss;
mod insights_faults;
mod insights_model_wait;
mod insights_resend;
mod insights_resync;
mod integrations;
mod isolation;
mod job_faults;
mod mcp;
mod nudge;
mod operations;
mod portability;
mod processes;
mod profile;
mod projects;
mod report_requests;
mod schedule;
mod schema;
mod statement_count;
mod tags;
mod timer;
mod validation;
mod warm_connections;
mod web_e2e;
mod webdriver;
mod ws;
