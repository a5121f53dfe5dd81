//! A response body sent as the chunks it was assembled from
//! ([`crate::graphql::raw_json::to_chunks`]), with its length known up
//! front so hyper answers with `Content-Length` (not chunked encoding).
//! hyper queues the chunks without copying them and writes them with the
//! head by vectored writes (on TCP, one write unless there are more than
//! 16 buffers or ~400 KB queued).
//!
//! Written here because http-body-util's bodies over several buffers
//! (`Collected`, `StreamBody`) do not report their exact length, and a
//! body of unknown length is sent chunked.

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use std::collections::VecDeque;
use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};

pub struct ChunkedBody {
    chunks: VecDeque<Bytes>,
    remaining: u64,
}

impl ChunkedBody {
    pub fn new(chunks: Vec<Bytes>) -> Self {
        let remaining = chunks.iter().map(|chunk| chunk.len() as u64).sum();
        Self {
            chunks: chunks.into(),
            remaining,
        }
    }

    /// Bytes not yet sent: all of them, before the body is polled.
    pub fn len(&self) -> u64 {
        self.remaining
    }

    pub fn is_empty(&self) -> bool {
        self.remaining == 0
    }
}

impl Body for ChunkedBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let this = self.get_mut();
        Poll::Ready(this.chunks.pop_front().map(|chunk| {
            this.remaining -= chunk.len() as u64;
            Ok(Frame::data(chunk))
        }))
    }

    fn is_end_stream(&self) -> bool {
        self.chunks.is_empty()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.remaining)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_chunks_are_sent_in_order_with_their_length_known() {
        let body = ChunkedBody::new(vec![
            Bytes::from_static(b"{\"a\":"),
            Bytes::from_static(b"[1,2]"),
            Bytes::new(),
            Bytes::from_static(b"}"),
        ]);
        assert_eq!(body.size_hint().exact(), Some(11));
        assert!(!body.is_end_stream());
        let collected = axum::body::to_bytes(axum::body::Body::new(body), usize::MAX)
            .await
            .unwrap();
        assert_eq!(&collected[..], b"{\"a\":[1,2]}");
    }

    #[tokio::test]
    async fn an_empty_body_ends_at_once() {
        let body = ChunkedBody::new(Vec::new());
        assert!(body.is_end_stream());
        assert_eq!(body.size_hint().exact(), Some(0));
    }
}
