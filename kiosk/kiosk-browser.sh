#!/bin/sh
# Full-screen till browser for the mini-PC's own screen.  Started by the desktop session's
# autostart entry (kiosk/gerai-pos-kiosk.desktop, installed by kiosk/install.sh with
# POS_KIOSK_URL on the server's port).
URL="${POS_KIOSK_URL:-http://127.0.0.1:8000/kasir}"
ORIGIN=$(printf '%s\n' "$URL" | sed -E 's#^([a-z]+://[^/]+).*#\1#')
# Wait for the local server (it starts at boot) so the cashier never sees an error page.
for _ in $(seq 1 60); do
  # 0: healthy; 8: the server answers with an error status (a full disk answers 503, and the
  # till page itself then says what is wrong, better than waiting here a minute)
  wget -q -O /dev/null "$ORIGIN/healthz" 2>/dev/null
  answered=$?
  if [ "$answered" -eq 0 ] || [ "$answered" -eq 8 ]; then break; fi
  sleep 1
done
# Indonesian everywhere: the browser's own words, number and date formats and its messages
# (date fields in the app read dd-mm-yyyy whatever this says, but nothing should say mm/dd).
export LANGUAGE=id LANG=id_ID.UTF-8
# A power cut is a crash to Chromium: mark the profiles closed cleanly so no "Pulihkan
# halaman?" bubble covers the till.  Offline and quiet: no translate bar, sync, update or
# first-run nags (the managed policy, kiosk/chromium-policy.json, says the same).
for profile in gerai-pos-kiosk gerai-pos-customer-screen; do
  prefs="$HOME/.config/$profile/Default/Preferences"
  if [ -f "$prefs" ]; then
    sed -i -e 's/"exited_cleanly":false/"exited_cleanly":true/' \
      -e 's/"exit_type":"[A-Za-z]*"/"exit_type":"Normal"/' "$prefs"
  fi
done
QUIET="--kiosk --lang=id --no-first-run --no-default-browser-check --disable-translate
  --disable-sync --disable-background-networking --disable-component-update --noerrdialogs
  --disable-session-crashed-bubble --hide-crash-restore-bubble --disable-infobars
  --check-for-update-interval=31536000 --disable-features=TranslateUI"
# Optional customer screen on a second monitor: POS_KIOSK_SCREEN_URL is this till's
# "Layar pelanggan" link (Perangkat page), POS_KIOSK_SCREEN_POSITION where the second monitor
# starts (x,y; default 1920,0: to the right of a 1920-wide till screen).  Its own profile.
if [ -n "${POS_KIOSK_SCREEN_URL:-}" ]; then
  # shellcheck disable=SC2086  # QUIET is a list of flags
  chromium $QUIET --window-position="${POS_KIOSK_SCREEN_POSITION:-1920,0}" \
    --user-data-dir="$HOME/.config/gerai-pos-customer-screen" "$POS_KIOSK_SCREEN_URL" &
fi
# shellcheck disable=SC2086
exec chromium $QUIET --overscroll-history-navigation=0 \
  --user-data-dir="$HOME/.config/gerai-pos-kiosk" "$URL"
