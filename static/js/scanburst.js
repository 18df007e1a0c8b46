/* A scanner typing into a field that is not a scan field (the till's cash box or a quantity, a
 * label count, a receiving line's cost or counts, a stock count's fields): keys faster than a person types, ended by Enter, are a
 * scan.  Keys less than 250 ms apart belong together; an Enter right after them (within 3 x 35
 * ms: a person waits for the search's answer; for digits alone, a barcode, within 250 ms: a
 * busy machine delays the scanner's Enter too, and one 120-150 ms late put the code in the cash
 * box as money) takes them as a scan when there are 6 or more and half their gaps or
 * more are at most 35 ms (a scanner types every 8-16 ms; a busy machine delays some of its
 * keys, which the median rides over, where one late key used to split the code and send the
 * rest to the cash box).  A burst is told by its keys' gaps, never by its Enter's delay: a
 * person's amount and Enter are theirs however soon the Enter comes.  A held key repeats by
 * itself: a person's.  A person's key less than 250 ms before a scan is taken into it (the
 * code is then unknown and the page says so); one typed earlier stays theirs.
 * ``GeraiBurst.watch(which, onScan, accepts)``: for a field matching ``which`` (a selector, or a
 * function of the field), such a burst is taken back out of it (the field keeps what it held
 * before) and ``onScan(code, field)`` is called; that Enter never reaches the field.  With
 * ``accepts(code, field)`` (optional) a burst it says no to stays in the field as typed.
 * Keys are timed by when they were pressed (``GeraiBurst.pressedAt(e)``, the event's own time),
 * never by when a busy page got round to them.
 * Loaded on every page before pos.js (base.html), which watches the till's fields with it. */
(function () {
  "use strict";
  const GAP_MS = 35, PAUSE_MS = 250, MIN_KEYS = 6;
  const watched = [];
  const none = () => ({ chars: "", times: [], field: null, before: "" });
  let burst = none();
  const matches = (w, field) => (typeof w.which === "function" ? w.which(field)
    : field.matches && field.matches(w.which));
  // When the key was pressed (the event's own time), not when a busy page got round to it: a
  // slow till's page handles a scanner's keys late and unevenly, bunched after a pause.
  const pressedAt = (e) => (e.timeStamp > 0 ? e.timeStamp : performance.now());
  const median = (times) => {
    const gaps = times.slice(1).map((t, i) => t - times[i]).sort((a, b) => a - b);
    return gaps[Math.floor((gaps.length - 1) / 2)];
  };
  document.addEventListener("keydown", (e) => {
    const field = e.target;
    const hit = field && watched.find((w) => matches(w, field));
    if (!hit) return;
    const now = pressedAt(e);
    const last = burst.times.length ? burst.times[burst.times.length - 1] : -Infinity;
    if (e.key.length === 1 && !e.ctrlKey && !e.altKey && !e.metaKey) {
      if (e.repeat) { burst = none(); return; }
      if (burst.field !== field || now - last > PAUSE_MS) {
        burst = { chars: "", times: [], field: field, before: "value" in field ? field.value : "" };
      }
      burst.chars += e.key;
      burst.times.push(now);
      return;
    }
    if (e.key !== "Enter") return;
    const scanned = burst.field === field && burst.chars.length >= MIN_KEYS
      && median(burst.times) <= GAP_MS
      && (now - last <= GAP_MS * 3 || (now - last <= PAUSE_MS && /^[0-9]+$/.test(burst.chars)));
    const code = burst.chars, before = burst.before;
    burst = none();
    if (!scanned || (hit.accepts && !hit.accepts(code, field))) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    if ("value" in field) field.value = before;
    // a count shown to be typed over (a label count's "1") is selected again: the "3" typed
    // next after a code that found nothing made 13 labels
    if (field.matches && field.matches("[data-select-on-focus]")) field.select();
    hit.onScan(code, field);
  }, true);

  window.GeraiBurst = { watch: (which, onScan, accepts) => watched.push({ which, onScan, accepts }),
                       pressedAt };
})();
