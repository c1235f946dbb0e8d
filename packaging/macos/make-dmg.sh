#!/usr/bin/env bash
# Wrap dist/Konspekt.app (made by PyInstaller from packaging/konspekt.spec on macOS) into
# dist/Konspekt-<version>.dmg with an Applications link to drag it onto.
# Unsigned: IT signs and notarizes with its own Developer ID (docs/packaging.md, "macOS").
set -euo pipefail
cd "$(dirname "$0")/../.."
app=dist/Konspekt.app
[ -d "$app" ] || { echo "make-dmg: no $app (run pyinstaller packaging/konspekt.spec)" >&2; exit 1; }
version=$(sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml | head -n1)
dmg="dist/Konspekt-$version.dmg"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp -R "$app" "$stage/"
ln -s /Applications "$stage/Applications"
rm -f "$dmg"
hdiutil create -volname "Konspekt $version" -srcfolder "$stage" -fs HFS+ -format UDZO \
    -imagekey zlib-level=9 "$dmg"
echo "$dmg"
