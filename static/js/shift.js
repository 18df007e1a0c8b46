/* Gerai POS shifts: the drawer counted by denomination (a live total and the differences),
 * Buka shift's float against the last closing, Tutup shift's expected vs counted per tender,
 * a code scanned into a count refused, and the till's shift keys (the manager's dialog on the
 * close page: approval.js):
 *
 *   Alt+M  Kas masuk     Alt+K  Kas keluar     Alt+X  Laporan X     Alt+T  Tutup shift
 *   Alt+L  Buka laci (the drawer without a sale: 1, 2, 3 pick a reason or type one; Enter)
 */
(function () {
  "use strict";
  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));
  const rupiah = (n) => (n < 0 ? "-" : "") + "Rp" + String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  const signed = (n) => (n > 0 ? "+" : "") + rupiah(n);
  // As the server reads them (static/js/money.js): "187.200,00" is 187.200, not 18.720.000.
  const amount = (text) => window.GeraiMoney.amount(text);
  // A non-cash tender may be counted below zero (refunds through it were more than its sales).
  const signedAmount = (text) => window.GeraiMoney.amount(text, true);

  /* --- Counting ------------------------------------------------------------------------ */
  // Pieces as the server reads them (shifts.denominations.parse_count): digits only, no sign.
  const PIECES = /^[0-9]{1,6}$/;
  function recount(box) {
    let sum = 0, any = false, bad = null;
    $$(".denom-pieces", box).forEach((input) => {
      const raw = input.value.trim();
      const wrong = raw !== "" && !PIECES.test(raw);
      const sub = raw && !wrong ? Number(raw) * Number(input.dataset.value) : 0;
      if (raw !== "") any = true;
      sum += sub;
      const out = input.parentElement.querySelector(".denom-sub");
      if (out) out.textContent = wrong ? "salah" : rupiah(sub);
      if (wrong) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
      if (wrong && bad === null) bad = input;
    });
    // -5 or "abc" is no count: said by the box, never read as none (the float looked Rp0 short)
    const problem = $(".denom-problem", box);
    if (problem) {
      problem.textContent = bad ? `Jumlah lembar/keping ${bad.dataset.label} harus bilangan bulat tanpa ` +
        "tanda, misalnya 5." : "";
      problem.hidden = !bad;
    }
    $(".denom-total", box).textContent = bad ? "—" : rupiah(sum);
    const total = $(box.dataset.total);
    if (total && any) total.value = bad ? "" : window.GeraiMoney.shown(sum);
    refresh(box.closest("form"));
  }

  function refresh(form) {
    if (!form) return;
    if (form.id === "open-shift") {
      const note = $("#float-difference");
      const previous = form.dataset.previous === "" ? null : Number(form.dataset.previous);
      const float = amount($("#kas-awal").value);
      if (note && previous !== null && float !== null && float !== previous) {
        note.textContent = `Kas awal ${rupiah(float)} berbeda ${signed(float - previous)} dari kas dihitung ` +
          `saat tutup shift terakhir (${rupiah(previous)}). Tulis catatan selisih; manajer menyetujui.`;
        note.hidden = false;
      } else if (note) note.hidden = true;
      const why = $("#catatan");   // a different float is refused without its note (the server too)
      if (why) why.required = !!(note && !note.hidden);
    }
    if (form.id === "close-shift") {
      let total = 0, known = true, any = false;
      $$("#tender-check tr[data-tender]").forEach((row) => {
        const input = $(row.dataset.counted);
        const counted = input ? (row.dataset.tender === "cash" ? amount : signedAmount)(input.value) : null;
        const shown = $(".counted-shown", row);
        if (shown) shown.textContent = counted === null ? "—" : rupiah(counted);
        const diff = counted === null ? null : counted - Number(row.dataset.expected);
        const cell = $(".diff", row);
        cell.textContent = diff === null ? "—" : signed(diff);
        cell.classList.toggle("warn", !!diff);
        // the cash, and a tender that moved in the shift (typed from its settlement), are counted
        if (diff === null) { if (row.dataset.tender === "cash" || "must" in row.dataset) known = false; }
        else total += diff;
        if (diff) any = true;
      });
      const out = $("#total-diff");
      out.textContent = known ? signed(total) : "—";
      out.classList.toggle("warn", known && total !== 0);
      const reason = $("#close-reason");
      if (reason) reason.required = any;   // each tender's difference is asked about, not the sum
    }
  }

  document.addEventListener("input", (e) => {
    const box = e.target.closest && e.target.closest("[data-denoms]");
    if (box) { recount(box); return; }
    const form = e.target.closest && e.target.closest("#open-shift, #close-shift");
    if (form) {
      if (e.target.classList.contains("money-total")) {   // a typed total: the pieces are cleared
        const grid = $("[data-denoms]", form);
        if (grid && $$(".denom-pieces", grid).some((i) => i.value.trim() !== "")) {
          $$(".denom-pieces", grid).forEach((i) => { i.value = ""; });
          $$(".denom-sub", grid).forEach((o) => { o.textContent = "Rp0"; });
          $(".denom-total", grid).textContent = "Rp0";
        }
      }
      refresh(form);
    }
  });
  // Enter in a denomination goes to the next one (the last one to the total), never submits.
  document.addEventListener("keydown", (e) => {
    if (e.key !== "Enter" || !e.target.classList || !e.target.classList.contains("denom-pieces")) return;
    e.preventDefault();
    const inputs = $$(".denom-pieces", e.target.closest("[data-denoms]"));
    const next = inputs[inputs.indexOf(e.target) + 1];
    if (next) next.focus(); else { const t = $(e.target.closest("[data-denoms]").dataset.total); if (t) t.focus(); }
  });

  // A scanner in the count (static/js/scanburst.js): a code in a denomination's box was 899295
  // pieces of Rp100.000 (its box holds 6 digits; Kas dihitung Rp89.929.500.000) and its Enter
  // moved on; in a total it was the total. No code is a count: refused, nothing sent, and the
  // count as it was before the burst's first key (each key had already recounted the total, and
  // one in the total had cleared the pieces). Kas masuk/keluar is the till's dialog (pos.js).
  const COUNTS = ["#open-shift", "#close-shift"].map((f) =>
    `${f} .denom-pieces, ${f} .money-total, ${f} .tender-counted`).join(", ");
  const PAUSE_MS = 250;   // as scanburst.js: a key later than this after the last starts a burst
  let last = { field: null, at: -Infinity }, held = null;
  document.addEventListener("keydown", (e) => {
    const field = e.target;
    if (!field.matches || !field.matches(COUNTS) || e.key.length !== 1) return;
    if (e.ctrlKey || e.altKey || e.metaKey) return;
    const now = window.GeraiBurst.pressedAt(e);
    if (field !== last.field || now - last.at > PAUSE_MS) {
      held = { field, values: $$(COUNTS, field.closest("form")).map((input) => [input, input.value]) };
    }
    last = { field, at: now };
  }, true);
  window.GeraiBurst.watch(COUNTS, (code, field) => {
    const form = field.closest("form"), grid = $("[data-denoms]", form);
    if (held && held.field === field) held.values.forEach(([input, value]) => { input.value = value; });
    held = null;
    last = { field: null, at: -Infinity };
    if (grid) recount(grid); else refresh(form);
    window.GeraiPOS.showMessage(`Kode ${code} dipindai di kolom hitungan uang; tidak dipakai di sini. ` +
      "Kolom tetap seperti semula; hitung dan ketik jumlahnya.");
    if (document.contains(field)) field.focus();
  });

  // Tutup shift refused for a difference without a reason: the cursor goes to Alasan selisih;
  // Buka shift refused for a float unlike the last count without a note: to Catatan selisih.
  document.addEventListener("htmx:afterRequest", (e) => {
    const elt = e.detail.elt;
    if (!elt || e.detail.successful) return;
    if (elt.id === "close-shift") {
      // a tender that moved left uncounted is asked first (the server's order), then the reason
      const uncounted = $$("#tender-check tr[data-must]").map((row) => $(row.dataset.counted))
        .find((input) => input && !input.value.trim());
      const reason = $("#close-reason");
      if (uncounted) uncounted.focus();
      else if (reason && reason.required && !reason.value.trim()) reason.focus();
    } else if (elt.id === "open-shift") {
      const note = $("#catatan"), gap = $("#float-difference");
      if (note && gap && !gap.hidden && !note.value.trim()) note.focus();
    }
  });

  /* --- The till's shift keys ----------------------------------------------------------- */
  const script = document.currentScript;
  const urls = script ? script.dataset : {};
  const dialog = () => $("#approval-dialog");
  const busy = () => {
    const pay = $("#pay-panel");
    return (pay && !pay.hidden) || ($("#adjust-panel") && $("#adjust-panel").children.length)
      || (dialog() && dialog().children.length) || $("#weigh-form");
  };
  function act(what) {
    if (what === "in" || what === "out") {
      htmx.ajax("GET", what === "in" ? urls.cashInUrl : urls.cashOutUrl,
                { target: "#adjust-panel", swap: "innerHTML" }).catch(() => {});
    } else if (what === "drawer") {
      htmx.ajax("GET", urls.noSaleUrl, { target: "#adjust-panel", swap: "innerHTML" }).catch(() => {});
    } else if (what === "x") window.location.assign(urls.xUrl);
    else if (what === "close") window.location.assign(urls.closeUrl);
  }
  const KEYS = { KeyM: "in", KeyK: "out", KeyX: "x", KeyT: "close", KeyL: "drawer" };
  document.addEventListener("keydown", (e) => {
    if (!$("#scan") || !urls.xUrl || !e.altKey || e.ctrlKey || e.metaKey) return;
    const what = KEYS[e.code];
    if (!what || busy()) return;
    e.preventDefault();
    act(what);
  });
  // Buka laci's form: 1, 2, 3 pick a quick reason (nothing is sent: Enter is), a letter typed
  // on the choices goes to the note, Enter on a choice or in the note sends.  Capture, after
  // scanburst.js (a scanner's Enter in the note is refused there) and before till_extra.js,
  // which keeps an open form's keys from the till.  A scanner's keys on the choices (its 2
  // picked "Perbaiki kembalian" and its Enter opened the drawer) are told by their pace as
  // scanburst.js tells them (by when each key was pressed): refused, the choice as it was before
  // them, nothing sent.
  let quick = { times: [], chars: "", choice: null };
  const paced = (times) => {
    const gaps = times.slice(1).map((t, i) => t - times[i]).sort((a, b) => a - b);
    return times.length >= 6 && gaps[Math.floor((gaps.length - 1) / 2)] <= 35;
  };
  document.addEventListener("keydown", (e) => {
    const form = $("#no-sale-form");
    if (!form || !form.contains(e.target) || e.ctrlKey || e.altKey || e.metaKey) return;
    const note = $("#no-sale-note", form), onChoice = e.target.matches("input[type=radio]");
    const now = window.GeraiBurst.pressedAt(e), last = quick.times[quick.times.length - 1];
    if (e.key.length === 1) {
      if (last === undefined || now - last > PAUSE_MS) {
        quick = { times: [], chars: "", choice: $("input:checked", form) };
      }
      quick.times.push(now);
      quick.chars += e.key;
    }
    if (e.key === "Enter" && (onChoice || e.target === note)) {
      e.preventDefault();
      const scanned = paced(quick.times) && now - last <= PAUSE_MS && /^[0-9]+$/.test(quick.chars);
      const before = quick.choice;
      quick = { times: [], chars: "", choice: null };
      if (!scanned) { form.requestSubmit($("#no-sale-submit", form)); return; }
      $$("input[type=radio]", form).forEach((r) => { r.checked = r === before; });
      window.GeraiPOS.showMessage("Tutup dialog dulu, lalu pindai lagi: kode yang dipindai tidak ditambahkan.");
    } else if (onChoice && /^[0-9]$/.test(e.key)) {
      const pick = $(`input[data-choice="${e.key}"]`, form);
      e.preventDefault();
      if (pick) { pick.checked = true; pick.focus(); }
    } else if (onChoice && e.key.length === 1 && e.key !== " " && note) note.focus();
  }, true);

  // Opened (the form gone with its answer): back to the scan field.  Refused: the form stays.
  document.addEventListener("htmx:afterRequest", (e) => {
    const elt = e.detail.elt;
    if (!elt || elt.id !== "no-sale-form" || !e.detail.successful) return;
    const scan = $("#scan");
    if (scan && !$("#approval-dialog .overlay")) scan.focus();
  });

  document.addEventListener("click", (e) => {
    const el = e.target.closest && e.target.closest("[data-shift-action]");
    if (!el || !urls.xUrl) return;
    e.preventDefault();
    act(el.dataset.shiftAction);
  });

  document.addEventListener("DOMContentLoaded", () => {
    $$("[data-denoms]").forEach((box) => recount(box));
    const first = $("#pecahan-k100000");
    if (first && !$("#approval-dialog .overlay")) first.focus();
  });
})();
