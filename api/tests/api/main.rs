//! The API's one integration-test binary: every module is a group of user
//! stories run against a real server.

mod helpers;

mod analytics;
mod auth;
mod entries;
mod http;
mod isolation;
mod profile;
mod projects;
mod schema;
mod tags;
mod validation;
