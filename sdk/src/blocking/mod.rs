//! A blocking client with the async client's surface (feature `blocking`).
//!
//! Every method of [`crate::Client`] exists here with the same arguments; calls resolve with
//! `.send()` instead of `.await`, and list calls also iterate:
//!
//! ```no_run
//! use anthropic::blocking::Client;
//! use anthropic::types::{MessageCreateParams, MessageParam, Model};
//!
//! # fn main() -> anthropic::Result<()> {
//! let client = Client::new();
//! let params = MessageCreateParams::new(Model::CLAUDE_SONNET_4_5, [MessageParam::user("Hello")], 256);
//! let message = client.messages().create(params).max_retries(3).send()?;
//! println!("{}", message.text());
//! for model in client.models().list(Default::default()).iter() {
//!     println!("{}", model?.id);
//! }
//! # Ok(()) }
//! ```
//!
//! It drives the async client on a private single-worker Tokio runtime. Calling it from inside
//! an async runtime would block that runtime's thread: it returns an error instead.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::io::Write;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use http::header::{HeaderName, HeaderValue};
use serde::de::DeserializeOwned;

use crate::call::{ApiCall, CallSettings, DownloadCall, JsonlCall, ListCall, RawResponse};
use crate::client::RequestOptions;
use crate::download::BinaryResponse;
use crate::error::{Error, Result};
use crate::pagination::Paginated;
use crate::ClientBuilder;

mod streaming;

pub use crate::generated::blocking::*;
pub use streaming::BlockingMessageStream;

/// The blocking Anthropic client. Cheap to clone.
#[derive(Clone)]
pub struct Client {
    inner: crate::Client,
    runtime: Option<Arc<tokio::runtime::Runtime>>,
}

impl Client {
    /// A client configured from the environment, like [`crate::Client::new`].
    pub fn new() -> Client {
        Client::from_async(crate::Client::new())
    }

    /// Builds a blocking client from a builder: `Client::build(Client::builder().api_key(..))`.
    pub fn build(builder: ClientBuilder) -> Result<Client> {
        let client = Client::from_async(builder.build()?);
        match client.runtime {
            Some(_) => Ok(client),
            None => Err(Error::invalid_request(
                "could not start the blocking client's runtime",
            )),
        }
    }

    /// A builder starting from the defaults and the environment (finish with [`Client::build`]).
    pub fn builder() -> ClientBuilder {
        crate::Client::builder()
    }

    /// Wraps an async client (sharing its configuration and connection pool).
    pub fn from_async(inner: crate::Client) -> Client {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("anthropic-blocking")
            .enable_all()
            .build()
            .ok()
            .map(Arc::new);
        Client { inner, runtime }
    }

    /// A copy with some settings changed, like [`crate::Client::with_options`].
    pub fn with_options(&self, configure: impl FnOnce(ClientBuilder) -> ClientBuilder) -> Client {
        Client {
            inner: self.inner.with_options(configure),
            runtime: self.runtime.clone(),
        }
    }

    /// The async client underneath.
    pub fn inner(&self) -> &crate::Client {
        &self.inner
    }

    pub(crate) fn block_on<F: Future>(&self, future: F) -> Result<F::Output> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::invalid_request(
                "the blocking client was called from inside an async runtime; use anthropic::Client there",
            ));
        }
        match &self.runtime {
            Some(rt) => Ok(rt.block_on(future)),
            None => Err(Error::invalid_request(
                "the blocking client's runtime could not be started",
            )),
        }
    }
}

impl Default for Client {
    fn default() -> Self {
        Client::new()
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("blocking::Client")
            .field("inner", &self.inner)
            .finish()
    }
}

/// A call of the blocking client: set options, then `.send()`.
#[must_use = "a call does nothing until it is sent"]
pub struct BlockingCall<'a, C> {
    pub(crate) client: &'a Client,
    pub(crate) call: C,
}

impl<'a, C: CallSettings> BlockingCall<'a, C> {
    pub(crate) fn new(client: &'a Client, call: C) -> Self {
        BlockingCall { client, call }
    }

    /// Merges per-request options (timeout, retries, extra headers, query and body fields).
    pub fn options(mut self, options: RequestOptions) -> Self {
        self.call = self.call.options(options);
        self
    }

