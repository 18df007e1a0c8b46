# shellcheck shell=bash
# Part of kiosk/install.sh: the files outside the release (systemd units, udev rules, the
# `gerai-pos` admin command, the kiosk session, the reverse proxy) and the closing summary.
# They come from the kiosk/ folder of the source being installed.

put() {  # put MODE SOURCE TARGET: one file of the installed system, its folder made
  install -d -m 0755 "$(dirname "$(root "$3")")"
  install -m "$1" "$2" "$(root "$3")"
}

install_units() {
  local unit
  for unit in "${UNIT_FILES[@]}"; do
    put 0644 "$HERE/$unit" "/etc/systemd/system/$unit"
  done
}

install_udev() {
  put 0644 "$HERE/99-gerai-pos.rules" "$UDEV_RULES"
  if [ -z "$DESTDIR" ] && command -v udevadm >/dev/null; then
    if ! udevadm control --reload || ! udevadm trigger --subsystem-match=usb \
      --subsystem-match=tty --subsystem-match=usbmisc; then
      warn "udevadm gagal; colok ulang printer dan timbangan."
    fi
  fi
}

# The till's own screen: the kiosk user's autostart entry opens kiosk-browser.sh on this
# server's port; Chromium's policy keeps it quiet offline; LightDM (if present) logs it in.
install_kiosk() {
  [ -n "$KIOSK" ] || return 0
  local home entry
  home=$(user_field "$KIOSK_USER" 6)
  entry="$home/.config/autostart/gerai-pos-kiosk.desktop"
  install -d -m 0755 "$(root "$home/.config")" "$(root "$home/.config/autostart")"
  sed "s#^Exec=#Exec=env POS_KIOSK_URL=http://127.0.0.1:$PORT/kasir #" \
    "$HERE/gerai-pos-kiosk.desktop" >"$(root "$entry")"
  chmod 0644 "$(root "$entry")"
  own "$KIOSK_USER" "$(root "$home/.config")" "$(root "$home/.config/autostart")" "$(root "$entry")"
  put 0644 "$HERE/chromium-policy.json" "$CHROMIUM_POLICY"
  if [ -d "$(root /etc/lightdm)" ]; then
    install -d -m 0755 "$(root "$(dirname "$LIGHTDM_DROPIN")")"
    printf '# Gerai POS: the till logs in by itself and never blanks.\n[Seat:*]\nautologin-user=%s\nautologin-user-timeout=0\nxserver-command=X -s 0 -dpms\n' \
      "$KIOSK_USER" >"$(root "$LIGHTDM_DROPIN")"
  else
    say "  LightDM tidak ada: atur login otomatis akun $KIOSK_USER di pengelola tampilan."
  fi
}

# --serve tls: nginx on the LAN with a self-signed certificate (kept once made), the app on
# 127.0.0.1 trusting nginx's X-Forwarded-Proto.  Another mode takes the site away again.
install_proxy() {
  if [ "$SERVE" != tls ]; then
    rm -f "$(root "$NGINX_ENABLED")" "$(root "$NGINX_SITE")"
    return 0
  fi
  local name tls
  name=$(server_name)
  tls=$(root "$ETC_DIR/tls")
  install -d -m 0750 "$tls"
  if [ ! -f "$tls/gerai-pos.crt" ]; then
    say "Membuat sertifikat HTTPS untuk $name ($ETC_DIR/tls/gerai-pos.crt)"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=$name" \
      -addext "subjectAltName=DNS:$name" -keyout "$tls/gerai-pos.key" \
      -out "$tls/gerai-pos.crt" 2>/dev/null || die "openssl gagal membuat sertifikat."
    chmod 0600 "$tls/gerai-pos.key"
  fi
  install -d -m 0755 "$(root "$(dirname "$NGINX_SITE")")" "$(root "$(dirname "$NGINX_ENABLED")")"
  sed -e "s/server_name gerai-pos.local;/server_name $name;/" \
    -e "s#http://127.0.0.1:8000#http://127.0.0.1:$PORT#" \
    "$HERE/nginx-gerai-pos.conf" >"$(root "$NGINX_SITE")"
  ln -sfn "$NGINX_SITE" "$(root "$NGINX_ENABLED")"
}

server_name() { printf '%s' "${SERVER_NAME:-$(hostname).local}"; }

record_choices() {
  printf 'KIOSK_USER=%s\nSERVE=%s\nSERVER_NAME=%s\n' "${KIOSK:+$KIOSK_USER}" "$SERVE" \
    "$([ "$SERVE" != tls ] || server_name)" >"$(root "$INSTALL_RECORD")"
}

install_system_files() {
  install_units
  install_udev
  put 0755 "$HERE/gerai-pos" "$ADMIN_COMMAND"
  install_kiosk
  install_proxy
  record_choices
}

summary() {
  say ""
  say "Gerai POS $NEW terpasang. Server: $(setting POS_HOST):$PORT ($SERVE)."
  case "$SERVE" in
    local) say "Hanya layar mini-PC ini yang membuka kasir (--serve lan atau tls untuk kasir lain)." ;;
    lan) say "Kasir lain: http://<alamat mini-PC>:$PORT/kasir (tanpa enkripsi: lihat kiosk/README.md)." ;;
    tls) say "Kasir lain: https://$(server_name)/kasir; pasang $ETC_DIR/tls/gerai-pos.crt di tiap perangkat." ;;
  esac
  say "Belum ada akun. Buat akun manajer pertama (PIN ditanyakan):"
  say "  sudo gerai-pos user add manajer --name \"Nama Manajer\" --role manager"
}
