use dioxus::prelude::*;

/// The refusal of one field, under it; its id (`<field>-error`) is what the
/// field's `aria-describedby` names, so screen readers read it with the field.
#[component]
pub fn FieldError(field: &'static str, message: Option<String>) -> Element {
    rsx! {
        if let Some(message) = message {
            p { id: "{field}-error", class: "field-error", role: "alert", "{message}" }
        }
    }
}
