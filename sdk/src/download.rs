//! Responses read as a stream: file downloads and JSON-lines results.

use std::marker::PhantomData;
use std::path::Path;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use tokio::io::{AsyncWrite, AsyncWriteExt};

use crate::client::{ApiResponse, ByteStream};
use crate::error::{Error, Result};
use crate::streaming::jsonl::JsonlDecoder;

/// A binary download whose body has not been read yet.
///
/// ```no_run
/// # async fn demo() -> anthropic::Result<()> {
/// let client = anthropic::Client::new();
/// let file = client.beta().files().download("file_011CNha8iCJcU1wXNR6q4V8w").await?;
/// let written = file.write_to_file("report.pdf").await?; // streamed, never all in memory
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct BinaryResponse {
    response: ApiResponse,
}

impl BinaryResponse {
    pub(crate) fn new(response: ApiResponse) -> Self {
        BinaryResponse { response }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.response.status()
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        self.response.headers()
    }

    /// The `request-id` header.
    pub fn request_id(&self) -> Option<&str> {
        self.response.request_id()
    }

    /// The `content-type` header.
    pub fn content_type(&self) -> Option<&str> {
        self.headers()
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
    }

    /// Reads the whole body into memory.
    pub async fn bytes(self) -> Result<Bytes> {
        self.response.bytes().await
    }

    /// The body as a stream of chunks.
    pub fn bytes_stream(self) -> ByteStream {
        self.response.bytes_stream()
    }

    /// Streams the body into `writer`; returns the number of bytes written.
    pub async fn write_to<W: AsyncWrite + Unpin>(self, writer: &mut W) -> Result<u64> {
        let mut stream = self.bytes_stream();
        let mut written = 0u64;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk?;
            writer.write_all(&chunk).await.map_err(io_error)?;
            written += chunk.len() as u64;
        }
        writer.flush().await.map_err(io_error)?;
        Ok(written)
    }

    /// Streams the body into a file at `path` (created or truncated).
    pub async fn write_to_file(self, path: impl AsRef<Path>) -> Result<u64> {
        let mut file = tokio::fs::File::create(path.as_ref())
            .await
            .map_err(io_error)?;
        self.write_to(&mut file).await
    }
}

fn io_error(e: std::io::Error) -> Error {
    Error::invalid_request(format!("could not write the download: {e}"))
}

/// The lines of a JSON-lines response, decoded one by one as they arrive (blank lines are
/// skipped; a line split across network chunks is reassembled).
pub struct JsonlStream<T> {
    body: ByteStream,
    decoder: JsonlDecoder,
    request_id: Option<String>,
    finished: bool,
    _item: PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned> JsonlStream<T> {
    pub(crate) fn new(response: ApiResponse) -> Self {
        let request_id = response.request_id().map(str::to_owned);
        JsonlStream {
            body: response.bytes_stream(),
            decoder: JsonlDecoder::new(),
            request_id,
            finished: false,
            _item: PhantomData,
        }
    }

    /// The `request-id` header of the response.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

impl<T: DeserializeOwned> Stream for JsonlStream<T> {
    type Item = Result<T>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<T>>> {
        let this = &mut *self;
        loop {
            if let Some(item) = this.decoder.decode_next::<T>() {
                return Poll::Ready(Some(
                    item.map_err(|e| Error::invalid_response(e.to_string())),
                ));
            }
            if this.finished {
                return Poll::Ready(None);
            }
            match this.body.poll_next_unpin(cx) {
                Poll::Ready(Some(Ok(chunk))) => {
                    if let Err(e) = this.decoder.push(&chunk) {
                        this.finished = true;
                        return Poll::Ready(Some(Err(Error::invalid_response(e.to_string()))));
                    }
                }
                Poll::Ready(Some(Err(e))) => {
                    this.finished = true;
                    return Poll::Ready(Some(Err(e)));
                }
                Poll::Ready(None) => {
                    this.finished = true;
                    this.decoder.finish();
                }
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}
