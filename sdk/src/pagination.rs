//! Paged list responses, and streams that fetch the following pages lazily.
//!
//! ```no_run
//! # async fn demo() -> anthropic::Result<()> {
//! use futures_util::TryStreamExt;
//! let client = anthropic::Client::new();
//! // One page:
//! let page = client.models().list(Default::default()).await?;
//! println!("{} models, more: {}", page.data.len(), page.has_more);
//! // Every item of every page, fetched as the stream is read:
//! let all: Vec<_> = client.models().list(Default::default()).into_stream().try_collect().await?;
//! # Ok(()) }
//! ```

use futures_util::{stream, Stream, StreamExt, TryStreamExt};
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::client::ApiRequest;
use crate::error::Result;
use crate::Client;

/// A page type of a list endpoint.
pub trait Paginated: DeserializeOwned + Send + Sized + 'static {
    /// One listed item.
    type Item: Send + 'static;

    /// The query parameter selecting the page after this one, given the request that fetched
    /// this one; `None` when this is the last page.
    fn next_query(&self, request: &ApiRequest) -> Option<(&'static str, String)>;

    /// The items of this page.
    fn into_items(self) -> Vec<Self::Item>;

    #[doc(hidden)]
    fn set_origin(&mut self, origin: PageOrigin);

    #[doc(hidden)]
    fn origin(&self) -> Option<&PageOrigin>;
}

/// Where a page came from, so that it can fetch the next one.
#[doc(hidden)]
#[derive(Clone, Debug)]
pub struct PageOrigin {
    client: Client,
    request: ApiRequest,
}

/// A page of an `after_id`/`before_id` list (models, batches, files).
///
/// Following pages continue in the direction of the first request: backwards (`before_id` =
/// this page's `first_id`) when it had a `before_id`, otherwise forwards (`after_id` = `last_id`).
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items.
    pub data: Vec<T>,
    /// Whether more items exist beyond this page.
    pub has_more: bool,
    /// ID of the first item, the `before_id` of the previous page.
    #[serde(default)]
    pub first_id: Option<String>,
    /// ID of the last item, the `after_id` of the next page.
    #[serde(default)]
    pub last_id: Option<String>,
    #[serde(skip)]
    origin: Option<PageOrigin>,
}

/// A page of a `page`-token list (skills, skill versions).
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct CursorPage<T> {
    /// The items.
    pub data: Vec<T>,
    /// Whether more items exist beyond this page.
    pub has_more: bool,
    /// Token of the next page.
    #[serde(default)]
    pub next_page: Option<String>,
    #[serde(skip)]
    origin: Option<PageOrigin>,
}

/// The `Paginated` methods both page types implement alike (`data` and `origin` fields).
macro_rules! page_parts {
    () => {
        fn into_items(self) -> Vec<T> {
            self.data
        }

        fn set_origin(&mut self, origin: PageOrigin) {
            self.origin = Some(origin);
        }

        fn origin(&self) -> Option<&PageOrigin> {
            self.origin.as_ref()
        }
    };
}

impl<T: DeserializeOwned + Send + 'static> Paginated for Page<T> {
    type Item = T;

    fn next_query(&self, request: &ApiRequest) -> Option<(&'static str, String)> {
        if !self.has_more || self.data.is_empty() {
            return None;
        }
        if request.query.iter().any(|(k, _)| k == "before_id") {
            self.first_id.clone().map(|id| ("before_id", id))
        } else {
            self.last_id.clone().map(|id| ("after_id", id))
        }
    }

    page_parts!();
}

impl<T: DeserializeOwned + Send + 'static> Paginated for CursorPage<T> {
    type Item = T;

    fn next_query(&self, _request: &ApiRequest) -> Option<(&'static str, String)> {
        if !self.has_more || self.data.is_empty() {
            return None;
        }
        self.next_page.clone().map(|token| ("page", token))
    }

    page_parts!();
}

macro_rules! page_navigation {
    ($page:ident) => {
        impl<T: DeserializeOwned + Send + 'static> $page<T> {
            /// Whether a following page can be fetched.
            pub fn has_next_page(&self) -> bool {
                self.origin
                    .as_ref()
                    .is_some_and(|o| self.next_query(&o.request).is_some())
            }

            /// Fetches the following page (`None` after the last one).
            pub async fn next_page(&self) -> Result<Option<Self>> {
                match next_state(self) {
                    State::Fetch(client, request) => fetch_page(client, *request).await.map(Some),
                    _ => Ok(None),
                }
            }

            /// This page and every following one, fetched lazily.
            pub fn pages(self) -> impl Stream<Item = Result<Self>> + Send + 'static {
                page_stream(State::Have(self))
            }

            /// This page's items, then those of every following page, fetched lazily.
            pub fn into_stream(self) -> impl Stream<Item = Result<T>> + Send + 'static {
                flatten(page_stream(State::Have(self)))
            }
        }
    };
}

page_navigation!(Page);
page_navigation!(CursorPage);

enum State<P> {
    Fetch(Client, Box<ApiRequest>),
    Have(P),
    Fail(crate::Error),
    Done,
}

fn next_state<P: Paginated>(page: &P) -> State<P> {
    match page.origin() {
        Some(o) => match page.next_query(&o.request) {
            Some((key, value)) => State::Fetch(
                o.client.clone(),
                Box::new(replace_query(o.request.clone(), key, value)),
            ),
            None => State::Done,
        },
        None => State::Done,
    }
}

/// The request with `key` set to `value` (replacing the pagination parameters of a page).
fn replace_query(mut request: ApiRequest, key: &str, value: String) -> ApiRequest {
    request
        .query
        .retain(|(k, _)| k != key && k != "after_id" && k != "before_id" && k != "page");
    request.query.push((key.to_owned(), value));
    request
}

/// Fetches and decodes one page, remembering where it came from.
pub(crate) async fn fetch_page<P: Paginated>(client: Client, request: ApiRequest) -> Result<P> {
    let mut page: P = client.execute(request.clone()).await?.json().await?;
    page.set_origin(PageOrigin { client, request });
    Ok(page)
}

fn page_stream<P: Paginated>(start: State<P>) -> impl Stream<Item = Result<P>> + Send + 'static {
    stream::try_unfold(start, |state| async move {
        let page = match state {
            State::Done => return Ok(None),
            State::Fail(e) => return Err(e),
            State::Have(p) => p,
            State::Fetch(client, request) => fetch_page(client, *request).await?,
        };
        let next = next_state(&page);
        Ok(Some((page, next)))
    })
}

fn flatten<P: Paginated>(
    pages: impl Stream<Item = Result<P>> + Send + 'static,
) -> impl Stream<Item = Result<P::Item>> + Send + 'static {
    pages
        .map_ok(|p| stream::iter(p.into_items().into_iter().map(Ok)))
        .try_flatten()
}

/// Every page of a list call, starting with the request itself.
pub(crate) fn pages<P: Paginated>(
    start: Result<(Client, ApiRequest)>,
) -> impl Stream<Item = Result<P>> + Send + 'static {
    page_stream(match start {
        Ok((client, request)) => State::Fetch(client, Box::new(request)),
        Err(e) => State::Fail(e),
    })
}

/// Every item of every page of a list call.
pub(crate) fn items<P: Paginated>(
    start: Result<(Client, ApiRequest)>,
) -> impl Stream<Item = Result<P::Item>> + Send + 'static {
    flatten(pages::<P>(start)).boxed()
}
