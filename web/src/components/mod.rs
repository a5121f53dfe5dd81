mod entry_item;
mod error_message;
mod header;
mod login_form;
mod register_form;
mod text_field;

pub use entry_item::EntryItem;
pub use error_message::ErrorMessage;
pub use header::Header;
pub use login_form::LoginForm;
pub use register_form::RegisterForm;
pub use text_field::TextField;