    /// The timeout of each attempt of this call.
    pub fn timeout(self, timeout: Duration) -> Self {
        self.options(RequestOptions::new().timeout(timeout))
    }

    /// How many times this call is retried after a retryable failure.
    pub fn max_retries(self, max_retries: u32) -> Self {
        self.options(RequestOptions::new().max_retries(max_retries))
    }

    /// Sends an extra header with this call.
    pub fn header(self, name: HeaderName, value: HeaderValue) -> Self {
        self.options(RequestOptions::new().header(name, value))
    }

    /// Beta features to enable (`anthropic-beta`), merged with the resource's own.
    pub fn betas<B: Into<crate::types::AnthropicBeta>>(
        mut self,
        betas: impl IntoIterator<Item = B>,
    ) -> Self {
        self.call = self.call.betas(betas);
        self
    }
}

impl<T: DeserializeOwned + Send + 'static> BlockingCall<'_, ApiCall<T>> {
    /// Sends the call and decodes the response.
    pub fn send(self) -> Result<T> {
        self.client.block_on(self.call.into_future())?
    }

    /// Sends the call and keeps the raw response (status, headers, request id).
    pub fn send_with_raw_response(self) -> Result<RawResponse<T>> {
        self.client
            .block_on(self.call.with_raw_response().into_future())?
    }
}

impl<'a, P: Paginated> BlockingCall<'a, ListCall<P>> {
    /// Fetches the first page.
    pub fn send(self) -> Result<P> {
        self.client.block_on(self.call.into_future())?
    }

    /// Every item of every page, fetched lazily as the iterator advances.
    pub fn iter(self) -> BlockingIter<'a, P::Item> {
        BlockingIter {
            client: self.client,
            stream: Box::pin(self.call.into_stream()),
        }
    }
}

impl<'a> BlockingCall<'a, DownloadCall> {
    /// Sends the call; the body is read by the returned download.
    pub fn send(self) -> Result<BlockingDownload<'a>> {
        let response = self.client.block_on(self.call.into_future())??;
        Ok(BlockingDownload {
            client: self.client,
            response,
        })
    }
}

impl<'a, T: DeserializeOwned + Send + 'static> BlockingCall<'a, JsonlCall<T>> {
    /// Sends the call; the returned iterator decodes one line at a time as it is read.
    pub fn send(self) -> Result<BlockingIter<'a, T>> {
        let stream = self.client.block_on(self.call.into_future())??;
        Ok(BlockingIter {
            client: self.client,
            stream: Box::pin(stream),
        })
    }
}

/// Items of a stream, pulled one at a time by blocking on the client's runtime.
pub struct BlockingIter<'a, T> {
    pub(crate) client: &'a Client,
    pub(crate) stream: Pin<Box<dyn Stream<Item = Result<T>> + Send + 'a>>,
}

impl<T> Iterator for BlockingIter<'_, T> {
    type Item = Result<T>;

    fn next(&mut self) -> Option<Result<T>> {
        match self.client.block_on(self.stream.next()) {
            Ok(item) => item,
            Err(e) => Some(Err(e)),
        }
    }
}

/// A binary download of the blocking client.
pub struct BlockingDownload<'a> {
    client: &'a Client,
    response: BinaryResponse,
}

impl BlockingDownload<'_> {
    /// The underlying response's metadata.
    pub fn response(&self) -> &BinaryResponse {
        &self.response
    }

    /// Reads the whole body.
    pub fn bytes(self) -> Result<Bytes> {
        self.client.block_on(self.response.bytes())?
    }

    /// Streams the body into `writer`; returns the number of bytes written.
    pub fn write_to(self, writer: &mut impl Write) -> Result<u64> {
        let mut stream = self.response.bytes_stream();
        let mut written = 0u64;
        while let Some(chunk) = self.client.block_on(stream.next())? {
            let chunk = chunk?;
            writer.write_all(&chunk).map_err(|e| {
                Error::invalid_request(format!("could not write the download: {e}"))
            })?;
            written += chunk.len() as u64;
        }
        Ok(written)
    }

    /// Streams the body into a file at `path`.
    pub fn write_to_file(self, path: impl AsRef<Path>) -> Result<u64> {
        let mut file = std::fs::File::create(path.as_ref()).map_err(|e| {
            Error::invalid_request(format!("could not create {}: {e}", path.as_ref().display()))
        })?;
        self.write_to(&mut file)
    }
}
