//! Reading a calendar over HTTP: a CalDAV `REPORT calendar-query` first
//! (a calendar collection answers with each event's iCalendar data), then
//! a plain `GET` (an ICS feed, or a server that exports its collection as
//! one file). Same outbound rules as the forges (`forge_http`): a time
//! limit per request, our user agent, credentials only in a header marked
//! sensitive. Errors never contain the address: it is the secret.

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use reqwest::{Client, Method, Response, StatusCode};
use std::time::Duration;

use super::access::CalendarAccess;
use crate::connectors::settings::ConnectorSettings;
use crate::connectors::source::SourceError;

/// A larger answer is refused rather than read into memory.
const BODY_MAX: usize = 20 * 1024 * 1024;

const CALENDAR_QUERY: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><C:calendar-data/></D:prop>
  <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"/></C:comp-filter></C:filter>
</C:calendar-query>"#;

fn failed(message: impl Into<String>) -> SourceError {
    SourceError::Calendar(message.into())
}

fn describe(err: &reqwest::Error) -> SourceError {
    // reqwest's own text names the URL, which is the secret: say what
    // went wrong in our words instead.
    if err.is_timeout() {
        failed("the calendar server did not answer in time; the next sync retries")
    } else if err.is_connect() {
        failed(
            "cannot reach the calendar server: the connection was refused or the host is unknown",
        )
    } else if err.is_redirect() {
        failed("the calendar server redirects too often")
    } else {
        failed("cannot reach the calendar server: the request failed; the next sync retries")
    }
}

fn status_error(status: StatusCode) -> SourceError {
    match status {
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => failed(format!(
            "the calendar server refused access (HTTP {}): check the user name and password, \
             or copy the calendar's secret address again",
            status.as_u16()
        )),
        StatusCode::NOT_FOUND | StatusCode::GONE => failed(format!(
            "no calendar at this address (HTTP {}): check the address",
            status.as_u16()
        )),
        s => failed(format!(
            "the calendar server answered HTTP {}; the next sync retries",
            s.as_u16()
        )),
    }
}

pub struct CalendarHttp {
    client: Client,
    access: CalendarAccess,
}

impl CalendarHttp {
    pub fn new(access: CalendarAccess, settings: &ConnectorSettings) -> Result<Self, SourceError> {
        let client = Client::builder()
            .timeout(Duration::from_secs(settings.request_timeout_secs.max(1)))
            .user_agent(concat!("EngLog/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|_| failed("cannot build an HTTP client"))?;
        Ok(Self { client, access })
    }

    fn request(&self, method: Method) -> Result<reqwest::RequestBuilder, SourceError> {
        let mut request = self.client.request(method, &self.access.url);
        if let Some(user) = &self.access.username {
            let pair = format!("{user}:{}", self.access.password.as_deref().unwrap_or(""));
            let encoded = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, pair);
            let mut value = HeaderValue::from_str(&format!("Basic {encoded}"))
                .map_err(|_| failed("the user name or password cannot be sent"))?;
            value.set_sensitive(true);
            request = request.header(AUTHORIZATION, value);
        }
        Ok(request)
    }

    /// The calendar's iCalendar text: every event, one or more
    /// `VCALENDAR` blocks.
    pub async fn read(&self) -> Result<String, SourceError> {
        let report = self
            .request(Method::from_bytes(b"REPORT").map_err(|_| failed("bad method"))?)?
            .header("depth", "1")
            .header(CONTENT_TYPE, "application/xml; charset=utf-8")
            .body(CALENDAR_QUERY)
            .send()
            .await
            .map_err(|e| describe(&e))?;
        match report.status() {
            StatusCode::MULTI_STATUS => {
                let body = body(report).await?;
                return super::multistatus::calendar_data(&body);
            }
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                return Err(status_error(report.status()));
            }
            // Not a CalDAV collection (an ICS feed answers 405, 400, 404…):
            // read it as a feed.
            _ => {}
        }
        let response = self
            .request(Method::GET)?
            .header("accept", "text/calendar")
            .send()
            .await
            .map_err(|e| describe(&e))?;
        if !response.status().is_success() {
            return Err(status_error(response.status()));
        }
        let text = body(response).await?;
        looks_like_ics(&text)?;
        Ok(text)
    }
}

/// Reads the body, at most [`BODY_MAX`] bytes, as UTF-8.
async fn body(mut response: Response) -> Result<String, SourceError> {
    let mut bytes = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                bytes.extend_from_slice(&chunk);
                if bytes.len() > BODY_MAX {
                    return Err(failed("the calendar is larger than 20 MB"));
                }
            }
            Ok(None) => break,
            Err(_) => {
                return Err(failed(
                    "the calendar's answer was cut off before its end; the next sync retries",
                ));
            }
        }
    }
    String::from_utf8(bytes).map_err(|_| not_ics())
}

fn not_ics() -> SourceError {
    failed(
        "this address does not serve a calendar: the answer is not iCalendar data \
         (check that it is the ICS feed or CalDAV calendar address)",
    )
}

/// An ICS feed starts with `BEGIN:VCALENDAR` and ends with
/// `END:VCALENDAR`; anything else is another page or a cut-off body.
pub fn looks_like_ics(text: &str) -> Result<(), SourceError> {
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    let starts = trimmed
        .get(..15)
        .is_some_and(|s| s.eq_ignore_ascii_case("BEGIN:VCALENDAR"));
    if !starts {
        return Err(not_ics());
    }
    let ends = trimmed
        .len()
        .checked_sub(13)
        .and_then(|at| trimmed.get(at..))
        .is_some_and(|s| s.eq_ignore_ascii_case("END:VCALENDAR"));
    if !ends {
        return Err(failed(
            "the calendar's answer was cut off before its end (no END:VCALENDAR); the next sync retries",
        ));
    }
    Ok(())
}
