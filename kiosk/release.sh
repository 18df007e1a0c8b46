# shellcheck shell=bash
# Part of kiosk/install.sh: building a release, switching to it, and coming back when it fails.
#
# A release is /opt/gerai-pos/releases/<name>/: app/ (the source: pos/ with templates/ and
# static/ beside it, where the app looks for them) and venv/ (its own virtualenv: the
# dependencies from pyproject.toml through pip, the app through a .pth path, as an editable
# install does, and the `pos` and `waitress-serve` launchers).  `current` is a relative
# symlink, replaced in one rename.

BUILDING=""   # a release directory being built: removed if the installer stops half-way
NEW=""        # the release being installed
PREVIOUS=""   # the release running before, if any
BACKUP_FILE=""

cleanup_partial() {
  if [ -n "$BUILDING" ]; then
    rm -rf "$BUILDING"
  fi
}
trap cleanup_partial EXIT

release_dir() { root "$APP_DIR/releases/$1"; }

pyproject() {
  "$PYTHON" - "$SOURCE/pyproject.toml" "$1" "$EXTRAS" <<'EOF'
import sys, tomllib
project = tomllib.load(open(sys.argv[1], "rb"))["project"]
if sys.argv[2] == "version":
    print(project["version"])
else:
    extras = [project["optional-dependencies"][name] for name in sys.argv[3].split() if name]
    print("\n".join(project["dependencies"] + [dep for group in extras for dep in group]))
EOF
}

pick_release_name() {
  local base name n=2
  if [ -n "$RELEASE" ]; then
    [ ! -e "$(release_dir "$RELEASE")" ] || die "Rilis $RELEASE sudah ada; pilih --release lain."
    NEW=$RELEASE
    return
  fi
  base="$(pyproject version)-$(date -u +%Y%m%d%H%M%S)"
  name=$base
  while [ -e "$(release_dir "$name")" ]; do
    name="$base-$n"
    n=$((n + 1))
  done
  NEW=$name
}

# write_launcher PATH MODULE FUNCTION: what pip writes for a console script.
write_launcher() {
  printf '#!%s\nimport sys\nfrom %s import %s\nsys.exit(%s())\n' \
    "$(dirname "$1")/python" "$2" "$3" "$3" >"$1"
  chmod 0755 "$1"
}

