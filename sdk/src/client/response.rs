//! Successful responses, read lazily so callers can stream the body.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use http::{HeaderMap, StatusCode};
use reqwest::Url;
use serde::de::DeserializeOwned;
use tokio::time::{Instant, Sleep};

use crate::error::{Error, Result};

/// A successful (non-error status) response whose body has not been read yet.
///
/// Reading the body is subject to the request's timeout as a read timeout: each wait for more
/// data may last at most that long.
pub struct ApiResponse {
    inner: reqwest::Response,
    retries_taken: u32,
    read_timeout: Option<Duration>,
}

impl ApiResponse {
    pub(crate) fn new(
        inner: reqwest::Response,
        retries_taken: u32,
        read_timeout: Option<Duration>,
    ) -> ApiResponse {
        ApiResponse {
            inner,
            retries_taken,
            read_timeout,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.inner.status()
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        self.inner.headers()
    }

    /// The `request-id` header.
    pub fn request_id(&self) -> Option<&str> {
        self.headers()
            .get("request-id")
            .and_then(|v| v.to_str().ok())
    }

    /// The final URL (after any same-origin redirects).
    pub fn url(&self) -> &Url {
        self.inner.url()
    }

    /// How many retries were needed (0 when the first attempt succeeded).
    pub fn retries_taken(&self) -> u32 {
        self.retries_taken
    }

    /// Reads the whole body.
    pub async fn bytes(self) -> Result<Bytes> {
        collect(self.bytes_stream(), usize::MAX).await
    }

    /// Reads the whole body as UTF-8 text (invalid sequences are replaced).
    pub async fn text(self) -> Result<String> {
        let bytes = self.bytes().await?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// Reads the whole body and decodes it as JSON.
    pub async fn json<T: DeserializeOwned>(self) -> Result<T> {
        let bytes = self.bytes().await?;
        serde_json::from_slice(&bytes).map_err(|e| Error::decode(e, &bytes))
    }

    /// The body as a stream of chunks.
    pub fn bytes_stream(self) -> ByteStream {
        ByteStream::new(self.inner, self.read_timeout)
    }

    /// The underlying `reqwest` response (no read timeout applies to it).
    pub fn into_inner(self) -> reqwest::Response {
        self.inner
    }
}

impl fmt::Debug for ApiResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiResponse")
            .field("status", &self.status())
            .field("url", &self.url().as_str())
            .field("request_id", &self.request_id())
            .field("retries_taken", &self.retries_taken)
            .finish()
    }
}

/// Reads a stream into one buffer, stopping once `limit` bytes have arrived.
pub(crate) async fn collect(mut stream: ByteStream, limit: usize) -> Result<Bytes> {
    // A body that arrives in one chunk is returned without copying.
    let mut single: Option<Bytes> = None;
    let mut buf = BytesMut::new();
    while let Some(chunk) = std::future::poll_fn(|cx| Pin::new(&mut stream).poll_next(cx)).await {
        let chunk = chunk?;
        if single.is_none() && buf.is_empty() {
            single = Some(chunk);
        } else {
            if let Some(first) = single.take() {
                buf.extend_from_slice(&first);
            }
            buf.extend_from_slice(&chunk);
        }
        if single.as_ref().map_or(buf.len(), Bytes::len) >= limit {
            break;
        }
    }
    Ok(single.unwrap_or_else(|| buf.freeze()))
}

/// The body of an [`ApiResponse`] as a stream of [`Bytes`] chunks.
///
/// Transport errors become [`Error::Connection`]; waiting longer than the request's timeout for
/// the next chunk yields [`Error::Timeout`]. The stream ends after the first error.
pub struct ByteStream {
    inner: Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>,
    read_timeout: Option<Duration>,
    timer: Option<Pin<Box<Sleep>>>,
    waiting: bool,
    done: bool,
}

impl ByteStream {
    fn new(response: reqwest::Response, read_timeout: Option<Duration>) -> ByteStream {
        ByteStream {
            inner: Box::pin(response.bytes_stream()),
            read_timeout,
            timer: None,
            waiting: false,
            done: false,
        }
    }

    /// Polls the read timer; `true` when it has expired.
    fn timed_out(&mut self, cx: &mut Context<'_>) -> bool {
        let Some(limit) = self.read_timeout else {
            return false;
        };
        let deadline = Instant::now().checked_add(limit);
        if !self.waiting {
            self.waiting = true;
            match (deadline, self.timer.as_mut()) {
                (Some(deadline), Some(timer)) => timer.as_mut().reset(deadline),
                (Some(deadline), None) => {
                    self.timer = Some(Box::pin(tokio::time::sleep_until(deadline)));
                }
                // A timeout too far in the future to represent never fires.
                (None, _) => self.timer = None,
            }
        }
        match self.timer.as_mut() {
            Some(timer) => timer.as_mut().poll(cx).is_ready(),
            None => false,
        }
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes>>> {
        let this = &mut *self;
        if this.done {
            return Poll::Ready(None);
        }
        match this.inner.as_mut().poll_next(cx) {
            Poll::Ready(item) => {
                this.waiting = false;
                Poll::Ready(match item {
                    Some(Ok(chunk)) => Some(Ok(chunk)),
                    Some(Err(e)) => {
                        this.done = true;
                        Some(Err(Error::from_reqwest(e)))
                    }
                    None => {
                        this.done = true;
                        None
                    }
                })
            }
            Poll::Pending if this.timed_out(cx) => {
                this.done = true;
                Poll::Ready(Some(Err(Error::timeout(None))))
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("read_timeout", &self.read_timeout)
            .field("done", &self.done)
            .finish()
    }
}
