mod journal;
mod sign_in;

pub use journal::Journal;
pub use sign_in::SignIn;
