//! Builds the application from settings and runs it until a shutdown
//! signal. Tests use the same path, on port 0.

use anyhow::Context;
use englog_worker::broker::{Broker, BrokerTiming, MemoryBroker, RedisBroker, redis_client};
use std::{future::Future, sync::Arc, time::Duration};
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};

use crate::auth::{JwtKeys, rate_limit::RateLimiter};
use crate::config::Settings;
use crate::graphql::{
    self, bare_schema_builder, guard::DocumentGuard, persisted::PersistedQueries,
};
use crate::http::{HttpState, graphql::limiter::ExecutionLimiter, router};
use crate::state::AppState;
use crate::{db, secrets};

pub struct Application {
    listener: TcpListener,
    /// `/metrics` on its own address (`metrics.listen`), when configured.
    metrics_listener: Option<TcpListener>,
    router: axum::Router,
    app: AppState,
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
        let timing = BrokerTiming {
            reclaim_after: Duration::from_secs(settings.reports.reclaim_after_secs.max(1)),
        };
        // One client for the broker and the rate limiter, so both speak TLS
        // alike when the URL is `rediss://`.
        let redis = match &settings.redis_url {
            Some(url) if !url.is_empty() => Some(
                redis_client(url.expose(), settings.redis_ca_file.as_deref())
                    .context("opening the Redis client (ENGLOG_REDIS_URL, ENGLOG_REDIS_CA_FILE)")?,
            ),
            _ => None,
        };
        let broker = match &redis {
            Some(client) => Broker::Redis(
                RedisBroker::connect_client(client.clone(), &settings.reports.redis_prefix, timing)
                    .await
                    .context("connecting to Redis (ENGLOG_REDIS_URL)")?,
            ),
            None => Broker::Memory(MemoryBroker::new(timing)),
        };
        let listener = TcpListener::bind(settings.listen)
            .await
            .with_context(|| format!("binding {}", settings.listen))?;
        let metrics_listener = match settings.metrics.listen.filter(|_| settings.metrics.enabled) {
            Some(address) => Some(
                TcpListener::bind(address)
                    .await
                    .with_context(|| format!("binding metrics.listen {address}"))?,
            ),
            None => None,
        };
        // Rate limits count in Redis when there is one, so they hold across
        // API instances.
        let persisted = match &redis {
            Some(client) if settings.graphql.persisted_queries_capacity > 0 => {
                PersistedQueries::redis(
                    client.clone(),
                    &settings.reports.redis_prefix,
                    Duration::from_secs(settings.graphql.persisted_queries_ttl_secs),
                )
            }
            _ => PersistedQueries::memory(settings.graphql.persisted_queries_capacity),
        };
        let limiter = RateLimiter::new(settings.rate_limits.clone(), redis);
        let app = AppState {
            db,
            keys,
            settings: Arc::new(settings),
            broker,
            relay_wakeup: Arc::new(Notify::new()),
            limiter,
            sessions: Default::default(),
            warm: Default::default(),
            no_job: Default::default(),
        };
        let guard = DocumentGuard::new(&app.settings.graphql, persisted);
        let schema = graphql::finish(bare_schema_builder(&app.settings.graphql), &app);
        let router = router(HttpState {
            limiter: ExecutionLimiter::new(&app.settings.graphql),
            started: std::time::Instant::now(),
            app: app.clone(),
            schema,
            guard,
            socket_schema: Default::default(),
        });
        Ok(Self {
            listener,
            metrics_listener,
            router,
            app,
        })
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
        let (stop, stopped) = watch::channel(false);
        let mut tasks = crate::background::start(&self.app, stopped.clone())?;
        if let Some(listener) = self.metrics_listener {
            tracing::info!(address = %listener.local_addr()?, "serving /metrics");
            let router = crate::metrics::router(self.app.clone());
            let mut stopping = stopped;
            tasks.push(tokio::spawn(async move {
                crate::http::serve::serve(listener, router, async move {
                    let _ = stopping.changed().await;
                })
                .await;
            }));
        }
        crate::http::serve::serve(self.listener, self.router, shutdown).await;
        // Background work finishes what it holds (a job in hand is finished,
        // or reclaimed by another worker if this takes too long).
        let _ = stop.send(true);
        for task in tasks {
            let _ = tokio::time::timeout(Duration::from_secs(30), task).await;
        }
        Ok(())
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
