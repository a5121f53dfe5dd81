//! GitLab (gitlab.com, or a self-managed instance at `https://HOST/api/v4`)
//! with a personal access token (`read_api` scope), through the REST API v4:
//!
//! - `GET /user`: whose token it is;
//! - `GET /merge_requests?scope=created_by_me&updated_after=T`: merge
//!   requests authored, each with `GET /projects/P/merge_requests/IID/commits`
//!   for its first commit;
//! - `GET /merge_requests?scope=all&reviewer_username=LOGIN&updated_after=T`
//!   and `…&approved_by_usernames[]=LOGIN`, each with
//!   `GET /projects/P/merge_requests/IID/notes`: LOGIN's review comments and
//!   approvals, with their times;
//! - `GET /issues?scope=assigned_to_me&state=closed&updated_after=T`.
//!
//! Lists follow the `Link` header; rate limits are [`ForgeHttp`]'s.

use chrono::{DateTime, Utc};
use reqwest::header::{HeaderMap, HeaderName};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::collections::BTreeSet;

use super::forge_http::ForgeHttp;
use super::settings::ConnectorSettings;
use super::source::{ActivityItem, Fetched, ItemKind, Source, SourceError};

/// Pages read per list (100 items each).
const MAX_PAGES: usize = 10;

pub struct GitlabSource {
    http: ForgeHttp,
    base: String,
}

#[derive(Deserialize)]
struct Account {
    username: String,
}

#[derive(Deserialize)]
struct References {
    full: String,
}

/// A merge request or an issue, as the list endpoints return them.
#[derive(Deserialize)]
struct Work {
    iid: u64,
    project_id: u64,
    title: String,
    web_url: String,
    created_at: DateTime<Utc>,
    merged_at: Option<DateTime<Utc>>,
    closed_at: Option<DateTime<Utc>>,
    #[serde(default)]
    labels: Vec<String>,
    references: References,
}

#[derive(Deserialize)]
struct Commit {
    authored_date: DateTime<Utc>,
}

#[derive(Deserialize)]
struct Note {
    id: u64,
    body: String,
    author: Account,
    created_at: DateTime<Utc>,
    system: bool,
}

impl Work {
    /// `group/project` from `group/project!12` or `group/project#34`.
    fn repository(&self) -> String {
        let full = &self.references.full;
        full.rsplit_once(['!', '#'])
            .map_or(full.as_str(), |(path, _)| path)
            .to_owned()
    }

    fn item(&self, kind: ItemKind, sigil: char, at: DateTime<Utc>) -> ActivityItem {
        ActivityItem {
            kind,
            repository: self.repository(),
            number: self.iid,
            sigil,
            title: self.title.clone(),
            url: self.web_url.clone(),
            started_at: None,
            at,
            labels: self.labels.clone(),
            accepted: self.merged_at.is_some(),
            gone: false,
        }
    }
}

impl GitlabSource {
    /// `base_url` is the API root: `https://gitlab.com/api/v4`.
    pub fn new(
        base_url: &str,
        token: &str,
        settings: &ConnectorSettings,
    ) -> Result<Self, SourceError> {
        let mut headers = HeaderMap::new();
        headers.insert(
            HeaderName::from_static("private-token"),
            ForgeHttp::secret_header(token)?,
        );
        let (name, value) = ForgeHttp::header("accept", "application/json");
        headers.insert(name, value);
        Ok(Self {
            http: ForgeHttp::new(headers, settings)?,
            base: base_url.trim_end_matches('/').to_owned(),
        })
    }

    fn url(&self, path: &str, query: &[(&str, &str)]) -> Result<String, SourceError> {
        super::forge_http::endpoint(&self.base, path, query)
    }

    async fn all<T: DeserializeOwned>(&self, first: String) -> Result<Vec<T>, SourceError> {
        let pages = self.http.all_pages::<Vec<T>>(first, MAX_PAGES).await?;
        Ok(pages.into_iter().flatten().collect())
    }

    async fn list(&self, path: &str, query: &[(&str, &str)]) -> Result<Vec<Work>, SourceError> {
        let mut all = query.to_vec();
        all.extend([
            ("per_page", "100"),
            ("order_by", "updated_at"),
            ("sort", "asc"),
        ]);
        self.all(self.url(path, &all)?).await
    }

