//! Analytics definitions shared by the dashboard (API) and the report
//! context (worker): how time is attributed to days and hours, and the
//! formula of every metric. Pure functions over entries; no database.
//!
//! Flow: entries → [`slices`] (split at local hour boundaries) → [`Tally`]
//! (minutes per axis) → [`formulas`] (one function per metric).

pub mod formulas;
pub mod period;
pub mod slices;
pub mod tally;
pub mod trends;

pub use formulas::ProductivityMetrics;
pub use period::{PERIOD_MAX_DAYS, Period};
pub use slices::{Slice, slices};
pub use tally::{Bucket, Cell, EntryFacts, Tally};
pub use trends::{TREND_MAX_WEEKS, WeekTrend, trend_period, weekly_trends};
