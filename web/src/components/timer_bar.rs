//! The running timer, on every page: start one with a title and a type,
//! watch it run, stop it into an entry or discard it. The server keeps the
//! timer, so a reload or another device shows the same one.

use dioxus::prelude::*;

use crate::api::{self, ops};
use crate::components::error_message;
use crate::dom;
use crate::format::{ACTIVITY_TYPES, enum_value, label};
use crate::state::use_session;
use crate::undo::use_deletions;

/// How often another device's start or stop is picked up.
const RESYNC_MS: i32 = 60_000;

/// "1:05:09" or "4:02": the time since `started_ms`.
fn elapsed(started_ms: f64, now_ms: f64) -> String {
    let seconds = ((now_ms - started_ms) / 1000.0).max(0.0) as i64;
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

#[component]
pub fn TimerBar() -> Element {
    let session = use_session();
    // A stopped timer wrote an entry: the journal reloads on this.
    let mut journal_version = use_deletions().journal_version;
    let mut timer = use_signal(|| None::<(String, f64)>);
    let mut now = use_signal(js_sys::Date::now);
    let mut title = use_signal(String::new);
    let mut activity = use_signal(|| "CODE".to_owned());
    let mut busy = use_signal(|| false);
    let mut error = use_signal(|| None::<String>);

    let resync = move || async move {
        match api::authed::<ops::RunningTimer>(session, ops::running_timer::Variables).await {
            Ok(data) => timer.set(data.running_timer.map(|t| {
                let started = js_sys::Date::parse(&t.started_at);
                (t.title, started)
            })),
            Err(e) => error.set(Some(session.message_for(&e))),
        }
    };
    use_future(move || async move {
        loop {
            resync().await;
            dom::sleep(RESYNC_MS).await;
        }
    });
    // The clock only ticks while a timer runs.
    use_future(move || async move {
        loop {
            dom::sleep(1_000).await;
            if timer.peek().is_some() {
                now.set(js_sys::Date::now());
            }
        }
    });

    let start = move |event: FormEvent| {
        event.prevent_default();
        let text = title().trim().to_owned();
        if text.is_empty() {
            error.set(Some("Give the timer a title.".into()));
            return;
        }
        let Some(activity_type) = enum_value(&activity()) else {
            error.set(Some("Choose a type.".into()));
            return;
        };
        busy.set(true);
        error.set(None);
        spawn(async move {
            let input = ops::start_timer::StartTimerInput {
                title: text,
                activity_type,
                description: None,
                project_id: None,
                tags: Vec::new(),
                value_rating: None,
                impact_level: None,
                start_time: None,
            };
            let variables = ops::start_timer::Variables { input };
            match api::authed::<ops::StartTimer>(session, variables).await {
                Ok(data) => {
                    let t = data.start_timer.timer;
                    timer.set(Some((t.title, js_sys::Date::parse(&t.started_at))));
                    now.set(js_sys::Date::now());
                    title.set(String::new());
                }
                Err(e) => error.set(Some(session.message_for(&e))),
            }
            busy.set(false);
        });
    };
    let stop = move |_| {
        busy.set(true);
        spawn(async move {
            match api::authed_unit::<ops::StopTimer>(session, ops::stop_timer::Variables).await {
                Ok(()) => {
                    timer.set(None);
                    journal_version += 1;
                }
                Err(e) => error.set(Some(session.message_for(&e))),
            }
            busy.set(false);
        });
    };
    let discard = move |_| {
        busy.set(true);
        spawn(async move {
            match api::authed_unit::<ops::DiscardTimer>(session, ops::discard_timer::Variables)
                .await
            {
                Ok(()) => timer.set(None),
                Err(e) => error.set(Some(session.message_for(&e))),
            }
            busy.set(false);
        });
    };

    rsx! {
        div { id: "timer", class: "timer-bar",
            {error_message(error())}
            match timer() {
                Some((running_title, started)) => rsx! {
                    p { class: "timer-running", role: "status",
                        span { class: "timer-dot", aria_hidden: "true" }
                        span { id: "timer-title", "{running_title}" }
                        " "
                        time { id: "timer-elapsed", {elapsed(started, now())} }
                    }
                    button { id: "timer-stop", r#type: "button", disabled: busy(), onclick: stop, "Stop" }
                    button { id: "timer-discard", r#type: "button", class: "secondary", disabled: busy(),
                        onclick: discard, "Discard" }
                },
                None => rsx! {
                    form { class: "timer-start", onsubmit: start, aria_label: "Start a timer",
                        label { class: "visually-hidden", r#for: "timer-new-title", "Timer title" }
                        input { id: "timer-new-title", placeholder: "Start a timer…", autocomplete: "off",
                            value: "{title}", oninput: move |e| title.set(e.value()) }
                        label { class: "visually-hidden", r#for: "timer-type", "Timer type" }
                        select { id: "timer-type", value: "{activity}", onchange: move |e| activity.set(e.value()),
                            for name in ACTIVITY_TYPES {
                                option { value: name, selected: name == activity(), {label(name)} }
                            }
                        }
                        button { id: "timer-start", r#type: "submit", disabled: busy(), "Start" }
                    }
                },
            }
        }
    }
}
