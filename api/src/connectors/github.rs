//! GitHub (github.com, or GitHub Enterprise Server at
//! `https://HOST/api/v3`) with a personal access token, through the REST
//! API (version 2022-11-28):
//!
//! - `GET /user`: whose token it is;
//! - `GET /search/issues?q=type:pr author:LOGIN updated:>=DAY`: pull
//!   requests authored, each with `GET /repos/O/R/pulls/N/commits` for
//!   its first commit (when the work began);
//! - `GET /search/issues?q=type:pr reviewed-by:LOGIN updated:>=DAY`, each
//!   with `GET /repos/O/R/pulls/N/reviews`: the reviews LOGIN gave
//!   (a dismissed one removes its draft);
//! - `GET /search/issues?q=type:issue assignee:LOGIN closed:>=DAY`.
//!
//! Lists follow the `Link` header; rate limits are [`ForgeHttp`]'s.

use chrono::{DateTime, Utc};
use reqwest::header::{AUTHORIZATION, HeaderMap};
use serde::Deserialize;

use super::forge_http::ForgeHttp;
use super::settings::ConnectorSettings;
use super::source::{ActivityItem, Fetched, ItemKind, Source, SourceError};

/// Pages read per list (100 items each); the search API stops at 1,000.
const MAX_PAGES: usize = 10;

pub struct GithubSource {
    http: ForgeHttp,
    base: String,
}

#[derive(Deserialize)]
struct Account {
    login: String,
}

#[derive(Deserialize)]
struct SearchPage {
    items: Vec<SearchItem>,
}

#[derive(Deserialize)]
struct Label {
    name: String,
}

#[derive(Deserialize)]
struct PullLinks {
    merged_at: Option<DateTime<Utc>>,
}

#[derive(Deserialize)]
struct SearchItem {
    number: u64,
    title: String,
    html_url: String,
    repository_url: String,
    created_at: DateTime<Utc>,
    closed_at: Option<DateTime<Utc>>,
    #[serde(default)]
    labels: Vec<Label>,
    pull_request: Option<PullLinks>,
}

#[derive(Deserialize)]
struct CommitPerson {
    date: DateTime<Utc>,
}

#[derive(Deserialize)]
struct CommitDetail {
    author: Option<CommitPerson>,
}

#[derive(Deserialize)]
struct Commit {
    commit: CommitDetail,
}

#[derive(Deserialize)]
struct Review {
    user: Option<Account>,
    state: String,
    html_url: Option<String>,
    submitted_at: Option<DateTime<Utc>>,
}

impl SearchItem {
    /// `owner/name` from `…/repos/owner/name`.
    fn repository(&self) -> Result<String, SourceError> {
        self.repository_url
            .split_once("/repos/")
            .map(|(_, repo)| repo.trim_end_matches('/').to_owned())
            .filter(|repo| repo.contains('/'))
            .ok_or_else(|| {
                SourceError::BadAnswer(format!("unexpected repository_url {}", self.repository_url))
            })
    }

    fn item(&self, kind: ItemKind, at: DateTime<Utc>) -> Result<ActivityItem, SourceError> {
        Ok(ActivityItem {
            kind,
            repository: self.repository()?,
            number: self.number,
            sigil: '#',
            title: self.title.clone(),
            url: self.html_url.clone(),
            started_at: None,
            at,
            labels: self.labels.iter().map(|l| l.name.clone()).collect(),
            accepted: self
                .pull_request
                .as_ref()
                .and_then(|p| p.merged_at)
                .is_some(),
            gone: false,
        })
    }
}

impl GithubSource {
    /// `base_url` is the API root: `https://api.github.com`, or
    /// `https://HOST/api/v3` for Enterprise Server.
    pub fn new(
        base_url: &str,
        token: &str,
        settings: &ConnectorSettings,
    ) -> Result<Self, SourceError> {
        let mut headers = HeaderMap::new();
        headers.insert(
            AUTHORIZATION,
            ForgeHttp::secret_header(&format!("Bearer {token}"))?,
        );
        let (name, value) = ForgeHttp::header("accept", "application/vnd.github+json");
        headers.insert(name, value);
        let (name, value) = ForgeHttp::header("x-github-api-version", "2022-11-28");
        headers.insert(name, value);
        Ok(Self {
            http: ForgeHttp::new(headers, settings)?,
            base: base_url.trim_end_matches('/').to_owned(),
        })
    }

