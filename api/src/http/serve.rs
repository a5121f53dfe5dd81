//! Accepting and serving HTTP/1.1 connections, as `axum::serve` does, with
//! one difference: each connection's task runs under
//! [`inline_wakes`](super::inline_wakes), so the wake hyper gives a
//! connection's own task on every request with a body costs no futex wake
//! of another worker thread (issue 18; `axum::serve` spawns its
//! connection tasks itself, so nothing can be wrapped around them).
//!
//! Like `axum::serve` with a graceful shutdown: the peer's address is in
//! each request's extensions (`ConnectInfo<SocketAddr>`, for per-address
//! rate limits), upgrades (the GraphQL WebSocket) work, and when
//! `shutdown` completes no connection is accepted any more, every open one
//! is asked to close once its request in flight is answered, and this
//! returns when all have closed.

use axum::Router;
use axum::extract::{ConnectInfo, Request};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::pin;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tower::ServiceExt;

use super::inline_wakes::inline_wakes;

/// Serves `router` on `listener` until `shutdown` completes, then drains
/// the open connections.
pub async fn serve(listener: TcpListener, router: Router, shutdown: impl Future<Output = ()>) {
    let (stop, stopping) = watch::channel(false);
    let mut shutdown = pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = accept(&listener) => accepted,
            () = &mut shutdown => break,
        };
        let service = router
            .clone()
            .map_request(move |mut request: Request<Incoming>| {
                request.extensions_mut().insert(ConnectInfo(peer));
                request
            });
        tokio::spawn(inline_wakes(serve_connection(
            stream,
            service,
            stopping.clone(),
        )));
    }
    drop(listener);
    drop(stopping);
    // Every connection holds a receiver until it has closed.
    let _ = stop.send(true);
    stop.closed().await;
}

/// The next connection, with Nagle's algorithm off. Errors of one
/// connection (reset before it was accepted) are skipped; others (out of
/// file descriptors) are logged and retried after a second, as
/// `axum::serve` does.
///
/// Without `TCP_NODELAY` a small write that follows another one not yet
/// acknowledged (a subscription's next WebSocket frame, a streamed export's
/// chunk) waits for the peer's delayed ACK, up to 40 ms on Linux.
async fn accept(listener: &TcpListener) -> (TcpStream, SocketAddr) {
    loop {
        match listener.accept().await {
            Ok((stream, peer)) => {
                if let Err(err) = stream.set_nodelay(true) {
                    tracing::debug!(error = %err, "could not set TCP_NODELAY");
                }
                return (stream, peer);
            }
            Err(err) if is_connection_error(&err) => {}
            Err(err) => {
                tracing::error!(error = %err, "accepting a connection failed; retrying in 1 s");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

fn is_connection_error(err: &std::io::Error) -> bool {
    matches!(
        err.kind(),
        std::io::ErrorKind::ConnectionRefused
            | std::io::ErrorKind::ConnectionAborted
            | std::io::ErrorKind::ConnectionReset
    )
}

async fn serve_connection<S>(stream: TcpStream, service: S, mut stopping: watch::Receiver<bool>)
where
    S: tower::Service<Request<Incoming>, Response = axum::response::Response>
        + Clone
        + Send
        + 'static,
    S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    S::Future: Send + 'static,
{
    let connection = http1::Builder::new()
        .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service))
        .with_upgrades();
    let mut connection = pin!(connection);
    // Borrowed, not moved: the receiver is held until the connection has
    // closed, which is what `serve` waits for. An error means the server
    // is gone: stop too.
    let stop = async {
        let _ = stopping.wait_for(|stop| *stop).await;
    };
    let served = tokio::select! {
        biased;
        served = connection.as_mut() => served,
        () = stop => {
            connection.as_mut().graceful_shutdown();
            connection.await
        }
    };
    if let Err(err) = served {
        tracing::trace!(error = %err, "connection ended with an error");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::{Extension, routing::get};
    use std::sync::Arc;
    use tokio::sync::{Notify, oneshot};

    /// Answers with the peer's IP once `release` is notified.
    fn slow_router(entered: Arc<Notify>, release: Arc<Notify>) -> Router {
        Router::new().route(
            "/slow",
            get(
                move |Extension(ConnectInfo(peer)): Extension<ConnectInfo<SocketAddr>>| async move {
                    entered.notify_one();
                    release.notified().await;
                    peer.ip().to_string()
                },
            ),
        )
    }

    #[tokio::test]
    async fn accepted_connections_have_nagles_algorithm_off() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let client = TcpStream::connect(address).await.unwrap();
        let (stream, peer) = accept(&listener).await;
        assert_eq!(peer, client.local_addr().unwrap());
        assert!(stream.nodelay().unwrap(), "Nagle's algorithm is off");
    }

    #[tokio::test]
    async fn after_shutdown_nothing_new_is_accepted_and_the_request_in_flight_is_answered() {
        let (entered, release) = (Arc::new(Notify::new()), Arc::new(Notify::new()));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(serve(
            listener,
            slow_router(entered.clone(), release.clone()),
            async {
                let _ = stopped.await;
            },
        ));
        let in_flight = tokio::spawn(async move {
            let response = reqwest::get(format!("http://{address}/slow")).await?;
            response.text().await
        });
        entered.notified().await;
        stop.send(()).unwrap();

        let refused = tokio::time::timeout(Duration::from_secs(10), async {
            while TcpStream::connect(address).await.is_ok() {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        })
        .await;
        assert!(refused.is_ok(), "the listener still accepts after shutdown");
        assert!(!server.is_finished(), "returned with a request in flight");

        release.notify_one();
        let answer = in_flight.await.unwrap().expect("the request is answered");
        assert_eq!(
            answer, "127.0.0.1",
            "the peer's address reaches the handler"
        );
        tokio::time::timeout(Duration::from_secs(10), server)
            .await
            .expect("returns once the connection has closed")
            .unwrap();
    }
}
