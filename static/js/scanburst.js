/* A scanner typing into a field that is not a scan field (a label count, a receiving line's
 * cost or quantity): keys faster than a person types, ended by Enter, are a scan.  As at the
 * till (static/js/pos.js): 6 keys or more, half their gaps at most 35 ms, Enter within 105 ms of
 * the last; a held key (repeat) is a person's.  ``GeraiBurst.watch(selector, onScan)``: for a
 * field matching ``selector``, such a burst is taken back out of it (the field keeps what it
 * held before) and ``onScan(code, field)`` is called; that Enter never reaches the field. */
(function () {
  "use strict";
  const GAP_MS = 35, PAUSE_MS = 250, MIN_KEYS = 6;
  const watched = [];
  let burst = { chars: "", times: [], field: null, before: "" };
  const median = (times) => {
    const gaps = times.slice(1).map((t, i) => t - times[i]).sort((a, b) => a - b);
    return gaps[Math.floor((gaps.length - 1) / 2)];
  };
  document.addEventListener("keydown", (e) => {
    const field = e.target;
    const hit = field.matches && watched.find((w) => field.matches(w.selector));
    if (!hit) return;
    const now = performance.now();
    const last = burst.times.length ? burst.times[burst.times.length - 1] : -Infinity;
    if (e.key.length === 1 && !e.ctrlKey && !e.altKey && !e.metaKey) {
      if (e.repeat) { burst = { chars: "", times: [], field: null, before: "" }; return; }
      if (burst.field !== field || now - last > PAUSE_MS) {
        burst = { chars: "", times: [], field: field, before: field.value };
      }
      burst.chars += e.key;
      burst.times.push(now);
      return;
    }
    if (e.key !== "Enter") return;
    const scanned = burst.field === field && burst.chars.length >= MIN_KEYS
      && now - last <= GAP_MS * 3 && median(burst.times) <= GAP_MS;
    const code = burst.chars, before = burst.before;
    burst = { chars: "", times: [], field: null, before: "" };
    if (!scanned) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    field.value = before;
    hit.onScan(code, field);
  }, true);

  window.GeraiBurst = { watch: (selector, onScan) => watched.push({ selector, onScan }) };
})();
