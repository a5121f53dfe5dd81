//! Builds the application from settings and runs it until a shutdown
//! signal. Tests use the same path, on port 0.

use anyhow::Context;
use std::{future::Future, sync::Arc};
use tokio::net::TcpListener;

use crate::auth::{JwtKeys, rate_limit::RateLimiter};
use crate::config::Settings;
use crate::graphql::schema_builder;
use crate::http::{HttpState, router};
use crate::state::AppState;
use crate::{db, secrets};

pub struct Application {
    listener: TcpListener,
    router: axum::Router,
}

impl Application {
    /// Connects and migrates the database, then binds the listener, so the
    /// port accepts connections as soon as this returns.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let db = db::connect(&settings).await?;
        db::migrate(&db).await?;
        let keys = JwtKeys::new(
            &secrets::jwt_secret(&settings)?,
            settings.access_token_ttl_secs,
        );
        let redis = match &settings.redis_url {
            Some(url) if !url.is_empty() => {
                Some(redis::Client::open(url.expose()).context("parsing the Redis URL")?)
            }
            _ => None,
        };
        let listener = TcpListener::bind(settings.listen)
            .await
            .with_context(|| format!("binding {}", settings.listen))?;
        let limiter = RateLimiter::new(settings.rate_limits.clone(), redis.clone());
        let app = AppState {
            db,
            keys,
            settings: Arc::new(settings),
            limiter,
        };
        let schema = schema_builder(&app.settings.graphql)
            .data(app.clone())
            .finish();
        let router = router(HttpState { app, schema, redis });
        Ok(Self { listener, router })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// Serves until `shutdown` completes, then drains in-flight requests.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        tracing::info!(address = %self.listener.local_addr()?, "EngLog listening");
        // The peer address feeds per-IP rate limits.
        let service = self
            .router
            .into_make_service_with_connect_info::<std::net::SocketAddr>();
        axum::serve(self.listener, service)
            .with_graceful_shutdown(shutdown)
            .await
            .context("serving HTTP")
    }
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut sig) => {
                sig.recv().await;
            }
            Err(err) => {
                tracing::error!(error = %err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
