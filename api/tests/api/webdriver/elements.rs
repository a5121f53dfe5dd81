//! Elements by CSS selector: finding them, waiting for them (or for their
//! text, or for them to go), reading their text, clicking and typing.
//! Every command retries while the SPA is still rendering.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};

use super::{Browser, POLL, WAIT, WebDriverError};

/// The W3C key of an element reference in JSON.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

impl Browser {
    /// The element matching `css` now, if there is one.
    pub async fn find(&self, css: &str) -> Result<String, WebDriverError> {
        let found = self
            .session_command(
                Method::POST,
                "/element",
                Some(json!({ "using": "css selector", "value": css })),
            )
            .await?;
        Ok(element_id(&found))
    }

    /// Every element matching `css` now.
    pub async fn find_all(&self, css: &str) -> Vec<String> {
        let found = self
            .session_command(
                Method::POST,
                "/elements",
                Some(json!({ "using": "css selector", "value": css })),
            )
            .await
            .unwrap_or_else(|e| panic!("cannot look for {css}: {e}"));
        found
            .as_array()
            .map(|all| all.iter().map(element_id).collect())
            .unwrap_or_default()
    }

    /// Waits until an element matches `css` and returns it.
    pub async fn wait_for(&self, css: &str, timeout: Duration) -> String {
        self.retry(css, timeout, move || self.find(css)).await
    }

    /// Waits until exactly `count` elements match `css` and returns them.
    pub async fn wait_for_count(&self, css: &str, count: usize, timeout: Duration) -> Vec<String> {
        let deadline = Instant::now() + timeout;
        loop {
            let found = self.find_all(css).await;
            if found.len() == count {
                return found;
            }
            if Instant::now() >= deadline {
                panic!(
                    "expected {count} element(s) matching {css} within {timeout:?}, found {}; \
                     page text: {:?}",
                    found.len(),
                    self.page_text().await
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits until the element matching `css` shows some text and returns it.
    pub async fn wait_for_text(&self, css: &str, timeout: Duration) -> String {
        self.retry(css, timeout, move || async move {
            let text = self.text_now(css).await?;
            if text.trim().is_empty() {
                return Err(WebDriverError {
                    error: "no such element".into(),
                    message: format!("{css} has no text yet"),
                });
            }
            Ok(text)
        })
        .await
    }

    /// Waits until the element matching `css` shows text containing
    /// `needle` and returns that text.
    pub async fn wait_for_text_containing(
        &self,
        css: &str,
        needle: &str,
        timeout: Duration,
    ) -> String {
        self.retry(css, timeout, move || async move {
            let text = self.text_now(css).await?;
            if !text.contains(needle) {
                return Err(WebDriverError {
                    error: "no such element".into(),
                    message: format!("{css} shows {text:?}, not yet {needle:?}"),
                });
            }
            Ok(text)
        })
        .await
    }

    /// Waits until nothing matches `css`.
    pub async fn wait_for_gone(&self, css: &str, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while !self.find_all(css).await.is_empty() {
            if Instant::now() >= deadline {
                panic!(
                    "{css} is still on the page after {timeout:?}; page text: {:?}",
                    self.page_text().await
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Clicks the element matching `css` (waiting for it).
    pub async fn click(&self, css: &str) {
        self.retry(css, WAIT, move || async move {
            let id = self.find(css).await?;
            self.session_command(
                Method::POST,
                &format!("/element/{id}/click"),
                Some(json!({})),
            )
            .await
            .map(drop)
        })
        .await
    }

    /// Types `text` into the element matching `css` (waiting for it).
    pub async fn type_text(&self, css: &str, text: &str) {
        self.retry(css, WAIT, move || async move {
            let id = self.find(css).await?;
            self.session_command(
                Method::POST,
                &format!("/element/{id}/value"),
                Some(json!({ "text": text })),
            )
            .await
            .map(drop)
        })
        .await
    }

    /// Replaces the value of the field matching `css` (waiting for it) and
    /// fires `input` and `change`, as a person's edit does.
    pub async fn set_value(&self, css: &str, value: &str) {
        self.wait_for(css, WAIT).await;
        self.execute(
            "const el = document.querySelector(arguments[0]);
             el.value = arguments[1];
             el.dispatchEvent(new Event('input', { bubbles: true }));
             el.dispatchEvent(new Event('change', { bubbles: true }));",
            json!([css, value]),
        )
        .await;
    }

    /// The visible text of the element matching `css` (waiting for it).
    pub async fn text(&self, css: &str) -> String {
        self.retry(css, WAIT, move || self.text_now(css)).await
    }

    /// The visible text of every element matching `css`, in document order.
    pub async fn texts(&self, css: &str) -> Vec<String> {
        self.retry(css, WAIT, move || async move {
            let mut texts = Vec::new();
            for id in self.find_all(css).await {
                texts.push(self.element_text(&id).await?);
            }
            Ok(texts)
        })
        .await
    }

    /// The text of the whole page, for failure messages.
    pub async fn page_text(&self) -> String {
        match self.find("body").await {
            Ok(id) => self.element_text(&id).await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    async fn text_now(&self, css: &str) -> Result<String, WebDriverError> {
        let id = self.find(css).await?;
        self.element_text(&id).await
    }

    async fn element_text(&self, id: &str) -> Result<String, WebDriverError> {
        let text = self
            .session_command(Method::GET, &format!("/element/{id}/text"), None)
            .await?;
        Ok(text.as_str().unwrap_or_default().to_owned())
    }

    /// Runs `attempt` until it succeeds, retrying transient errors until
    /// `timeout`; panics with the last error and the page text otherwise.
    async fn retry<T, F, Fut>(&self, css: &str, timeout: Duration, mut attempt: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, WebDriverError>>,
    {
        let deadline = Instant::now() + timeout;
        loop {
            match attempt().await {
                Ok(value) => return value,
                Err(e) if e.is_transient() && Instant::now() < deadline => {
                    tokio::time::sleep(POLL).await
                }
                Err(e) => panic!(
                    "{css}: {e} (after up to {timeout:?}); page text: {:?}",
                    self.page_text().await
                ),
            }
        }
    }
}

fn element_id(found: &Value) -> String {
    found[ELEMENT_KEY]
        .as_str()
        .unwrap_or_else(|| panic!("expected an element reference, got {found}"))
        .to_owned()
}
