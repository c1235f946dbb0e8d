#!/bin/sh
# Konspekt team server in a container: first-run setup from the environment, then serve.
#
# KONSPEKT_DATA_DIR (default /data)       the data folder (a volume)
# KONSPEKT_KEY_STORE (image default env)  the database key comes from KONSPEKT_DB_KEY
# KONSPEKT_DB_KEY or KONSPEKT_DB_KEY_FILE 64 hex characters (a secret file: /run/secrets/…)
# KONSPEKT_ADMIN_USER, KONSPEKT_ADMIN_PASSWORD or KONSPEKT_ADMIN_PASSWORD_FILE
#                                         create this administrator on the first start
# KONSPEKT_MODEL                          a GGUF file; unset: the only *.gguf in
#                                         KONSPEKT_MODELS_DIR (default /models), if one
# KONSPEKT_HOST, KONSPEKT_PORT            where to listen (default 0.0.0.0:8443)
# KONSPEKT_TLS_CERT, KONSPEKT_TLS_KEY     a company certificate instead of a self-signed one
set -eu

say() { printf 'konspekt-entrypoint: %s\n' "$*" >&2; }

# A secret given as a file (Docker/Kubernetes secrets) becomes the variable Konspekt reads.
from_file() {
    name=$1
    file=$(printenv "${name}_FILE" || true)
    if [ -z "$(printenv "$name" || true)" ] && [ -n "$file" ]; then
        [ -r "$file" ] || { say "cannot read ${name}_FILE=$file"; exit 1; }
        value=$(cat "$file")
        export "$name=$value"
    fi
}
from_file KONSPEKT_DB_KEY
from_file KONSPEKT_ADMIN_PASSWORD

export KONSPEKT_DATA_DIR="${KONSPEKT_DATA_DIR:-/data}"
models="${KONSPEKT_MODELS_DIR:-/models}"
if [ -z "${KONSPEKT_MODEL:-}" ] && [ -d "$models" ]; then
    set -- "$models"/*.gguf
    if [ "$#" -eq 1 ] && [ -f "$1" ]; then
        export KONSPEKT_MODEL="$1"
    elif [ "$#" -gt 1 ]; then
        say "several GGUF files in $models: set KONSPEKT_MODEL to the one to answer with"
        exit 1
    fi
fi

if [ ! -e "$KONSPEKT_DATA_DIR/konspekt.db" ]; then
    if [ -z "${KONSPEKT_ADMIN_USER:-}" ] || [ -z "${KONSPEKT_ADMIN_PASSWORD:-}" ]; then
        say "no data in $KONSPEKT_DATA_DIR yet: set KONSPEKT_ADMIN_USER and" \
            "KONSPEKT_ADMIN_PASSWORD (or _FILE) to create the administrator"
        exit 1
    fi
    say "first start: creating the administrator $KONSPEKT_ADMIN_USER"
    KONSPEKT_PASSWORD="$KONSPEKT_ADMIN_PASSWORD" \
        konspekt --login "$KONSPEKT_ADMIN_USER" setup </dev/null
fi
unset KONSPEKT_ADMIN_PASSWORD KONSPEKT_ADMIN_PASSWORD_FILE

set -- serve --host "${KONSPEKT_HOST:-0.0.0.0}" --port "${KONSPEKT_PORT:-8443}"
if [ -n "${KONSPEKT_TLS_CERT:-}" ]; then
    set -- "$@" --cert "$KONSPEKT_TLS_CERT" --key "${KONSPEKT_TLS_KEY:?with KONSPEKT_TLS_CERT}"
fi

# konspekt serve shuts down gracefully on SIGTERM (what container engines send) and closes
# its data before it exits.
exec konspekt "$@"
