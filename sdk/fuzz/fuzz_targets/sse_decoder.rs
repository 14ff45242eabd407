//! Feeds arbitrary bytes to `SseDecoder` in arbitrary chunks and checks that the chunking
//! never changes the decoded events (and that nothing panics).
#![no_main]

use anthropic::streaming::sse::{SseDecoder, SseError, SseEvent};
use libfuzzer_sys::fuzz_target;

/// Decodes `chunks` in order, then finishes; returns the events and the first error.
fn decode<'a>(
    chunks: impl Iterator<Item = &'a [u8]>,
    limits: (usize, usize),
) -> (Vec<SseEvent>, Option<SseError>) {
    let mut decoder = SseDecoder::with_limits(limits.0, limits.1);
    let mut events = Vec::new();
    for chunk in chunks {
        let result = decoder.push(chunk);
        events.extend(decoder.drain());
        if let Err(err) = result {
            return (events, Some(err));
        }
    }
    match decoder.finish() {
        Ok(last) => {
            events.extend(last);
            (events, None)
        }
        Err(err) => (events, Some(err)),
    }
}

fuzz_target!(|data: &[u8]| {
    // First byte: chunking seed; second byte: selects small limits (to exercise the errors).
    let (seed, rest) = match data.split_first() {
        Some((&seed, rest)) => (seed, rest),
        None => return,
    };
    let (limit_sel, body) = match rest.split_first() {
        Some((&sel, body)) => (sel, body),
        None => return,
    };
    let limits = if limit_sel % 4 == 0 {
        (usize::from(limit_sel % 64) + 1, usize::from(limit_sel) + 1)
    } else {
        (1 << 20, 16 << 20)
    };

    let whole = decode(std::iter::once(body), limits);

    // Deterministic pseudo-random chunk sizes (0..=16) from the seed.
    let mut state = u32::from(seed) | 1;
    let mut chunks = Vec::new();
    let mut rest = body;
    while !rest.is_empty() {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let take = (state % 17) as usize;
        let (head, tail) = rest.split_at(take.min(rest.len()));
        chunks.push(head);
        rest = tail;
    }
    let split = decode(chunks.into_iter(), limits);

    if whole.1.is_none() && split.1.is_none() {
        assert_eq!(whole.0, split.0, "chunking changed the events");
    }
    // With errors, the events before the failing line agree too.
    let common = whole.0.len().min(split.0.len());
    assert_eq!(whole.0[..common], split.0[..common]);
});
