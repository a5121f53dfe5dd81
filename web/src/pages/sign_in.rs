use dioxus::prelude::*;

use crate::components::{LoginForm, RegisterForm};

/// Signed-out page: the sign-in form, or the registration form.
#[component]
pub fn SignIn() -> Element {
    let mut registering = use_signal(|| false);
    rsx! {
        section { class: "auth",
            if registering() {
                RegisterForm { on_sign_in: move |_| registering.set(false) }
            } else {
                LoginForm { on_register: move |_| registering.set(true) }
            }
        }
    }
}
