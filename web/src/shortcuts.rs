//! Keyboard shortcuts, anywhere outside a text field:
//! `n` focuses the quick-add title, `/` the journal search.

use wasm_bindgen::JsCast;

use crate::dom;
use crate::route::{Route, navigate};

/// Installs the window listener (once, from `App`).
pub fn install() {
    dom::listen_window("keydown", |event| {
        let Some(key) = event.dyn_ref::<web_sys::KeyboardEvent>() else {
            return;
        };
        if key.ctrl_key() || key.meta_key() || key.alt_key() || typing_in_a_field(&event) {
            return;
        }
        let target = match key.key().as_str() {
            "n" => "quick-title",
            "/" => "search",
            _ => return,
        };
        event.prevent_default();
        if !is_on_page(target) {
            navigate(&Route::Journal);
        }
        dom::focus(target);
    });
}

fn typing_in_a_field(event: &web_sys::Event) -> bool {
    event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
}

fn is_on_page(id: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .is_some()
}
