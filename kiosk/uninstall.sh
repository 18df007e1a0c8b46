#!/usr/bin/env bash
# Remove Gerai POS from the mini-PC, all but the data (see kiosk/README.md):
#
#   sudo /opt/gerai-pos/current/app/kiosk/uninstall.sh      # or kiosk/uninstall.sh from a source
#
# Stops and removes the units, the udev rules, the kiosk session, the proxy site, the admin
# command and /opt/gerai-pos.  Kept: /var/lib/gerai-pos (the database and its backups),
# /etc/gerai-pos (the settings and the secret key that signs the screens' links; gone only
# with --purge-settings) and the accounts (their files stay theirs).  DESTDIR as install.sh.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=SCRIPTDIR/common.sh
. "$HERE/common.sh"

PURGE_SETTINGS=""
case "${1:-}" in
  "") ;;
  --purge-settings) PURGE_SETTINGS=yes ;;
  -h|--help) say "Pemakaian: uninstall.sh [--purge-settings]"; exit 0 ;;
  *) die "Pilihan tidak dikenal: $1 (hanya --purge-settings)." ;;
esac
need_root "$@"

remove_units() {
  local unit
  svc stop "${TIMERS[@]}" "$WEB_UNIT" || true
  svc disable "$WEB_UNIT" "${TIMERS[@]}" || true
  for unit in "${UNIT_FILES[@]}"; do
    rm -f "$(root "/etc/systemd/system/$unit")"
  done
  svc daemon-reload || true
}

remove_desktop() {
  local kiosk_user home
  kiosk_user=$(recorded KIOSK_USER)
  if [ -n "$kiosk_user" ]; then
    home=$(user_field "$kiosk_user" 6)
    [ -z "$home" ] || rm -f "$(root "$home/.config/autostart/gerai-pos-kiosk.desktop")"
  fi
  rm -f "$(root "$CHROMIUM_POLICY")" "$(root "$LIGHTDM_DROPIN")"
}

main() {
  [ -e "$(root "$APP_DIR")" ] || [ -e "$(root "$INSTALL_RECORD")" ] ||
    die "Gerai POS tidak terpasang di $(root "$APP_DIR")."
  say "Menghentikan dan menghapus layanan Gerai POS"
  remove_units
  rm -f "$(root "$UDEV_RULES")"
  if [ -z "$DESTDIR" ] && command -v udevadm >/dev/null; then
    udevadm control --reload || true
  fi
  remove_desktop
  if [ -e "$(root "$NGINX_SITE")" ]; then
    rm -f "$(root "$NGINX_ENABLED")" "$(root "$NGINX_SITE")"
    services_run && { svc reload nginx || warn "nginx gagal dimuat ulang."; }
  fi
  rm -f "$(root "$ADMIN_COMMAND")" "$(root "$INSTALL_RECORD")"
  rm -rf "$(root "$APP_DIR")"
  if [ -n "$PURGE_SETTINGS" ]; then
    rm -rf "$(root "$ETC_DIR")"
  fi
  say "Gerai POS dihapus. Data tetap di $DATA_DIR (basis data dan cadangan)."
  [ -n "$PURGE_SETTINGS" ] || say "Pengaturan tetap di $ETC_DIR (hapus dengan --purge-settings)."
  say "Akun $SERVICE_USER tetap ada (pemilik data); hapus dengan deluser bila data juga dibuang."
}

main
