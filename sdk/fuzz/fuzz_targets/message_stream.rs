//! Feeds arbitrary bytes (seeded with SSE event names, so message events are reached) through
//! the typed event decoder and the message accumulator, in arbitrary chunks: nothing may
//! panic, and the chunking must not change the outcome.
#![no_main]

use anthropic::streaming::{EventDecoder, MessageAccumulator};
use anthropic::types::RawMessageStreamEvent;
use libfuzzer_sys::fuzz_target;

/// The events (as JSON) and the final snapshot or error, after decoding `chunks`.
fn run<'a>(chunks: impl Iterator<Item = &'a [u8]>) -> (Vec<String>, String) {
    let mut decoder = EventDecoder::<RawMessageStreamEvent>::new();
    let mut accumulator = MessageAccumulator::new();
    let mut seen = Vec::new();
    let drain = |decoder: &mut EventDecoder<RawMessageStreamEvent>,
                     accumulator: &mut MessageAccumulator,
                     seen: &mut Vec<String>|
     -> bool {
        while let Some(item) = decoder.next_event() {
            match item {
                Ok(event) => {
                    seen.push(serde_json::to_string(&event).unwrap());
                    if let Err(e) = accumulator.push(&event) {
                        seen.push(format!("accumulate error: {}", e.kind_name()));
                        return false;
                    }
                }
                Err(e) => {
                    seen.push(format!("error: {}", e.kind_name()));
                    return false;
                }
            }
        }
        true
    };
    for chunk in chunks {
        let pushed = decoder.push(chunk);
        if !drain(&mut decoder, &mut accumulator, &mut seen) {
            return (seen, String::new());
        }
        if pushed.is_err() {
            return (seen, "sse error".to_owned());
        }
    }
    if decoder.finish().is_ok() {
        drain(&mut decoder, &mut accumulator, &mut seen);
    }
    let outcome = match accumulator.finish() {
        Ok(message) => serde_json::to_string(&message).unwrap(),
        Err(e) => format!("{}", e.kind_name()),
    };
    (seen, outcome)
}

fuzz_target!(|data: &[u8]| {
    let Some((&seed, body)) = data.split_first() else {
        return;
    };
    // Expand a few one-byte codes into the event names, so short inputs reach the decoder's
    // message paths.
    let mut text = Vec::with_capacity(body.len() * 2);
    for &b in body {
        match b {
            0x01 => text.extend_from_slice(b"event: message_start\ndata: "),
            0x02 => text.extend_from_slice(b"event: content_block_start\ndata: "),
            0x03 => text.extend_from_slice(b"event: content_block_delta\ndata: "),
            0x04 => text.extend_from_slice(b"event: content_block_stop\ndata: "),
            0x05 => text.extend_from_slice(b"event: message_delta\ndata: "),
            0x06 => text.extend_from_slice(b"event: message_stop\ndata: {}\n\n"),
            other => text.push(other),
        }
    }
    let whole = run(std::iter::once(&text[..]));
    let step = usize::from(seed % 13) + 1;
    let chunked = run(text.chunks(step));
    assert_eq!(whole, chunked, "chunking changed the outcome");
});
