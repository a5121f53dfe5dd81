//! Small browser helpers: window event listeners that may update signals,
//! focusing an element by id, timers.

use dioxus::core::{Runtime, RuntimeGuard, ScopeId};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// Listens to `event` on the window for the page's lifetime. The handler
/// runs inside the Dioxus runtime, so it may write signals.
/// Call once (from `use_hook`).
pub fn listen_window(event: &str, mut handler: impl FnMut(web_sys::Event) + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let runtime = Runtime::current();
    let callback = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
        let _guard = RuntimeGuard::new(runtime.clone());
        runtime.in_scope(ScopeId::ROOT, || handler(e));
    });
    let _ = window.add_event_listener_with_callback(event, callback.as_ref().unchecked_ref());
    // Lives as long as the page: the listener is never removed.
    callback.forget();
}

/// Moves the keyboard focus to the element `id`, if it is on the page.
pub fn focus(id: &str) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
    }
}

/// Runs `work` holding the browser-wide lock `name` (the Web Locks API), so
/// this app's tabs take turns; where the API is missing or refuses, runs
/// it directly.
pub async fn with_tab_lock<T>(name: &str, work: impl std::future::Future<Output = T>) -> T {
    let release = match request_lock(name) {
        Some(granted) => wasm_bindgen_futures::JsFuture::from(granted)
            .await
            .ok()
            .and_then(|r| r.dyn_into::<js_sys::Function>().ok()),
        None => None,
    };
    let result = work.await;
    if let Some(release) = release {
        let _ = release.call0(&wasm_bindgen::JsValue::NULL);
    }
    result
}

/// Asks for the lock `name`. The promise resolves once it is held, with
/// the function that releases it, or with `undefined` if the request
/// failed. (web-sys gates `LockManager` behind an unstable cfg, hence the
/// reflection.)
fn request_lock(name: &str) -> Option<js_sys::Promise> {
    use js_sys::{Function, Promise, Reflect};
    use wasm_bindgen::JsValue;
    let window: JsValue = web_sys::window()?.into();
    let navigator = Reflect::get(&window, &"navigator".into()).ok()?;
    let locks = Reflect::get(&navigator, &"locks".into()).ok()?;
    if locks.is_undefined() {
        return None;
    }
    let request: Function = Reflect::get(&locks, &"request".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let mut on_granted = None::<Function>;
    let granted = Promise::new(&mut |resolve, _| on_granted = Some(resolve));
    let on_granted = on_granted?;
    let on_failed = on_granted.clone();
    // The lock is held while the promise this callback returns is pending;
    // its resolve function goes to Rust as the release.
    let callback = Closure::once_into_js(move |_lock: JsValue| {
        Promise::new(&mut |release, _| {
            let _ = on_granted.call1(&JsValue::NULL, &release);
        })
    });
    let outcome: Promise = request
        .call2(&locks, &name.into(), &callback)
        .ok()?
        .dyn_into()
        .ok()?;
    let failed = Closure::<dyn FnMut(JsValue)>::once(move |_error: JsValue| {
        let _ = on_failed.call1(&JsValue::NULL, &JsValue::UNDEFINED);
    });
    let _ = outcome.catch(&failed);
    // Owned by JavaScript from here on (freed after its one call or with
    // the promise).
    let _ = failed.into_js_value();
    Some(granted)
}

/// Resolves after `ms` milliseconds.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Marks a point of the page's life for `performance.getEntriesByName`
/// (the interactive-time measurement in docs/PERFORMANCE.md reads them).
pub fn performance_mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

/// The text of the first file picked in the `<input type="file">` `id`, or
/// None when there is none (read with `Blob.text()`, UTF-8).
pub async fn picked_file_text(id: &str) -> Option<String> {
    let file = picked_file(id)?;
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .ok()?;
    text.as_string()
}

/// The size in bytes of the file picked in the `<input type=file>` `id`.
pub fn picked_file_size(id: &str) -> Option<f64> {
    picked_file(id).map(|f| f.size())
}

fn picked_file(id: &str) -> Option<web_sys::File> {
    let input: web_sys::HtmlInputElement = web_sys::window()?
        .document()?
        .get_element_by_id(id)?
        .dyn_into()
        .ok()?;
    input.files()?.get(0)
}
