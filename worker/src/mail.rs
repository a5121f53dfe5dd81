//! Mail for finished reports, over SMTP (lettre), to the address the job
//! carries when its owner opted in. The worker holds no address book: the
//! job says where to send, or nothing is sent.

use englog_core::jobs::{ReportJob, ReportOutput};
use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("mail configuration: {0}")]
    Config(String),
    #[error("sending mail: {0}")]
    Send(String),
}

impl Mailer {
    /// `url` like `smtp://relay.example.org:25` (plain SMTP to a local relay).
    pub fn new(url: &str, from: &str) -> Result<Self, MailError> {
        let parsed = reqwest::Url::parse(url).map_err(|e| MailError::Config(e.to_string()))?;
        if parsed.scheme() != "smtp" {
            return Err(MailError::Config(format!(
                "`{url}`: only plain smtp:// to a local relay is supported"
            )));
        }
        let host = parsed
            .host_str()
            .ok_or_else(|| MailError::Config(format!("`{url}` has no host")))?;
        // Plain SMTP: meant for a relay on the same host or private network,
        // which handles TLS and authentication onwards.
        let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(parsed.port().unwrap_or(25))
            .build();
        let from = from
            .parse()
            .map_err(|e: lettre::address::AddressError| MailError::Config(e.to_string()))?;
        Ok(Self { transport, from })
    }

    /// A plain-text message (also used by the API for account notices).
    pub async fn send_text(&self, to: &str, subject: &str, body: String) -> Result<(), MailError> {
        let to: Mailbox = to
            .parse()
            .map_err(|e: lettre::address::AddressError| MailError::Config(e.to_string()))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| MailError::Config(e.to_string()))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| MailError::Send(e.to_string()))
    }

    pub async fn report_ready(
        &self,
        to: &str,
        job: &ReportJob,
        output: &ReportOutput,
    ) -> Result<(), MailError> {
        let subject = format!(
            "Your {} report for {} to {} is ready",
            job.report_type, job.period_start, job.period_end
        );
        self.send_text(to, &subject, output.content.clone()).await
    }
}