build_release() {
  local dir site pip_args
  pick_release_name
  dir=$(release_dir "$NEW")
  BUILDING=$dir
  install -d -m 0755 "$dir/app"
  # Bytecode the source already has comes along: it names its source's time and size, so
  # Python (and compileall below) only use it for an unchanged file.
  (cd "$SOURCE" && tar -cf - pos templates static kiosk pyproject.toml) | tar -C "$dir/app" -xf -
  local pip=("$dir/venv/bin/python" -m pip)
  if [ -n "$PIP_FROM" ]; then
    "$PYTHON" -m venv --without-pip "$dir/venv"
    pip=("$PIP_FROM" -m pip --python "$dir/venv/bin/python")
  else
    "$PYTHON" -m venv "$dir/venv"
  fi
  site=$("$dir/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_path("purelib"))')
  if [ -n "$SHARED_SITE" ]; then
    [ -d "$SHARED_SITE" ] || die "Folder paket tidak ada: $SHARED_SITE"
    printf '%s\n' "$SHARED_SITE" >"$site/gerai-pos-shared.pth"
  fi
  pyproject dependencies >"$dir/requirements.txt"
  read -r -a pip_args <<<"${PIP_ARGS:-}"
  "${pip[@]}" install --disable-pip-version-check --no-input --quiet "${pip_args[@]}" \
    -r "$dir/requirements.txt" || die "pip gagal memasang dependensi; tidak ada yang diubah."
  printf '%s\n' "$dir/app" >"$site/gerai-pos.pth"
  write_launcher "$dir/venv/bin/pos" pos.__main__ main
  write_launcher "$dir/venv/bin/waitress-serve" waitress.runner run
  # The units run with /opt read-only: compile now, or every start compiles again in memory.
  "$dir/venv/bin/python" -m compileall -q -j 0 "$dir/app/pos" >/dev/null
  "$dir/venv/bin/python" -c 'import flask, pos.app, waitress' ||
    die "Rilis $NEW tidak bisa dimuat; tidak ada yang diubah."
  printf 'release=%s\nbuilt=%s\nsource=%s\n' "$NEW" "$(date -u +%FT%TZ)" "$SOURCE" >"$dir/RELEASE"
  BUILDING=""
}

current_release() {
  local link
  link=$(readlink "$(root "$APP_DIR/current")" 2>/dev/null || true)
  printf '%s' "${link#releases/}"
}

switch_to() {
  local link
  link=$(root "$APP_DIR/current")
  ln -sfn "releases/$1" "$link.new"
  mv -T "$link.new" "$link"
}

http_status() {
  "$PYTHON" - "$1" <<'EOF'
import sys, urllib.error, urllib.request
try:
    print(urllib.request.urlopen(sys.argv[1], timeout=5).status)
except urllib.error.HTTPError as error:
    print(error.code)
except OSError:
    print("000")
EOF
}

# 200 is healthy; nobody answering yet is waited for (asked again every quarter second); two
# other answers a second apart are not.
wait_healthy() {
  services_run || { say "  (DESTDIR: /healthz tidak diperiksa)"; return 0; }
  local url="http://127.0.0.1:$PORT/healthz" deadline=$((SECONDS + HEALTH_TIMEOUT)) bad=0 code
  while [ "$SECONDS" -lt "$deadline" ]; do
    code=$(http_status "$url")
    case "$code" in
      200) return 0 ;;
      000) bad=0; sleep 0.25; continue ;;
      *) bad=$((bad + 1)); [ "$bad" -lt 2 ] || { warn "/healthz menjawab $code."; return 1; } ;;
    esac
    sleep 1
  done
  warn "/healthz tidak menjawab dalam $HEALTH_TIMEOUT detik."
  return 1
}

# The database as it was before this update, taken with the server stopped.
take_backup() {
  local dir
  dir=$(root "$DATA_DIR/backup/pembaruan-$NEW")
  install -d -m 0750 "$dir"
  own "$SERVICE_USER" "$dir"
  say "Mencadangkan basis data ke $dir"
  if ! run_pos "$(release_dir "$PREVIOUS")" backup --to "$dir"; then
    svc start "$WEB_UNIT" || true
    die "Cadangan gagal; pembaruan dibatalkan dan versi $PREVIOUS berjalan lagi."
  fi
  BACKUP_FILE=$(find "$dir" -maxdepth 1 -type f | sort | tail -n 1)
  [ -n "$BACKUP_FILE" ] || die "Berkas cadangan tidak ditemukan di $dir."
}

# A first install over the data an uninstall kept: the database is backed up before `pos init`
# migrates it. There is no earlier release to roll back to, so a failed backup stops here.
backup_kept_data() {
  local dir revision
  # A new machine's SQLite file is not there yet (`pos init` makes it; any other command refuses it)
  [ -z "$(setting POS_DATABASE_URL)" ] && [ ! -e "$(root "$DATA_DIR/pos.db")" ] && return 0
  revision=$(run_pos "$(release_dir "$NEW")" db current) || die "Basis data yang ada tidak dapat dibaca."
  [ -n "$revision" ] || return 0
  dir=$(root "$DATA_DIR/backup/pasang-ulang-$NEW")
  install -d -m 0750 "$dir"
  own "$SERVICE_USER" "$dir"
  say "Data lama ditemukan (skema $revision); mencadangkannya ke $dir"
  run_pos "$(release_dir "$NEW")" backup --to "$dir" || die "Cadangan data lama gagal; pemasangan dihentikan."
}

