//! Incremental decoders for streamed API responses.
//!
//! These modules are pure byte/text decoders: they know nothing about HTTP and never block.
//! Feed them data as it arrives and pull decoded items out.
//!
//! Layers, each usable on its own:
//!
//! * [`sse`]: Server-Sent Events (`text/event-stream`, used by `messages.create(stream=true)`).
//! * [`jsonl`]: JSON Lines (`application/x-jsonl`, used by message batch results).
//! * [`partial_json`]: an incremental parser for the partial JSON streamed in
//!   `input_json_delta` events, producing a snapshot of the tool input after each fragment in
//!   time linear in the total input.
//! * [`events`]: SSE events → typed events ([`EventDecoder`], and [`EventStream`] over an
//!   HTTP body), for messages, beta messages and legacy completions.
//! * [`accumulate`]: typed message events → the full message ([`MessageAccumulator`]).
//! * [`message_stream`]: both over HTTP with helper events ([`MessageStream`], what
//!   `client.messages().stream(params)` returns).
//!
//! The decoders bound the memory they hold for a single line or event, never panic on any
//! input, and do amortised work linear in the number of bytes fed to them.

pub mod accumulate;
mod endpoints;
pub mod events;
mod family;
mod fast;
pub mod jsonl;
pub mod message_stream;
pub mod partial_json;
pub mod sse;

pub use accumulate::MessageAccumulator;
pub use events::{EventDecoder, EventStream, StreamEvent};
pub use family::StreamedMessage;
pub use jsonl::{JsonlDecoder, JsonlError};
pub use message_stream::{BetaMessageStream, MessageStream, MessageStreamEvent};
pub use partial_json::{PartialJson, PartialJsonError};
pub use sse::{SseDecoder, SseError, SseEvent};

/// Byte-search helpers shared by the decoders (a portable, safe "SWAR" word-at-a-time scan).
///
/// Each mask trick below flags the *first* matching byte of a little-endian word exactly (bits
/// above it may be false positives, which is why only `trailing_zeros` is ever used).
pub(crate) mod scan {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;

    /// Bytes of `word` that are zero get their high bit set (exact for the lowest one).
    #[inline(always)]
    fn zero_bytes(word: u64) -> u64 {
        word.wrapping_sub(LO) & !word & HI
    }

    /// Bytes of `word` equal to `byte` get their high bit set (exact for the lowest one).
    #[inline(always)]
    fn eq_bytes(word: u64, byte: u8) -> u64 {
        zero_bytes(word ^ (LO * u64::from(byte)))
    }

    /// Bytes of `word` below `n` (n <= 128) get their high bit set (exact for the lowest one).
    #[inline(always)]
    fn lt_bytes(word: u64, n: u8) -> u64 {
        word.wrapping_sub(LO * u64::from(n)) & !word & HI
    }

    /// Index of the first byte in `hay` for which `word_mask`/`byte_pred` match.
    #[inline(always)]
    fn find_by(
        hay: &[u8],
        word_mask: impl Fn(u64) -> u64,
        byte_pred: impl Fn(u8) -> bool,
    ) -> Option<usize> {
        let mut chunks = hay.chunks_exact(8);
        let mut base = 0usize;
        for chunk in &mut chunks {
            if let Ok(arr) = <[u8; 8]>::try_from(chunk) {
                let mask = word_mask(u64::from_le_bytes(arr));
                if mask != 0 {
                    return Some(base + (mask.trailing_zeros() / 8) as usize);
                }
            }
            base += 8;
        }
        chunks
            .remainder()
            .iter()
            .position(|&b| byte_pred(b))
            .map(|i| base + i)
    }

    /// First `\n` or `\r` in `hay`.
    pub(crate) fn find_eol(hay: &[u8]) -> Option<usize> {
        find_by(
            hay,
            |w| eq_bytes(w, b'\n') | eq_bytes(w, b'\r'),
            |b| b == b'\n' || b == b'\r',
        )
    }

    /// First `\n` in `hay`.
    pub(crate) fn find_lf(hay: &[u8]) -> Option<usize> {
        find_by(hay, |w| eq_bytes(w, b'\n'), |b| b == b'\n')
    }

    /// First byte in `hay` that ends a plain run inside a JSON string: `"`, `\` or a control
    /// character (< 0x20).
    pub(crate) fn find_string_special(hay: &[u8]) -> Option<usize> {
        find_by(
            hay,
            |w| eq_bytes(w, b'"') | eq_bytes(w, b'\\') | lt_bytes(w, 0x20),
            |b| b == b'"' || b == b'\\' || b < 0x20,
        )
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use proptest::prelude::*;

        fn naive(hay: &[u8], pred: impl Fn(u8) -> bool) -> Option<usize> {
            hay.iter().position(|&b| pred(b))
        }

        #[test]
        fn finds_at_every_position() {
            for len in 0..40 {
                for at in 0..len {
                    for &needle in &[b'\n', b'\r', b'"', b'\\', 0x00, 0x1f] {
                        let mut v = vec![b'a'; len];
                        v[at] = needle;
                        assert_eq!(find_eol(&v), naive(&v, |b| b == b'\n' || b == b'\r'));
                        assert_eq!(find_lf(&v), naive(&v, |b| b == b'\n'));
                        assert_eq!(
                            find_string_special(&v),
                            naive(&v, |b| b == b'"' || b == b'\\' || b < 0x20)
                        );
                    }
                }
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]
            #[test]
            fn matches_naive(v in proptest::collection::vec(any::<u8>(), 0..64)) {
                prop_assert_eq!(find_eol(&v), naive(&v, |b| b == b'\n' || b == b'\r'));
                prop_assert_eq!(find_lf(&v), naive(&v, |b| b == b'\n'));
                prop_assert_eq!(
                    find_string_special(&v),
                    naive(&v, |b| b == b'"' || b == b'\\' || b < 0x20)
                );
            }
        }
    }
}
