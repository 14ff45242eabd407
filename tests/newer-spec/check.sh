#!/usr/bin/env bash
# Simulates a newer API version: merges additions.json into the checked-in spec (new schemas,
# new operations, a new content-block variant, a new enum value), regenerates into a scratch
# copy of the sdk crate, and checks that the result compiles. The generator must warn about the
# unmapped operations, not fail.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=target/newer-spec
rm -rf "$work" && mkdir -p "$work"
python3 - "$work/spec.json" <<'PY'
import json, sys
spec = json.load(open("spec/anthropic-openapi.json"))
add = json.load(open("tests/newer-spec/additions.json"))
schemas = spec["components"]["schemas"]
for name, schema in add["schemas"].items():
    assert name not in schemas, name
    schemas[name] = schema
spec["paths"].update(add["paths"])
block = schemas["ContentBlock"]
for tag, ref in add["content_block_variants"].items():
    block["oneOf"].append({"$ref": ref})
    block["discriminator"]["mapping"][tag] = ref
schemas["StopReason"]["enum"] += add["stop_reasons"]
json.dump(spec, open(sys.argv[1], "w"), indent=1)
PY
cp -r sdk "$work/sdk"
cp -r macros "$work/macros"
cp README.md "$work/README.md"
rm -rf "$work/sdk/src/generated" "$work/sdk/tests" "$work/sdk/benches" "$work/sdk/examples" "$work/sdk/fuzz"
sed -e 's/^members = .*/members = ["macros", "sdk"]/' Cargo.toml > "$work/Cargo.toml"
# Examples, benches and tests were removed from the copy: keep only the library target.
python3 - "$work/sdk/Cargo.toml" <<'PY'
import re, sys
p = sys.argv[1]
text = open(p).read()
text = re.sub(r"(?m)^\[\[(bench|example|test)\]\]\n(?:[^\[\n].*\n|\n)*", "", text)
open(p, "w").write(text)
PY
cargo run -q -p generator -- --spec "$work/spec.json" --out "$work/sdk/src/generated" 2> "$work/warnings.txt"
cat "$work/warnings.txt"
grep -q "widgets_list" "$work/warnings.txt" || { echo "expected a warning naming the unmapped operation" >&2; exit 1; }
grep -q "pub struct ResponseHologramBlock\|pub struct HologramBlock" -r "$work/sdk/src/generated" || { echo "new schema not emitted" >&2; exit 1; }
CARGO_TARGET_DIR=target cargo check -q --manifest-path "$work/Cargo.toml" -p anthropic
echo "newer spec: generated crate compiles"
