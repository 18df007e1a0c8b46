/* Date fields (data-date): day first whatever the browser's language.  As a date is typed
 * (15112026, 15-11-2026, 15/11/2026 or 2026-11-15) its words appear beside the field
 * ("15 November 2026") or what is wrong with it ("31-02-2026 tidak ada ..."); when the field
 * is left it is rewritten as dd-mm-yyyy.  Same rules as web.date_field, which checks again. */
(function () {
  "use strict";
  const MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
                  "September", "Oktober", "November", "Desember"];
  const FORMS = [
    [/^([0-9]{2})([0-9]{2})([0-9]{4})$/, "dmy"],
    [/^([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})$/, "dmy"],
    [/^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$/, "ymd"],
  ];
  const pad = (n) => String(n).padStart(2, "0");

  // {day, month, year} or {error}; null while the text is empty or not yet a whole date.
  function parse(text) {
    const raw = (text || "").trim();
    if (!raw) return null;
    for (const [pattern, order] of FORMS) {
      const m = pattern.exec(raw);
      if (!m) continue;
      const p = {};
      for (let i = 0; i < 3; i++) p[order[i]] = parseInt(m[i + 1], 10);
      const typed = `${pad(p.d)}-${pad(p.m)}-${String(p.y).padStart(4, "0")}`;
      if (p.y < 2000 || p.y > 2099) return { error: `${typed}: tahun harus antara 2000 dan 2099.` };
      if (p.m < 1 || p.m > 12) return { error: `${typed} tidak ada: bulan harus 01 sampai 12.` };
      const last = new Date(Date.UTC(p.y, p.m, 0)).getUTCDate();
      if (p.d < 1) return { error: `${typed} tidak ada: tanggal harus 01 sampai ${last}.` };
      if (p.d > last) return { error: `${typed} tidak ada: ${MONTHS[p.m - 1]} ${p.y} hanya ${last} hari.` };
      return { day: p.d, month: p.m, year: p.y };
    }
    return { incomplete: true };
  }

  function show(input, leaving) {
    const out = document.getElementById(input.id + "-words");
    const found = parse(input.value);
    let text = "", bad = false;
    if (found && found.error) { text = found.error; bad = true; }
    else if (found && found.incomplete) {
      if (leaving) { text = "Tanggal tidak dikenali; tulis HH-BB-TTTT, misalnya 15-11-2026."; bad = true; }
    } else if (found) {
      text = `${found.day} ${MONTHS[found.month - 1]} ${found.year}`;
      if (leaving) input.value = `${pad(found.day)}-${pad(found.month)}-${found.year}`;
    }
    if (out) { out.textContent = text; out.classList.toggle("bad", bad); }
    if (bad) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
  }

  document.addEventListener("input", (e) => { if (e.target.matches && e.target.matches("[data-date]")) show(e.target, false); });
  // Capture: the field is rewritten before the form (htmx "change") reads it.
  document.addEventListener("change", (e) => { if (e.target.matches && e.target.matches("[data-date]")) show(e.target, true); }, true);
  window.GeraiDates = { parse, show };
})();
