#!/usr/bin/env bash
# Install or update Gerai POS on a Debian/Ubuntu mini-PC (run as root; see kiosk/README.md).
#
#   sudo kiosk/install.sh                           # asks for the outlet's details
#   sudo kiosk/install.sh --unattended --outlet-code KDMP-SKP01 \
#        --outlet-name "Koperasi Desa Merah Putih Sungai Kapih" --het-zone 2 --no-pkp
#
# Each run builds a release (/opt/gerai-pos/releases/<version>-<time>/: the source and its own
# virtualenv), then stops the server, backs the database up (`pos backup`), switches the
# `current` link, runs `pos db upgrade`, starts the server and asks /healthz.  If any of those
# fails, the previous release and the database backup come back by themselves.  Running it
# again with a newer source is the update.  DESTDIR=<dir> installs into a throwaway root.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/common.sh
. "$HERE/common.sh"

SOURCE=$(cd "$HERE/.." && pwd)
PYTHON=python3
PIP_ARGS="${PIP_ARGS:-}"
PIP_FROM=""
SHARED_SITE=""
EXTRAS=""
RELEASE=""
OUTLET_CODE="" OUTLET_NAME="" HET_ZONE="" HET_ZONE_SET="" PKP="" TIMEZONE="" PORT=""
SERVE="" SERVER_NAME=""
KIOSK_USER="" KIOSK=yes KIOSK_SET=""
UNATTENDED=""
HEALTH_TIMEOUT=90
KEEP_RELEASES=3

usage() {
  cat <<'EOF'
Pemakaian: install.sh [pilihan]

Gerai:
  --outlet-code KODE      kode gerai pada struk (huruf besar, angka, '-'), mis. KDMP-SKP01
  --outlet-name NAMA      nama gerai pada struk
  --het-zone 1|2|3|""     zona HET gerai (kosong: tanpa zona)
  --pkp | --no-pkp        gerai PKP (memungut PPN) atau tidak
  --timezone ZONA         Asia/Jakarta, Asia/Pontianak, Asia/Makassar atau Asia/Jayapura
                          (bawaan: zona komputer ini bila zona Indonesia; selain itu wajib
                          dengan --unattended, dan ditanyakan tanpa itu)
  --unattended            jangan bertanya; yang wajib harus diberikan sebagai pilihan
Jaringan:
  --serve local|lan|tls   local: hanya layar mini-PC ini (bawaan); lan: kasir lain lewat
                          http://<alamat>:PORT tanpa enkripsi; tls: lewat nginx dengan HTTPS
  --port PORT             port server (bawaan 8000)
  --server-name NAMA      nama mini-PC untuk sertifikat HTTPS (bawaan: <hostname>.local)
Layar kasir:
  --kiosk-user NAMA       akun desktop yang membuka kasir layar penuh (bawaan: kasir)
  --no-kiosk              tanpa sesi kiosk (server saja)
Pemasangan:
  --source DIR            sumber Gerai POS (bawaan: folder induk skrip ini)
  --release NAMA          nama rilis (bawaan: <versi>-<waktu>)
  --python PY             Python 3.11+ untuk virtualenv (bawaan: python3)
  --pip-args "ARG..."     pilihan tambahan pip, mis. "--no-index --find-links /media/usb/wheels"
  --pip-from PY           jalankan pip milik PY untuk virtualenv baru (pip --python)
  --site-packages DIR     pakai paket yang sudah terpasang di DIR (tanpa mengunduh)
  --extras postgres       paket tambahan (PostgreSQL)
  --health-timeout DETIK  batas menunggu /healthz (bawaan 90)
  --keep N                rilis yang disimpan (bawaan 3)
EOF
}

need_value() { [ "$#" -ge 2 ] || die "Pilihan $1 butuh nilai."; }

