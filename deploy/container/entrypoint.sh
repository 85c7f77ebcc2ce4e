#!/bin/sh
# The container's entrypoint: `decisioning init` (idempotent: applies pending migrations only), then the command given
# (default `serve`), both with the configuration in $DECISIONING_CONFIG unless the command names its own --config.
#   DECISIONING_WAIT_FOR_FILE=PATH   wait (up to DECISIONING_WAIT_SECONDS, default 120) until PATH exists and is not
#                                    empty: on OCI Container Instances, the password file another container writes.
#   DECISIONING_INIT=0               skip `init` (e.g. a read-only key for `keys list`).
set -eu

config=${DECISIONING_CONFIG:-/etc/decisioning/decisioning.json}
bin=/usr/local/bin/decisioning

if [ -n "${DECISIONING_WAIT_FOR_FILE:-}" ]; then
  waited=0
  limit=${DECISIONING_WAIT_SECONDS:-120}
  while [ ! -s "$DECISIONING_WAIT_FOR_FILE" ]; do
    if [ "$waited" -ge "$limit" ]; then
      echo "entrypoint: $DECISIONING_WAIT_FOR_FILE did not appear within $limit s" >&2
      exit 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
fi

own_config=no
for argument in "$@"; do
  case "$argument" in --config | --config=*) own_config=yes ;; esac
done
[ "$#" -gt 0 ] || set -- serve
if [ "$own_config" = no ] && [ -f "$config" ]; then
  set -- "$@" --config "$config"
  [ "${DECISIONING_INIT:-1}" = 0 ] || "$bin" init --config "$config" >&2
fi
exec "$bin" "$@"
