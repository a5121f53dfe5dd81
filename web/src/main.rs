//! EngLog's web app: a Dioxus single-page app compiled to wasm32 and served by
//! the API at `/`. `main` only launches; the layers live in their modules:
//! `api` (GraphQL calls), `state` (the session), `route` (the hash router),
//! `live` (report updates over WebSocket), `pages`, `components`.

mod api;
mod app;
mod components;
mod dates;
mod day_groups;
mod dom;
mod download;
mod entry_form;
mod filters;
mod format;
mod live;
mod markdown;
mod pages;
mod route;
mod shortcuts;
mod state;
mod undo;

/// Talc instead of the default dlmalloc: the same job in fewer wasm bytes
/// (docs/PERFORMANCE.md, "Web app (issue 7)"). The app is single-threaded.
#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn main() {
    dom::performance_mark("englog-wasm-started");
    dioxus::launch(app::App);
}
