//! Authenticated downloads (`/export/...`): fetched with the bearer token,
//! then handed to the browser as a blob URL so the file is saved, never
//! opened through a URL that would carry the token.

use gloo_net::http::Request;
use wasm_bindgen::JsCast;

use crate::api::ApiError;
use crate::state::Session;

/// Downloads `path` (same origin) and saves it as `file_name`.
pub async fn download(session: Session, path: &str, file_name: &str) -> Result<(), String> {
    let token = session
        .fresh_access_token()
        .await
        .map_err(|e| session.message_for(&e))?;
    let response = Request::get(path)
        .header("Authorization", &format!("Bearer {token}"))
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()).to_string())?;
    match response.status() {
        200 => {}
        404 => return Err("This export is not available on this server yet.".into()),
        status => return Err(ApiError::Http(status).to_string()),
    }
    let bytes = response
        .binary()
        .await
        .map_err(|e| ApiError::Network(e.to_string()).to_string())?;
    save(&bytes, file_name).ok_or_else(|| "The browser refused to save the file.".to_owned())
}

fn save(bytes: &[u8], file_name: &str) -> Option<()> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let document = web_sys::window()?.document()?;
    let link = document
        .create_element("a")
        .ok()?
        .dyn_into::<web_sys::HtmlAnchorElement>()
        .ok()?;
    link.set_href(&url);
    link.set_download(file_name);
    link.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Some(())
}
