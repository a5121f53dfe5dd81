use dioxus::prelude::*;

use crate::api::{self, ops};
use crate::components::{ProjectRow, error_message};
use crate::state::use_session;

/// The person's projects: create one, see the time spent, change a
/// status, rename, recolour or delete one.
#[component(lazy)]
pub fn Projects() -> Element {
    let session = use_session();
    let mut name = use_signal(String::new);
    let mut error = use_signal(|| None::<String>);
    let mut version = use_signal(|| 0u32);
    let list = use_resource(move || async move {
        let _ = version();
        api::authed::<ops::Projects>(session, ops::projects::Variables)
            .await
            .map(|d| d.projects)
            .map_err(|e| session.message_for(&e))
    });

    let create = move |event: FormEvent| {
        event.prevent_default();
        let text = name().trim().to_owned();
        if text.is_empty() {
            error.set(Some("Give the project a name.".into()));
            return;
        }
        spawn(async move {
            let input = ops::create_project::CreateProjectInput {
                name: text,
                color: None,
                description: None,
                start_date: None,
                end_date: None,
                status: None,
            };
            match api::authed_unit::<ops::CreateProject>(
                session,
                ops::create_project::Variables { input },
            )
            .await
            {
                Ok(_) => {
                    name.set(String::new());
                    error.set(None);
                    version += 1;
                }
                Err(e) => error.set(Some(session.message_for(&e))),
            }
        });
    };
    rsx! {
        section { class: "projects",
            h1 { "Projects" }
            form { id: "new-project", class: "card inline-form", onsubmit: create,
                label { r#for: "project-name", "New project" }
                input { id: "project-name", placeholder: "Name", value: "{name}", oninput: move |e| name.set(e.value()) }
                button { id: "create-project", r#type: "submit", "Create" }
            }
            {error_message(error())}
            match &*list.read() {
                None => rsx! { p { class: "loading", role: "status", "Loading…" } },
                Some(Err(message)) => error_message(Some(message.clone())),
                Some(Ok(projects)) if projects.is_empty() => rsx! {
                    p { class: "empty", "No projects yet. Projects group entries, e.g. by team goal." }
                },
                Some(Ok(projects)) => rsx! {
                    ul { id: "projects", class: "list",
                        for p in projects.iter().cloned() {
                            ProjectRow { key: "{p.id}", project: p, on_changed: move |_| version += 1 }
                        }
                    }
                },
            }
        }
    }
}
