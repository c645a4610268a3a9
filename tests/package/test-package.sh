#!/bin/sh
# Checks the Debian package that `make package` built: lintian reports no error, and the binaries run
# from a scratch root made with `dpkg -x` (the package is self-contained apart from its dependencies).
# Exits 77 (skipped) when no package has been built.
set -eu
build_dir=$1
deb=$(ls -t "$build_dir"/package/keyway_*.deb 2>/dev/null | head -n 1 || true)
if [ -z "$deb" ]; then
    echo "no package in $build_dir/package: run 'make package' first"
    exit 77
fi
root=$(mktemp -d "${TMPDIR:-/tmp}/keyway-package.XXXXXX")
trap 'rm -rf "$root"' EXIT INT TERM
fail() { echo "FAIL: $*"; exit 1; }

dpkg -x "$deb" "$root"
for path in usr/bin/keyway usr/bin/keyway-cli \
            usr/share/applications/io.keyway.Keyway.desktop usr/share/metainfo/io.keyway.Keyway.metainfo.xml \
            usr/share/icons/hicolor/scalable/apps/io.keyway.Keyway.svg \
            usr/share/icons/hicolor/16x16/apps/io.keyway.Keyway.png \
            usr/share/icons/hicolor/256x256/apps/io.keyway.Keyway.png \
            usr/share/doc/keyway/copyright usr/share/doc/keyway/changelog.gz usr/share/doc/keyway/README.md \
            usr/share/man/man1/keyway.1.gz usr/share/man/man1/keyway-cli.1.gz \
            usr/share/bash-completion/completions/keyway-cli usr/share/zsh/vendor-completions/_keyway-cli \
            usr/share/fish/vendor_completions.d/keyway-cli.fish usr/share/bash-completion/completions/keyway \
            usr/share/fish/vendor_completions.d/keyway.fish; do
    [ -e "$root/$path" ] || fail "$path is missing from $deb"
done

file "$root/usr/bin/keyway" "$root/usr/bin/keyway-cli" | grep -q 'not stripped' && fail "binaries are not stripped"
grep -q '^StartupWMClass=io.keyway.Keyway$' "$root/usr/share/applications/io.keyway.Keyway.desktop" \
    || fail "the desktop file has no StartupWMClass=io.keyway.Keyway"
dpkg-deb -f "$deb" Depends | grep -q 'libqt6widgets6' || fail "Depends lacks the Qt libraries (shlibdeps)"
zcat "$root/usr/share/man/man1/keyway-cli.1.gz" | grep -q 'env' || fail "the keyway-cli man page lacks its commands"
# Completion written by keyway-cli itself: in English, with every command's options (--max-time of conform).
grep -q -- '"conform") options=.*--max-time' "$root/usr/share/bash-completion/completions/keyway-cli" \
    || fail "the bash completion lacks conform's --max-time"
grep -q 'Overall deadline' "$root/usr/share/fish/vendor_completions.d/keyway-cli.fish" \
    || fail "the fish completion is not in English"

version=$(dpkg-deb -f "$deb" Version)
out=$(env -u DISPLAY -u WAYLAND_DISPLAY QT_QPA_PLATFORM= "$root/usr/bin/keyway-cli" --version) || fail "keyway-cli --version failed"
[ "$out" = "keyway-cli $version" ] || fail "keyway-cli --version printed '$out'"
# No display at all: --version and --help must still print and exit without a window.
out=$(env -u DISPLAY -u WAYLAND_DISPLAY QT_QPA_PLATFORM= "$root/usr/bin/keyway" --version) || fail "keyway --version failed"
[ "$out" = "keyway $version" ] || fail "keyway --version printed '$out'"
env -u DISPLAY -u WAYLAND_DISPLAY QT_QPA_PLATFORM= "$root/usr/bin/keyway" --help | grep -q -- '--environment' \
    || fail "keyway --help does not list --environment"

if command -v lintian >/dev/null; then
    lintian --fail-on error "$deb" \
        || fail "lintian reports errors"
fi
echo "package ok: $deb"
