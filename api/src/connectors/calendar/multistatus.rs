//! The `calendar-data` of a CalDAV multistatus answer (RFC 4791 §9.6),
//! read without a full XML parser: each is the text content of an element
//! whose local name is `calendar-data`, XML-escaped or in CDATA.

use crate::connectors::source::SourceError;

fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = rest.find(';') else { break };
        let entity = &rest[1..end];
        let decoded = match entity {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            e if e.starts_with("#x") || e.starts_with("#X") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The text of an element's content (CDATA sections kept as written).
fn content(inner: &str) -> String {
    let mut out = String::new();
    let mut rest = inner;
    while let Some(at) = rest.find("<![CDATA[") {
        out.push_str(&unescape(&rest[..at]));
        let after = &rest[at + 9..];
        let end = after.find("]]>").unwrap_or(after.len());
        out.push_str(&after[..end]);
        rest = after.get(end + 3..).unwrap_or("");
    }
    out.push_str(&unescape(rest));
    out
}

/// Every `calendar-data` of the answer, joined into one iCalendar text.
pub fn calendar_data(xml: &str) -> Result<String, SourceError> {
    if !xml.contains("multistatus") {
        return Err(SourceError::Calendar(
            "the CalDAV server's answer is not a multistatus document".into(),
        ));
    }
    let mut calendars = String::new();
    let mut rest = xml;
    while let Some(open) = rest.find("calendar-data") {
        // The start tag: `<C:calendar-data …>` (not a closing or empty one).
        let before = &rest[..open];
        let tag_start = before.rfind('<').unwrap_or(0);
        let after_name = &rest[open + "calendar-data".len()..];
        let Some(close_of_tag) = after_name.find('>') else {
            break;
        };
        let is_start =
            !before[tag_start..].starts_with("</") && !after_name[..close_of_tag].ends_with('/');
        if !is_start {
            rest = &after_name[close_of_tag + 1..];
            continue;
        }
        let body = &after_name[close_of_tag + 1..];
        let Some(end) = body.find("</") else { break };
        // The closing tag of calendar-data, after any CDATA.
        let end = body
            .find("calendar-data>")
            .and_then(|e| body[..e].rfind("</"))
            .unwrap_or(end);
        let text = content(&body[..end]);
        if !text.trim().is_empty() {
            calendars.push_str(text.trim());
            calendars.push_str("\r\n");
        }
        rest = &body[end..];
        let skip = rest.find('>').map_or(rest.len(), |i| i + 1);
        rest = &rest[skip..];
    }
    if calendars.is_empty() {
        // An empty calendar: a valid one with no events.
        return Ok("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n".into());
    }
    Ok(calendars)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_calendar_data_is_read_escaped_or_in_cdata() {
        let xml = r#"<?xml version="1.0"?>
<multistatus xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
 <response><href>/a/1.ics</href><propstat><prop>
  <C:calendar-data>BEGIN:VCALENDAR&#13;
SUMMARY:R&amp;D &lt;sync&gt;&#13;
END:VCALENDAR&#13;
</C:calendar-data></prop></propstat></response>
 <response><href>/a/2.ics</href><propstat><prop>
  <C:calendar-data><![CDATA[BEGIN:VCALENDAR
END:VCALENDAR]]></C:calendar-data></prop></propstat></response>
 <response><href>/a/3.ics</href><propstat><prop><C:calendar-data/></prop></propstat></response>
</multistatus>"#;
        let text = calendar_data(xml).unwrap();
        assert_eq!(
            text,
            "BEGIN:VCALENDAR\r\nSUMMARY:R&D <sync>\r\nEND:VCALENDAR\r\nBEGIN:VCALENDAR\nEND:VCALENDAR\r\n"
        );
        assert!(calendar_data("<html>nope</html>").is_err());
    }
}
