use dioxus::prelude::*;

use crate::components::{LoginForm, OAuthButtons, RegisterForm, error_message};

/// Signed-out page: the sign-in form (or registration) and the OAuth
/// providers; `oauth_error` is why a provider sign-in just failed.
#[component]
pub fn SignIn(oauth_error: Option<String>) -> Element {
    let mut registering = use_signal(|| false);
    rsx! {
        section { class: "auth",
            {error_message(oauth_error)}
            if registering() {
                RegisterForm { on_sign_in: move |_| registering.set(false) }
            } else {
                LoginForm { on_register: move |_| registering.set(true) }
            }
            OAuthButtons {}
        }
    }
}
