//! One project in the projects list: its time, its status, and rename,
//! recolour or delete in place (deleting says first what happens to the
//! entries).

use dioxus::prelude::*;

use crate::api::{self, ops};
use crate::components::error_message;
use crate::format::{self, count, enum_name, enum_value, label};
use crate::state::use_session;

type Project = ops::projects::ProjectsProjects;

const STATUSES: [&str; 4] = ["ACTIVE", "ON_HOLD", "COMPLETED", "CANCELLED"];
/// The colour offered to a project that has none yet.
const DEFAULT_COLOR: &str = "#2f5d8a";

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    View,
    Edit,
    ConfirmDelete,
}

fn update(
    name: Option<String>,
    color: Option<String>,
    status: Option<String>,
) -> ops::update_project::UpdateProjectInput {
    ops::update_project::UpdateProjectInput {
        name,
        color,
        status: status.as_deref().and_then(enum_value),
        description: None,
        start_date: None,
        end_date: None,
    }
}

#[component]
pub fn ProjectRow(project: Project, on_changed: EventHandler<()>) -> Element {
    let session = use_session();
    let mut mode = use_signal(|| Mode::View);
    let mut name = use_signal(|| project.name.clone());
    let mut color = use_signal(|| {
        project
            .color
            .clone()
            .unwrap_or_else(|| DEFAULT_COLOR.into())
    });
    let mut error = use_signal(|| None::<String>);
    let id = project.id.clone();

    let send = move |id: String, input: ops::update_project::UpdateProjectInput| async move {
        let variables = ops::update_project::Variables { id, input };
        match api::authed_unit::<ops::UpdateProject>(session, variables).await {
            Ok(()) => {
                error.set(None);
                mode.set(Mode::View);
                on_changed.call(());
            }
            Err(e) => error.set(Some(session.message_for(&e))),
        }
    };
    let save = {
        let id = id.clone();
        move |event: FormEvent| {
            event.prevent_default();
            let text = name().trim().to_owned();
            if text.is_empty() {
                error.set(Some("Give the project a name.".into()));
                return;
            }
            spawn(send(id.clone(), update(Some(text), Some(color()), None)));
        }
    };
    let set_status = {
        let id = id.clone();
        move |e: FormEvent| {
            spawn(send(id.clone(), update(None, None, Some(e.value()))));
        }
    };
    let delete = {
        let id = id.clone();
        move |_| {
            let id = id.clone();
            spawn(async move {
                let variables = ops::delete_project::Variables { id };
                match api::authed_unit::<ops::DeleteProject>(session, variables).await {
                    Ok(()) => on_changed.call(()),
                    Err(e) => error.set(Some(session.message_for(&e))),
                }
            });
        }
    };
    let swatch = project
        .color
        .clone()
        .unwrap_or_else(|| "transparent".into());
    let time = format!(
        "{} · {}",
        count(project.entry_count, "entry", "entries"),
        format::duration(project.total_minutes)
    );

    rsx! {
        li { class: "row project", "data-id": "{project.id}",
            {error_message(error())}
            match mode() {
                Mode::View => rsx! {
                    // A colour as an SVG fill: inline styles are refused by
                    // the server's Content-Security-Policy.
                    svg { class: "swatch", "viewBox": "0 0 10 10", "aria-hidden": "true",
                        circle { "cx": "5", "cy": "5", "r": "5", "fill": "{swatch}" }
                    }
                    span { class: "name", "{project.name}" }
                    span { class: "muted", "{time}" }
                    select { class: "project-status", aria_label: "Status of {project.name}", onchange: set_status,
                        for s in STATUSES {
                            option { value: s, selected: enum_name(&project.status) == s, {label(s)} }
                        }
                    }
                    button { class: "secondary project-edit", r#type: "button", onclick: move |_| mode.set(Mode::Edit), "Edit" }
                    button { class: "secondary project-delete", r#type: "button", onclick: move |_| mode.set(Mode::ConfirmDelete), "Delete" }
                },
                Mode::Edit => rsx! {
                    form { class: "inline-form project-form", onsubmit: save,
                        label { r#for: "project-name-{project.id}", "Name" }
                        input { id: "project-name-{project.id}", class: "project-name", value: "{name}",
                            oninput: move |e| name.set(e.value()) }
                        label { r#for: "project-color-{project.id}", "Colour" }
                        input { id: "project-color-{project.id}", class: "project-color", r#type: "color", value: "{color}",
                            oninput: move |e| color.set(e.value()) }
                        button { class: "project-save", r#type: "submit", "Save" }
                        button { class: "secondary", r#type: "button", onclick: move |_| mode.set(Mode::View), "Cancel" }
                    }
                },
                Mode::ConfirmDelete => rsx! {
                    p { class: "confirm",
                        "Delete {project.name}? Its {time} stay in your journal, without a project. Reports already written keep their text."
                    }
                    button { class: "danger project-delete-confirm", r#type: "button", onclick: delete, "Delete project" }
                    button { class: "secondary", r#type: "button", onclick: move |_| mode.set(Mode::View), "Keep it" }
                },
            }
        }
    }
}
