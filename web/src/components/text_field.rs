use dioxus::prelude::*;

/// A labelled input bound to a signal.
#[component]
pub fn TextField(
    id: &'static str,
    label: &'static str,
    mut value: Signal<String>,
    #[props(default = "text")] kind: &'static str,
    #[props(default = "off")] autocomplete: &'static str,
) -> Element {
    rsx! {
        div { class: "field",
            label { r#for: id, "{label}" }
            input {
                id,
                name: id,
                r#type: kind,
                autocomplete,
                required: true,
                value: "{value}",
                oninput: move |event| value.set(event.value()),
            }
        }
    }
}
