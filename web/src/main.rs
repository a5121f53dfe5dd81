//! EngLog's web app: a Dioxus single-page app compiled to wasm32 and served by
//! the API at `/`. `main` only launches; the layers live in their modules:
//! `api` (GraphQL calls), `state` (the session), `pages`, `components`.

mod api;
mod app;
mod components;
mod format;
mod pages;
mod state;

fn main() {
    dioxus::launch(app::App);
}