rollback() {
  warn "Pembaruan ke $NEW gagal ($1). Mengembalikan versi $PREVIOUS dan basis datanya."
  svc stop "$WEB_UNIT" || true
  switch_to "$PREVIOUS"
  if ! run_pos "$(release_dir "$PREVIOUS")" restore --yes "$BACKUP_FILE"; then
    warn "Pemulihan basis data gagal; cadangannya: $BACKUP_FILE (lihat kiosk/README.md)."
  fi
  svc start "$WEB_UNIT" || true
  if wait_healthy; then
    warn "Versi $PREVIOUS berjalan lagi dengan basis data sebelum pembaruan."
  else
    warn "Versi $PREVIOUS juga belum sehat: periksa journalctl -u $WEB_UNIT."
  fi
  rm -rf "$(release_dir "$NEW")"
  exit 1
}

# The update (or first install): stop, back up, switch, migrate, start, check.
deploy() {
  local fresh="" pkp_flag=()
  PREVIOUS=$(current_release)
  if [ -z "$PREVIOUS" ] || [ ! -d "$(release_dir "$PREVIOUS")" ]; then
    PREVIOUS=""
    fresh=yes
  fi
  [ "$PKP" = true ] && pkp_flag=(--pkp)
  [ "$PKP" = false ] && pkp_flag=(--no-pkp)
  svc daemon-reload
  svc enable "$WEB_UNIT" "${TIMERS[@]}"
  if [ -z "$fresh" ]; then
    say "Menghentikan server ($PREVIOUS)"
    svc stop "$WEB_UNIT" || true
    take_backup
  fi
  switch_to "$NEW"
  if [ -n "$fresh" ]; then
    backup_kept_data
    run_pos "$(release_dir "$NEW")" init "${pkp_flag[@]}" || die "pos init gagal; lihat pesan di atas."
  else
    # backed up above (take_backup, the server stopped): no second backup
    run_pos "$(release_dir "$NEW")" db upgrade --no-backup || rollback "pos db upgrade"
    # A new PKP choice is stored, a new outlet code gets its receipt counter: `pos init`.
    if [ "${#pkp_flag[@]}" -gt 0 ] || [ -n "$OUTLET_CODE" ]; then
      run_pos "$(release_dir "$NEW")" init "${pkp_flag[@]}" || rollback "pos init"
    fi
  fi
  svc restart "$WEB_UNIT" || { [ -n "$fresh" ] && die "Server gagal dijalankan."; rollback "start"; }
  if ! wait_healthy; then
    [ -n "$fresh" ] && die "Server belum sehat: periksa journalctl -u $WEB_UNIT."
    rollback "/healthz"
  fi
  svc start "${TIMERS[@]}"
  [ "$SERVE" = tls ] && services_run && { svc reload nginx || warn "nginx gagal dimuat ulang."; }
  return 0
}

# newest_first DIR TYPE: the names in DIR of entries of TYPE (find -type), newest first.
newest_first() {
  find "$1" -mindepth 1 -maxdepth 1 -type "$2" -printf '%T@ %f\n' | sort -rn | cut -d' ' -f2
}

# Keep the running release, the one before it, and the newest others up to --keep; and the
# newest three update backups.
prune_releases() {
  local name kept=0 dir
  dir=$(root "$APP_DIR/releases")
  for name in $(newest_first "$dir" d); do
    if [ "$name" = "$NEW" ] || [ "$name" = "$PREVIOUS" ] || [ "$kept" -lt "$((KEEP_RELEASES - 2))" ]; then
      [ "$name" = "$NEW" ] || [ "$name" = "$PREVIOUS" ] || kept=$((kept + 1))
      continue
    fi
    say "Menghapus rilis lama $name"
    rm -rf "${dir:?}/$name"
  done
  dir=$(root "$DATA_DIR/backup")
  for name in $(newest_first "$dir" d | grep '^pembaruan-' | tail -n +4); do
    rm -rf "${dir:?}/$name"
  done
}
