#!/bin/sh
# Full-screen till browser for the mini-PC's own screen.  Started by the
# desktop session's autostart entry (kiosk/gerai-pos-kiosk.desktop).
URL="${POS_KIOSK_URL:-http://127.0.0.1:8000/kasir}"
# Wait for the local server (it starts at boot) so the cashier never sees an error page.
for _ in $(seq 1 60); do
  if wget -q -O /dev/null "http://127.0.0.1:8000/healthz" 2>/dev/null; then break; fi
  sleep 1
done
# Indonesian everywhere: the browser's own words, number and date formats and its messages
# (date fields in the app read dd-mm-yyyy whatever this says, but nothing should say mm/dd).
export LANGUAGE=id LANG=id_ID.UTF-8
# Optional customer screen on a second monitor: POS_KIOSK_SCREEN_URL is this till's
# "Layar pelanggan" link (Perangkat page), POS_KIOSK_SCREEN_POSITION where the second monitor
# starts (x,y; default 1920,0: to the right of a 1920-wide till screen).  Its own profile.
if [ -n "${POS_KIOSK_SCREEN_URL:-}" ]; then
  chromium --kiosk --lang=id --no-first-run --disable-translate --disable-sync \
    --disable-background-networking --disable-component-update --noerrdialogs \
    --disable-features=TranslateUI --window-position="${POS_KIOSK_SCREEN_POSITION:-1920,0}" \
    --user-data-dir="$HOME/.config/gerai-pos-customer-screen" "$POS_KIOSK_SCREEN_URL" &
fi
exec chromium --kiosk --lang=id --no-first-run --disable-translate --disable-sync \
  --disable-background-networking --disable-component-update --noerrdialogs \
  --disable-features=TranslateUI --overscroll-history-navigation=0 \
  --user-data-dir="$HOME/.config/gerai-pos-kiosk" "$URL"
