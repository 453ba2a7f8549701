#!/bin/sh
# make bench-peers: install Tailcall (pinned by package-lock.json into the
# git-ignored node_modules/), build our gateway and the fakes, then measure
# (bench/peers/main.go) and write bench/peers.md. Extra arguments go to the
# measuring command, e.g. -rounds 1 -duration 3s for a quick look.
set -eu
cd "$(dirname "$0")/../.."
GO=${GO:-go}
(cd bench/peers && npm ci --no-audit --no-fund --loglevel=error)
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
$GO build -o "$bin/switchboard" .
$GO build -o "$bin/fakes" ./bench/fakes
$GO run ./bench/peers -dir bench/peers -bin "$bin" -out bench/peers.md "$@"
