#!/usr/bin/env bash
# Build dist/konspekt_<version>_amd64.deb from the PyInstaller bundle in dist/konspekt/.
# The bundle goes under /opt/konspekt, /usr/bin/konspekt links to it, the desktop entry and
# icon go where desktops look; /etc/konspekt/ is created empty for IT's policy.toml (none is
# shipped). User data (~/.local/share/konspekt) is never touched by the package.
set -euo pipefail
cd "$(dirname "$0")/../.."
dist=${DIST:-dist}
bundle="$dist/konspekt"
[ -x "$bundle/konspekt" ] || { echo "build-deb: no bundle at $bundle (run make package)" >&2; exit 1; }
version=$(sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml | head -n1)
arch=$(dpkg --print-architecture)
# The bundle's Python and libraries need at least the glibc of the machine that built it.
glibc=$(dpkg-query -W -f='${Version}' libc6 | cut -d- -f1)
deb="$dist/konspekt_${version}_${arch}.deb"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
chmod 0755 "$stage"  # mktemp makes it 0700: it becomes "/" in the package

install -d "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" \
    "$stage/usr/share/icons/hicolor/scalable/apps" "$stage/usr/share/icons/hicolor/256x256/apps" \
    "$stage/usr/share/doc/konspekt" "$stage/etc/konspekt" "$stage/DEBIAN"
cp -a "$bundle" "$stage/opt/konspekt"
ln -s /opt/konspekt/konspekt "$stage/usr/bin/konspekt"
install -m 0644 packaging/linux/konspekt.desktop "$stage/usr/share/applications/konspekt.desktop"
install -m 0644 packaging/icons/konspekt.svg "$stage/usr/share/icons/hicolor/scalable/apps/konspekt.svg"
install -m 0644 packaging/icons/konspekt-256.png "$stage/usr/share/icons/hicolor/256x256/apps/konspekt.png"
install -m 0644 docs/packaging.md "$stage/usr/share/doc/konspekt/packaging.md"
printf 'IT: put policy.toml here (see /usr/share/doc/konspekt/packaging.md).\n' \
    > "$stage/etc/konspekt/README"

size_kb=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@GLIBC@/$glibc/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size_kb/" \
    packaging/linux/control.in > "$stage/DEBIAN/control"
# /etc/konspekt/README is a conffile: an edited one survives upgrades, purge removes it.
echo /etc/konspekt/README > "$stage/DEBIAN/conffiles"
install -m 0755 packaging/linux/postrm "$stage/DEBIAN/postrm"

# Root-owned files without a fakeroot: --root-owner-group (dpkg >= 1.19.0). zstd: xz -6
# took ten minutes on two busy cores for 10 % less; dpkg reads zstd since Debian 12 and
# Ubuntu 21.10, older than the glibc the bundle needs anyway. DEB_COMPRESS overrides it.
# shellcheck disable=SC2086 # two words, split on purpose
dpkg-deb --root-owner-group ${DEB_COMPRESS:--Zzstd -z9} --build "$stage" "$deb" >/dev/null
echo "$deb"
