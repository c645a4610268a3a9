#!/bin/sh
# Runs a command with a throwaway HOME and XDG directories, inside a throwaway D-Bus session
# with a throwaway, unlocked gnome-keyring. The user's own keyring and config are never touched.
set -eu
root=$(mktemp -d "${TMPDIR:-/tmp}/keyway-test.XXXXXX")
trap 'rm -rf "$root"' EXIT INT TERM
mkdir -p "$root/home" "$root/config" "$root/data" "$root/state" "$root/cache" "$root/runtime"
chmod 700 "$root/runtime"
export HOME="$root/home" XDG_CONFIG_HOME="$root/config" XDG_DATA_HOME="$root/data" XDG_STATE_HOME="$root/state" \
       XDG_CACHE_HOME="$root/cache" XDG_RUNTIME_DIR="$root/runtime"
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
export KEYWAY_TEST_ROOT="$root"
unset DBUS_SESSION_BUS_ADDRESS
# Keyway honours the proxy variables as curl does, loopback included; a CI machine's proxy must not
# stand between the tests and their loopback servers (the proxy tests set their own).
unset http_proxy https_proxy all_proxy no_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY NO_PROXY
dbus-run-session --config-file=/usr/share/dbus-1/session.conf -- sh -c '
    eval "$(printf %s keyway-throwaway | gnome-keyring-daemon --unlock --components=secrets)"
    keyring_pid=$(pgrep -n -x -u "$(id -u)" gnome-keyring-d || true)
    status=0
    "$@" || status=$?
    [ -n "$keyring_pid" ] && kill "$keyring_pid" 2>/dev/null
    exit $status
' keyway-isolated "$@"
