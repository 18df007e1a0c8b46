# shellcheck shell=bash disable=SC2034  # the names are used by the scripts sourcing this
# Shared by kiosk/install.sh and kiosk/uninstall.sh: the fixed paths of an installed Gerai POS
# and the few actions that reach the host system (systemctl, useradd, chown, running `pos` as
# the service user, udevadm).  With DESTDIR set every file goes under it, and those actions
# are pointed at it or left out; the steps around them are the same ones a real install runs.

APP_DIR=/opt/gerai-pos
DATA_DIR=/var/lib/gerai-pos
ETC_DIR=/etc/gerai-pos
SERVICE_USER=gerai
WEB_UNIT=pos-web.service
# Every unit file the installer puts in /etc/systemd/system (the web server first).
UNIT_FILES=(pos-web.service pos-ledger-push.service pos-ledger-push.timer
  pos-backup.service pos-backup.timer)
TIMERS=(pos-ledger-push.timer pos-backup.timer)
UDEV_RULES=/etc/udev/rules.d/99-gerai-pos.rules
CHROMIUM_POLICY=/etc/chromium/policies/managed/gerai-pos.json
LIGHTDM_DROPIN=/etc/lightdm/lightdm.conf.d/50-gerai-pos.conf
NGINX_SITE=/etc/nginx/sites-available/gerai-pos.conf
NGINX_ENABLED=/etc/nginx/sites-enabled/gerai-pos.conf
ADMIN_COMMAND=/usr/local/sbin/gerai-pos
# What the installer chose (the kiosk user, the serving mode), read back by uninstall.sh.
INSTALL_RECORD=$ETC_DIR/install.conf

DESTDIR="${DESTDIR:-}"
DESTDIR="${DESTDIR%/}"

say() { printf '%s\n' "$*"; }
warn() { printf 'gerai-pos: %s\n' "$*" >&2; }
die() { warn "$*"; exit 1; }

# root: the path on this machine of a path of the installed system.
root() { printf '%s%s' "$DESTDIR" "$1"; }

need_root() {
  if [ -z "$DESTDIR" ] && [ "$(id -u)" != 0 ]; then
    die "Jalankan sebagai root: sudo $0 $*"
  fi
}

# svc VERB UNIT...: systemctl on the installed system.  GERAI_SYSTEMCTL replaces it (the tests
# run the units with a stand-in); in a DESTDIR without one, enabling works offline through
# --root and anything that needs a running systemd is reported and left out.
svc() {
  if [ -n "${GERAI_SYSTEMCTL:-}" ]; then
    "$GERAI_SYSTEMCTL" "$@"
  elif [ -z "$DESTDIR" ]; then
    systemctl "$@"
  else
    case "$1" in
      enable|disable) systemctl --quiet --root="$DESTDIR" "$@" ;;
      *) say "  (DESTDIR: systemctl $* dilewati)" ;;
    esac
  fi
}

# Services only run on a real root, or under the tests' stand-in for systemctl.
services_run() { [ -z "$DESTDIR" ] || [ -n "${GERAI_SYSTEMCTL:-}" ]; }

# user_field NAME FIELD: a field of NAME's line in the installed system's passwd (3 uid,
# 4 gid, 6 home); empty when there is no such user.
user_field() {
  awk -F: -v name="$1" -v field="$2" '$1 == name { print $field }' "$(root /etc/passwd)" 2>/dev/null
}

group_exists() {
  grep -q "^$1:" "$(root /etc/group)" 2>/dev/null
}

# account_tool COMMAND ARGS...: useradd / groupadd / usermod on the installed system.
account_tool() {
  local tool=$1
  shift
  if [ -n "$DESTDIR" ]; then
    "$tool" --prefix "$DESTDIR" "$@"
  else
    "$tool" "$@"
  fi
}

# own USER PATH...: numeric owner from the installed passwd, so it also works in a DESTDIR
# whose users this machine does not know.  Only root may give files away; a DESTDIR built by
# another user keeps its own.
own() {
  local uid gid
  uid=$(user_field "$1" 3)
  gid=$(user_field "$1" 4)
  shift
  if [ "$(id -u)" = 0 ]; then
    chown "$uid:$gid" "$@"
  fi
}

# as_service_user COMMAND...: run as the service user (a DESTDIR install runs as the caller).
as_service_user() {
  if [ -n "$DESTDIR" ]; then
    "$@"
  else
    runuser -u "$SERVICE_USER" -- "$@"
  fi
}

# recorded KEY: a choice an earlier install made (install.conf).
recorded() {
  sed -n "s/^$1=//p" "$(root "$INSTALL_RECORD")" 2>/dev/null | tail -n 1
}

# setting KEY: a value of the installed pos.env, without the quotes the installer writes.
setting() {
  local file
  file=$(root "$ETC_DIR/pos.env")
  [ -f "$file" ] || return 0
  sed -n "s/^$1=//p" "$file" | tail -n 1 | sed -e 's/^"\(.*\)"$/\1/'
}

# run_pos RELEASE_DIR ARGS...: the `pos` command of a release, as the service user, with the
# installed settings (and the data folder under DESTDIR).
run_pos() {
  local release=$1
  shift
  (
    set -a
    # shellcheck disable=SC1090  # the installed settings, written by install.sh
    . "$(root "$ETC_DIR/pos.env")"
    set +a
    POS_INSTANCE_PATH=$(root "$DATA_DIR")
    export POS_INSTANCE_PATH
    cd "$POS_INSTANCE_PATH" || exit 1
    as_service_user "$release/venv/bin/pos" "$@"
  )
}
