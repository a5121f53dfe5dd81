//! The running timer: start it with what the entry will say, stop it and
//! the entry is written from its start to now. One per person, stored on
//! the server (survives a reload, the same on every device); starting a
//! second one stops the first into its entry.

pub mod graphql;
pub mod service;