    async fn first_commit(&self, mr: &Work) -> Result<Option<DateTime<Utc>>, SourceError> {
        let url = self.url(
            &format!(
                "/projects/{}/merge_requests/{}/commits",
                mr.project_id, mr.iid
            ),
            &[("per_page", "100")],
        )?;
        let commits = self.http.get::<Vec<Commit>>(&url).await?.body;
        Ok(commits.iter().map(|c| c.authored_date).min())
    }

    /// LOGIN's comments and approvals on `mr`, one item each.
    async fn reviews_by(&self, login: &str, mr: &Work) -> Result<Vec<ActivityItem>, SourceError> {
        let url = self.url(
            &format!(
                "/projects/{}/merge_requests/{}/notes",
                mr.project_id, mr.iid
            ),
            &[
                ("per_page", "100"),
                ("sort", "asc"),
                ("order_by", "created_at"),
            ],
        )?;
        let notes: Vec<Note> = self.all(url).await?;
        Ok(notes
            .into_iter()
            .filter(|n| n.author.username.eq_ignore_ascii_case(login))
            // System notes are GitLab's own lines; only an approval is the
            // person's review.
            .filter(|n| !n.system || n.body.starts_with("approved this merge request"))
            .map(|n| {
                let mut item = mr.item(ItemKind::ReviewGiven, '!', n.created_at);
                item.accepted = n.system;
                item.url = format!("{}#note_{}", mr.web_url, n.id);
                item
            })
            .collect())
    }
}

impl Source for GitlabSource {
    async fn whoami(&self) -> Result<String, SourceError> {
        let url = self.url("/user", &[])?;
        Ok(self.http.get::<Account>(&url).await?.body.username)
    }

    async fn fetch(
        &self,
        cursor: Option<&str>,
        first_since: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Fetched, SourceError> {
        let login = self.whoami().await?;
        let since = super::source::fetch_since(cursor, first_since);
        let after = since.to_rfc3339();
        let mut items = Vec::new();

        let authored = self
            .list(
                "/merge_requests",
                &[("scope", "created_by_me"), ("updated_after", &after)],
            )
            .await?;
        for mr in authored.iter().filter(|mr| mr.created_at >= first_since) {
            let mut item = mr.item(ItemKind::ChangeAuthored, '!', mr.created_at);
            item.started_at = self.first_commit(mr).await?;
            items.push(item);
        }

        let mut reviewed = self
            .list(
                "/merge_requests",
                &[
                    ("scope", "all"),
                    ("reviewer_username", &login),
                    ("updated_after", &after),
                ],
            )
            .await?;
        reviewed.extend(
            self.list(
                "/merge_requests",
                &[
                    ("scope", "all"),
                    ("approved_by_usernames[]", &login),
                    ("updated_after", &after),
                ],
            )
            .await?,
        );
        let mut seen = BTreeSet::new();
        for mr in reviewed {
            if !seen.insert((mr.project_id, mr.iid)) {
                continue;
            }
            let reviews = self.reviews_by(&login, &mr).await?;
            // All of a day's reviews, so the day's draft is rebuilt whole.
            items.extend(reviews.into_iter().filter(|r| r.at >= first_since));
        }

        let closed = self
            .list(
                "/issues",
                &[
                    ("scope", "assigned_to_me"),
                    ("state", "closed"),
                    ("updated_after", &after),
                ],
            )
            .await?;
        for issue in closed {
            if let Some(at) = issue.closed_at.filter(|c| *c >= first_since) {
                items.push(issue.item(ItemKind::IssueClosed, '#', at));
            }
        }
        Ok(Fetched {
            items,
            cursor: now.to_rfc3339(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_project_path_comes_from_the_full_reference() {
        let work = |full: &str| Work {
            iid: 1,
            project_id: 1,
            title: String::new(),
            web_url: String::new(),
            created_at: Utc::now(),
            merged_at: None,
            closed_at: None,
            labels: vec![],
            references: References { full: full.into() },
        };
        assert_eq!(
            work("acme/platform/payments!12").repository(),
            "acme/platform/payments"
        );
        assert_eq!(work("acme/web#34").repository(), "acme/web");
    }
}