    fn url(&self, path: &str, query: &[(&str, &str)]) -> Result<String, SourceError> {
        super::forge_http::endpoint(&self.base, path, query)
    }

    /// Every page of a list, following `Link: rel="next"`.
    async fn all<T: serde::de::DeserializeOwned>(
        &self,
        first: String,
        mut take: impl FnMut(T) -> Vec<SearchItem>,
    ) -> Result<Vec<SearchItem>, SourceError> {
        let pages = self.http.all_pages::<T>(first, MAX_PAGES).await?;
        Ok(pages.into_iter().flat_map(&mut take).collect())
    }

    async fn search(&self, q: &str) -> Result<Vec<SearchItem>, SourceError> {
        let url = self.url(
            "/search/issues",
            &[
                ("q", q),
                ("sort", "updated"),
                ("order", "asc"),
                ("per_page", "100"),
            ],
        )?;
        self.all::<SearchPage>(url, |page| page.items).await
    }

    async fn first_commit(
        &self,
        repo: &str,
        number: u64,
    ) -> Result<Option<DateTime<Utc>>, SourceError> {
        let url = self.url(
            &format!("/repos/{repo}/pulls/{number}/commits"),
            &[("per_page", "1")],
        )?;
        let commits = self.http.get::<Vec<Commit>>(&url).await?.body;
        Ok(commits
            .first()
            .and_then(|c| c.commit.author.as_ref())
            .map(|a| a.date))
    }

    async fn reviews_by(
        &self,
        login: &str,
        pr: &SearchItem,
    ) -> Result<Vec<ActivityItem>, SourceError> {
        let repo = pr.repository()?;
        let mut next = Some(self.url(
            &format!("/repos/{repo}/pulls/{}/reviews", pr.number),
            &[("per_page", "100")],
        )?);
        let mut items = Vec::new();
        let mut pages = 0;
        while let Some(url) = next.take() {
            let page = self.http.get::<Vec<Review>>(&url).await?;
            for review in page.body {
                let mine = review
                    .user
                    .as_ref()
                    .is_some_and(|u| u.login.eq_ignore_ascii_case(login));
                // A pending review is not submitted yet.
                let (true, Some(at)) = (mine, review.submitted_at) else {
                    continue;
                };
                let mut item = pr.item(ItemKind::ReviewGiven, at)?;
                item.accepted = review.state == "APPROVED";
                item.gone = review.state == "DISMISSED";
                if let Some(link) = review.html_url {
                    item.url = link;
                }
                items.push(item);
            }
            pages += 1;
            if pages < MAX_PAGES {
                next = page.next;
            }
        }
        Ok(items)
    }
}

impl Source for GithubSource {
    async fn whoami(&self) -> Result<String, SourceError> {
        let url = self.url("/user", &[])?;
        Ok(self.http.get::<Account>(&url).await?.body.login)
    }

    async fn fetch(
        &self,
        cursor: Option<&str>,
        first_since: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<Fetched, SourceError> {
        let login = self.whoami().await?;
        let since = super::source::fetch_since(cursor, first_since);
        let day = since.format("%Y-%m-%d").to_string();
        let mut items = Vec::new();

        for pr in self
            .search(&format!("type:pr author:{login} updated:>={day}"))
            .await?
        {
            // Activity older than the first sync's window is history the
            // person did not ask for, even on a PR updated today.
            if pr.created_at < first_since {
                continue;
            }
            let mut item = pr.item(ItemKind::ChangeAuthored, pr.created_at)?;
            item.started_at = self.first_commit(&item.repository, pr.number).await?;
            items.push(item);
        }
        for pr in self
            .search(&format!("type:pr reviewed-by:{login} updated:>={day}"))
            .await?
        {
            let reviews = self.reviews_by(&login, &pr).await?;
            // All of a PR's reviews, not only those since the cursor: a day's
            // draft is rebuilt from all of that day's reviews.
            items.extend(reviews.into_iter().filter(|r| r.at >= first_since));
        }
        for issue in self
            .search(&format!("type:issue assignee:{login} closed:>={day}"))
            .await?
        {
            if let Some(closed) = issue.closed_at.filter(|c| *c >= first_since) {
                items.push(issue.item(ItemKind::IssueClosed, closed)?);
            }
        }
        Ok(Fetched {
            items,
            cursor: now.to_rfc3339(),
        })
    }
}
