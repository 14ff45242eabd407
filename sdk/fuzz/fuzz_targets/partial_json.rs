//! Feeds arbitrary text to `PartialJson` in arbitrary fragments: nothing may panic, and a
//! document that serde_json accepts must be accepted with the same final value.
#![no_main]

use anthropic::streaming::partial_json::PartialJson;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (seed, body) = match data.split_first() {
        Some((&seed, body)) => (seed, body),
        None => return,
    };
    let text = String::from_utf8_lossy(body);
    let text: &str = &text;

    let mut parser = PartialJson::new();
    let mut pushed_ok = true;
    let mut state = u32::from(seed) | 1;
    let mut start = 0;
    while start < text.len() {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let mut end = (start + (state % 9) as usize).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        if parser.push(&text[start..end]).is_err() {
            pushed_ok = false;
        }
        let _ = parser.snapshot();
        let _ = parser.is_complete();
        start = end;
    }

    let expected = serde_json::from_str::<serde_json::Value>(text);
    if let Ok(value) = &expected {
        assert!(pushed_ok, "rejected a valid document");
        // A top-level number is still "in progress" at the end of the input (more digits
        // could follow), and long ones are not shown until complete.
        if !value.is_number() {
            assert_eq!(parser.snapshot(), value, "final snapshot differs");
        }
    }
    let finished = parser.finish();
    assert_eq!(finished.is_ok(), expected.is_ok());
    if let (Ok(a), Ok(b)) = (finished, expected) {
        assert_eq!(a, b);
    }
});