parse_args() {
  while [ "$#" -gt 0 ]; do
    case "$1" in
      --*=*) set -- "${1%%=*}" "${1#*=}" "${@:2}"; continue ;;
    esac
    case "$1" in
      --outlet-code) need_value "$@"; OUTLET_CODE=$2; shift ;;
      --outlet-name) need_value "$@"; OUTLET_NAME=$2; shift ;;
      --het-zone) need_value "$@"; HET_ZONE=$2; HET_ZONE_SET=yes; shift ;;
      --pkp) PKP=true ;;
      --no-pkp) PKP=false ;;
      --timezone) need_value "$@"; TIMEZONE=$2; shift ;;
      --unattended) UNATTENDED=yes ;;
      --serve) need_value "$@"; SERVE=$2; shift ;;
      --port) need_value "$@"; PORT=$2; shift ;;
      --server-name) need_value "$@"; SERVER_NAME=$2; shift ;;
      --kiosk-user) need_value "$@"; KIOSK_USER=$2; KIOSK_SET=yes; shift ;;
      --no-kiosk) KIOSK=""; KIOSK_SET=yes ;;
      --source) need_value "$@"; SOURCE=$2; shift ;;
      --release) need_value "$@"; RELEASE=$2; shift ;;
      --python) need_value "$@"; PYTHON=$2; shift ;;
      --pip-args) need_value "$@"; PIP_ARGS=$2; shift ;;
      --pip-from) need_value "$@"; PIP_FROM=$2; shift ;;
      --site-packages) need_value "$@"; SHARED_SITE=$2; shift ;;
      --extras) need_value "$@"; EXTRAS=$2; shift ;;
      --health-timeout) need_value "$@"; HEALTH_TIMEOUT=$2; shift ;;
      --keep) need_value "$@"; KEEP_RELEASES=$2; shift ;;
      -h|--help) usage; exit 0 ;;
      *) usage >&2; die "Pilihan tidak dikenal: $1" ;;
    esac
    shift
  done
}

# A re-install keeps the kiosk account (or none) and the server name chosen before.
recall_choices() {
  if [ -z "$KIOSK_SET" ] && [ -f "$(root "$INSTALL_RECORD")" ]; then
    KIOSK_USER=$(recorded KIOSK_USER)
    [ -n "$KIOSK_USER" ] || KIOSK=""
  fi
  : "${KIOSK_USER:=kasir}"
  : "${SERVER_NAME:=$(recorded SERVER_NAME)}"
  return 0
}

# Values end up double-quoted in pos.env, which both systemd and the shell read.
safe_text() {
  [[ "$1" != *[\"\\\$\`]* && "$1" != *$'\n'* ]]
}

validate() {
  if [ -n "$OUTLET_CODE" ]; then
    OUTLET_CODE=$(printf '%s' "$OUTLET_CODE" | tr '[:lower:]' '[:upper:]')
    [[ "$OUTLET_CODE" =~ ^[A-Z][A-Z0-9-]{1,19}$ ]] ||
      die "Kode gerai harus 2-20 huruf besar, angka atau '-', diawali huruf (mis. KDMP-SKP01)."
  fi
  if [ -n "$OUTLET_NAME" ]; then
    [ "${#OUTLET_NAME}" -le 100 ] || die "Nama gerai paling panjang 100 huruf."
    safe_text "$OUTLET_NAME" || die "Nama gerai tidak boleh berisi tanda \" \\ \$ atau \`."
  fi
  [[ "$HET_ZONE" =~ ^[123]?$ ]] || die "Zona HET harus 1, 2, 3 atau kosong."
  case "$TIMEZONE" in
    ""|Asia/Jakarta|Asia/Pontianak|Asia/Makassar|Asia/Jayapura) ;;
    *) die "Zona waktu harus Asia/Jakarta, Asia/Pontianak, Asia/Makassar atau Asia/Jayapura." ;;
  esac
  case "$SERVE" in
    ""|local|lan|tls) ;;
    *) die "--serve harus local, lan atau tls." ;;
  esac
  if [ -n "$PORT" ]; then
    if ! [[ "$PORT" =~ ^[0-9]{4,5}$ ]] || [ "$PORT" -lt 1024 ] || [ "$PORT" -gt 65535 ]; then
      die "Port harus angka 1024-65535."
    fi
  fi
  [[ "$SERVER_NAME" =~ ^[A-Za-z0-9.-]*$ ]] || die "Nama server hanya huruf, angka, '.' dan '-'."
  [[ "$KIOSK_USER" =~ ^[a-z_][a-z0-9_-]{0,30}$ ]] || die "Nama akun kiosk tidak sah: $KIOSK_USER"
  [[ "$RELEASE" =~ ^[A-Za-z0-9._-]*$ ]] || die "Nama rilis hanya huruf, angka, '.', '_' dan '-'."
  [[ "$HEALTH_TIMEOUT" =~ ^[0-9]+$ ]] || die "--health-timeout harus angka detik."
  [[ "$KEEP_RELEASES" =~ ^[2-9]$|^[1-9][0-9]+$ ]] || die "--keep harus angka, paling sedikit 2."
  case "$EXTRAS" in ""|postgres) ;; *) die "--extras hanya: postgres." ;; esac
  [[ -f "$SOURCE/pyproject.toml" && -d "$SOURCE/pos" ]] ||
    die "Sumber Gerai POS tidak ditemukan di $SOURCE (pyproject.toml dan pos/)."
  "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null ||
    die "Gerai POS butuh Python 3.11 atau lebih baru ($PYTHON). Ubuntu 22.04: apt-get install python3.11-venv, lalu --python python3.11."
  if [ -z "$PIP_FROM" ]; then
    "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null ||
      die "Modul venv tidak ada: apt-get install python3-venv"
  fi
  if [ "$SERVE" = tls ] && [ ! -d "$(root /etc/nginx)" ]; then
    die "--serve tls memakai nginx: apt-get install nginx, lalu jalankan lagi."
  fi
}

