//! EngLog's web app: a Dioxus single-page app compiled to wasm32 and served by
//! the API at `/`. `main` only launches; the layers live in their modules:
//! `api` (GraphQL calls), `state` (the session), `route` (the hash router),
//! `live` (report updates over WebSocket), `pages`, `components`.

mod api;
mod app;
mod components;
mod dates;
mod dom;
mod download;
mod format;
mod live;
mod markdown;
mod pages;
mod route;
mod shortcuts;
mod state;
mod undo;

fn main() {
    dom::performance_mark("englog-wasm-started");
    dioxus::launch(app::App);
}
