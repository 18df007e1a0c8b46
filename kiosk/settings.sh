# shellcheck shell=bash
# Part of kiosk/install.sh: /etc/gerai-pos/pos.env, the gerai's settings.  Values are written
# double-quoted (install.sh refuses the characters that would break that), which systemd's
# EnvironmentFile= and the shell both read the same way.

# set_key FILE KEY VALUE: one KEY="VALUE" line in FILE, replacing an earlier one.
set_key() {
  local kept
  kept=$(grep -v "^$2=" "$1" || true)
  printf '%s\n%s="%s"\n' "$kept" "$2" "$3" | sed '/^$/d' >"$1"
}

# The zone this computer is set to: /etc/timezone, else the name /etc/localtime links to (a
# system without /etc/timezone); empty when neither says.
system_zone_name() {
  local zone link
  zone=$(head -n 1 "$(root /etc/timezone)" 2>/dev/null || true)
  if [ -z "$zone" ] && link=$(readlink "$(root /etc/localtime)" 2>/dev/null); then
    zone=${link#*zoneinfo/}
  fi
  printf '%s' "$zone"
}

# The computer's zone when it is one of Indonesia's, else nothing: any other (Etc/UTC) is the
# outlet's to say (asked, or --timezone), never taken for WITA (a WIB outlet on a mini-PC set to
# UTC got WITA business dates).
system_timezone() {
  local zone
  zone=$(system_zone_name)
  case "$zone" in
    Asia/Jakarta|Asia/Pontianak|Asia/Makassar|Asia/Jayapura) printf '%s' "$zone" ;;
  esac
}

# A first install on a computer not set to an Indonesian zone: the outlet's zone asked at the
# terminal (Enter: WITA), refused when unattended without --timezone.
collect_timezone() {
  [ -n "$TIMEZONE" ] && return 0
  TIMEZONE=$(system_timezone)
  [ -n "$TIMEZONE" ] && return 0
  local shown reply
  shown=$(system_zone_name)
  shown="Zona waktu komputer ini (${shown:-tidak diketahui}) bukan zona waktu Indonesia"
  if [ -n "$UNATTENDED" ] || [ ! -t 0 ]; then
    die "$shown: berikan --timezone Asia/Jakarta (WIB), Asia/Makassar (WITA) atau Asia/Jayapura (WIT)."
  fi
  say "$shown."
  ask reply "Zona waktu gerai: WIB, WITA atau WIT? [WITA]"
  case "${reply^^}" in
    ""|WITA) TIMEZONE=Asia/Makassar ;;
    WIB) TIMEZONE=Asia/Jakarta ;;
    WIT) TIMEZONE=Asia/Jayapura ;;
    *) TIMEZONE=$reply ;;   # a zone's name, checked by validate
  esac
}

# The settings: kept on a re-install (the secret key above all: it signs the screens' links);
# the flags given this time change their own lines only.
write_settings() {
  local target draft
  target=$(root "$ETC_DIR/pos.env")
  draft=$(mktemp)
  if [ -f "$target" ]; then
    cp "$target" "$draft"
  else
    cat >"$draft" <<EOF
# $ETC_DIR/pos.env: the settings of this gerai, read by the pos-* units.  Written by
# kiosk/install.sh; a re-install keeps it and changes only the lines its flags name.
# Every POS_ name is in pos/config.py.  Mode 0640 root:$SERVICE_USER: it holds the secret key.
POS_INSTANCE_PATH="$DATA_DIR"
POS_PRINTER="dummy://"
POS_RECEIPT_COLUMNS="32"
# Cash is rounded to the smallest coin the drawer pays change in (Rp100); 0 turns it off.
POS_CASH_ROUNDING="100"
EOF
    : "${SERVE:=local}" "${PORT:=8000}" "${TIMEZONE:=$(system_timezone)}" "${PKP:=false}"
    HET_ZONE_SET=yes
  fi
  # Made once.  A settings file written by hand before has none: the app then kept its key in
  # the data folder, and that one stays (the screens' links must not change).
  if ! grep -q '^POS_SECRET_KEY=' "$draft"; then
    set_key "$draft" POS_SECRET_KEY "$(cat "$(root "$DATA_DIR/secret_key")" 2>/dev/null ||
      "$PYTHON" -c 'import secrets; print(secrets.token_hex(32))')"
  fi
  [ -n "$OUTLET_CODE" ] && set_key "$draft" POS_OUTLET_CODE "$OUTLET_CODE"
  [ -n "$OUTLET_NAME" ] && set_key "$draft" POS_OUTLET_NAME "$OUTLET_NAME"
  [ -n "$HET_ZONE_SET" ] && set_key "$draft" POS_HET_ZONE "$HET_ZONE"
  [ -n "$PKP" ] && set_key "$draft" POS_PKP "$PKP"
  [ -n "$TIMEZONE" ] && set_key "$draft" POS_TIMEZONE "$TIMEZONE"
  [ -n "$PORT" ] && set_key "$draft" POS_PORT "$PORT"
  if [ -n "$SERVE" ]; then
    local host=127.0.0.1 proxy=false
    [ "$SERVE" = lan ] && host=0.0.0.0
    [ "$SERVE" = tls ] && proxy=true
    set_key "$draft" POS_HOST "$host"
    set_key "$draft" POS_TRUST_PROXY "$proxy"
    set_key "$draft" POS_SECURE_COOKIES "$proxy"
    # what Perangkat's links name for tablets and screens: the name the certificate carries
    set_key "$draft" POS_PUBLIC_URL "$([ "$SERVE" != tls ] || printf 'https://%s' "$(server_name)")"
  fi
  install -m 0640 "$draft" "$target"
  rm -f "$draft"
  if [ "$(id -u)" = 0 ]; then
    chown "0:$(user_field "$SERVICE_USER" 4)" "$target"
  fi
  SERVE=$(serve_mode)
  PORT=$(setting POS_PORT)
}

serve_mode() {
  if [ "$(setting POS_TRUST_PROXY)" = true ]; then
    printf 'tls'
  elif [ "$(setting POS_HOST)" = 127.0.0.1 ]; then
    printf 'local'
  else
    printf 'lan'
  fi
}