# ask VAR PROMPT: read a value from the installer's operator.
ask() {
  local answer
  read -r -p "$2: " answer
  printf -v "$1" '%s' "$answer"
}

# A first install needs the outlet's code and name, and its zone when the computer's is not
# Indonesian (settings.sh): asked for, or refused when unattended.
collect_outlet() {
  [ -f "$(root "$ETC_DIR/pos.env")" ] && return 0
  if [ -z "$UNATTENDED" ] && [ -t 0 ]; then
    [ -n "$OUTLET_CODE" ] || ask OUTLET_CODE "Kode gerai (mis. KDMP-SKP01)"
    [ -n "$OUTLET_NAME" ] || ask OUTLET_NAME "Nama gerai"
    [ -n "$HET_ZONE_SET" ] || ask HET_ZONE "Zona HET (1, 2, 3; kosong bila tanpa zona)"
    if [ -z "$PKP" ]; then
      local pkp
      ask pkp "Gerai PKP, memungut PPN? (y/T)"
      case "$pkp" in y|Y|ya|Ya|YA) PKP=true ;; *) PKP=false ;; esac
    fi
  fi
  [[ -n "$OUTLET_CODE" && -n "$OUTLET_NAME" ]] ||
    die "Pemasangan baru butuh --outlet-code dan --outlet-name."
  collect_timezone
  validate
}

ensure_accounts() {
  if [ -z "$(user_field "$SERVICE_USER" 3)" ]; then
    say "Membuat akun sistem $SERVICE_USER"
    group_exists "$SERVICE_USER" || account_tool groupadd --system "$SERVICE_USER"
    account_tool useradd --system --gid "$SERVICE_USER" --home-dir "$DATA_DIR" --no-create-home \
      --shell /usr/sbin/nologin --comment "Gerai POS" "$SERVICE_USER"
  fi
  local group
  for group in dialout lp; do
    if group_exists "$group" && ! grep -q "^$group:.*[:,]$SERVICE_USER\(,\|$\)" "$(root /etc/group)"; then
      account_tool usermod --append --groups "$group" "$SERVICE_USER"
    fi
  done
  if [ -n "$KIOSK" ] && [ -z "$(user_field "$KIOSK_USER" 3)" ]; then
    say "Membuat akun desktop $KIOSK_USER untuk layar kasir"
    account_tool useradd --create-home --shell /bin/bash --comment "Kasir Gerai POS" "$KIOSK_USER"
  fi
}

ensure_dirs() {
  install -d -m 0755 "$(root "$APP_DIR")" "$(root "$APP_DIR/releases")"
  install -d -m 0750 "$(root "$DATA_DIR")" "$(root "$DATA_DIR/backup")" "$(root "$ETC_DIR")"
  own "$SERVICE_USER" "$(root "$DATA_DIR")" "$(root "$DATA_DIR/backup")"
  if [ "$(id -u)" = 0 ]; then
    chown "0:$(user_field "$SERVICE_USER" 4)" "$(root "$ETC_DIR")"
  fi
}

# shellcheck source=SCRIPTDIR/settings.sh
. "$HERE/settings.sh"
# shellcheck source=SCRIPTDIR/release.sh
. "$HERE/release.sh"
# shellcheck source=SCRIPTDIR/system.sh
. "$HERE/system.sh"

main() {
  parse_args "$@"
  recall_choices
  need_root "$@"
  validate
  collect_outlet
  ensure_accounts
  ensure_dirs
  write_settings
  say "Menyiapkan rilis dari $SOURCE"
  build_release
  install_system_files
  deploy
  prune_releases
  summary
}

# Sourced (the tests call single steps): define only.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  main "$@"
fi
