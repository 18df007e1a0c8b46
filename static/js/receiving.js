/* Receiving screen: what htmx cannot do alone (keys, the scan field's focus, reloading a refused
 * line with what was typed kept in its field, and every field so kept whenever the lines are
 * drawn again (a scan, another refusal), marking and focusing the line a posting refused,
 * marking the expiry of a line whose batch has another date (its note comes with each line save),
 * resetting the new-supplier form, the chosen supplier's whole name under its select).
 * F4 goes to the received count of the line just scanned or added.
 * Loaded only by the receiving pages; pos.js stays inactive there (it looks for the till's #scan).
 * Search results here are [data-gr-pick], not the till's [data-search-result]: pos.js handles
 * those and expects the till's own search box.  No inline script or handler (CSP). */
(function () {
  "use strict";
  const $ = (sel, root) => (root || document).querySelector(sel);

  function focusScan() {
    const scan = $("#gr-scan");
    if (scan) scan.focus();
  }
  function clearSearch() {
    const search = $("#gr-search");
    if (search) search.value = "";
    const results = $("#gr-search-results");
    if (results) results.innerHTML = "";
  }
  // The field a refusal names (data-bad-field), else the first field of the line it marked
  // (not of a line marked again for a field refused before, data-kept-line).
  function focusBadField() {
    const field = $("#gr-lines [data-bad-field]") || $("#gr-lines .gr-line.bad:not([data-kept-line]) input");
    if (!field) return false;
    field.focus();
    if (field.select) field.select();
    field.scrollIntoView({ block: "center" });
    return true;
  }

  // Blur first: the field being typed in fires "change" and its line is saved (posting waits
  // for it, below), so what is posted is what is seen.
  function post() {
    const button = $("#gr-post button");
    if (!button) return;
    if (document.activeElement) document.activeElement.blur();
    button.click();
  }

  // F4: the received count of the line last scanned or added (highlighted when it came), else
  // of the last line: after a scan the cursor is back in the scan field, and Tab goes to the
  // first line.
  let newLine = null;
  function toNewLine() {
    const lines = document.querySelectorAll("#gr-lines form.gr-line");
    const line = (newLine && $(`#line-${newLine}`)) || lines[lines.length - 1];
    const box = line && line.querySelector('input[name="qty_packs"]');
    if (!box) return;
    box.focus();
    box.select();
    box.scrollIntoView({ block: "center" });
  }

  function onKey(e) {
    if (!$("#gr-scan")) return;
    if (e.key === "F2") { e.preventDefault(); $("#gr-search").focus(); $("#gr-search").select(); }
    else if (e.key === "F4") { e.preventDefault(); toNewLine(); }
    else if (e.key === "F9") { e.preventDefault(); post(); }
    else if (e.key === "Escape") { clearSearch(); focusScan(); }
    else if (e.key.length === 1 && !e.ctrlKey && !e.altKey && !e.metaKey) {
      const a = document.activeElement;
      if (!a || a === document.body || a.tagName === "BUTTON") focusScan();  // a scanner typing "nowhere"
    }
  }

  // A code scanned while the cursor was in a line's cost or count (received, ordered, damaged)
  // is a scan, not a price of Rp8.992.951.000.210: it goes to the scan field's queue and the
  // field keeps what it held (static/js/scanburst.js).  Only those numbers: a batch number is
  // scanned into its own field from the box's barcode (PCT27021 was taken for a product's code
  // and the field stayed empty), and an expiry or a reason typed fast is the clerk's.
  const LINE_NUMBERS = "#gr-lines input.gr-num, #gr-lines input.gr-money";
  if (window.GeraiBurst) window.GeraiBurst.watch(LINE_NUMBERS, function (code) {
    const scan = $("#gr-scan");
    if (!scan) return;
    scan.value = code;
    scan.form.requestSubmit();
    scan.focus();
  });

  // Enter in the name search adds the first hit of the list for what is typed (pos.js).
  function onSearchEnter(e) {
    if (e.key !== "Enter" || e.target.id !== "gr-search") return;
    e.preventDefault();
    window.GeraiSearch.pickFirst(e.target, $("#gr-search-results"));
  }

  // Set when the answer being swapped in marks a refused line: its field gets the focus once.
  let focusRefused = false;
  // Set when a posting is refused because the draft changed on another screen (409): the
  // message goes in its place under the top bar and the lines stored now follow it; sent from
  // the draft's foot, it stuck at the top of the window over the lines under it.
  let showConflict = false;

  // The refused field keeps what was typed in it (the lines come back as stored: a date typed,
  // refused, was gone), marked data-kept until it is typed in again; posting waits for it.
  // Its line stays marked "perbaiki baris ini" (the server marks only the line just refused).
  function putBack(line, field, typed) {
    const form = $(`#line-${line}`);
    const input = form && form.querySelector(`input[name="${field}"]`);
    if (!input || input.value === typed) return;
    input.value = typed;
    input.dataset.kept = "";
    if (input.matches("[data-date]") && window.GeraiDates) window.GeraiDates.show(input, false);
    input.setAttribute("aria-invalid", "true");
    if (form.classList.contains("bad")) return;
    form.classList.add("bad");
    form.dataset.keptLine = "";
    const note = document.createElement("span");
    note.className = "gr-bad-note";
    note.setAttribute("role", "alert");
    note.textContent = "perbaiki baris ini";
    const sum = form.querySelector(".gr-name .gr-sum");
    if (sum) sum.before(note, " ");
  }

  // Every field kept so (its line, name and what was typed), taken before #gr-lines is swapped
  // whole (a refused line reloaded, a scan, a pick, a pack added, a line removed) and put back
  // after it: the lines come back as stored, and a refused entry on another line was gone,
  // unmarked, and posted as stored.
  let keptBeforeSwap = null;
  function keptFields() {
    return Array.from(document.querySelectorAll("#gr-lines form.gr-line input[data-kept]"), (input) => ({
      line: input.closest("form.gr-line").dataset.line, name: input.name, typed: input.value,
    }));
  }

  // Line saves sent and not yet answered, and refused lines being reloaded (their field not
  // yet marked data-kept): posting waits until there are none.
  const saving = new Set();
  let postWanted = false;       // F9 or Posting pressed while a line was being saved
  let afterWait = false;        // that posting being asked again now

  function saved(what) {
    saving.delete(what);
    if (saving.size || !postWanted) return;
    postWanted = false;
    const waiting = $("#gr-waiting");
    if (waiting) waiting.remove();
    afterWait = true;           // asks again: a field refused meanwhile is kept, and stops it
    try { post(); } finally { afterWait = false; }
  }

  function reloadLines(line, field, typed) {
    const lines = $("#gr-lines");
    if (!lines) return;
    focusRefused = true;
    const url = new URL(lines.dataset.url, window.location.href);
    if (line) url.searchParams.set("baris", line);
    if (field) url.searchParams.set("isian", field);
    const reload = {};
    saving.add(reload);
    htmx.ajax("GET", url.pathname + url.search, { target: "#gr-lines", swap: "outerHTML" })
      .then(() => { if (field && typed !== undefined) putBack(line, field, typed); })
      .finally(() => saved(reload));
  }

  // A line still being saved: posting now would book what was stored before. Posting waits
  // for the answer and then goes on (or stops at a refused field), never with older values.
  function lineSaving() {
    if (!saving.size) return false;
    postWanted = true;
    const box = $("#messages");
    if (box && !$("#gr-waiting")) {
      const note = document.createElement("div");
      note.id = "gr-waiting";
      note.className = "msg msg-info";
      note.setAttribute("role", "status");
      note.textContent = "Tunggu, baris masih disimpan… Posting menyusul setelah tersimpan.";
      box.append(note);
    }
    return true;
  }

  // What is posted is what is seen: a refused value still in its field is not stored.  After
  // a wait (posting asked while the line was on its way) the refusal's reason stays in sight.
  function keptField() {
    const kept = $("#gr-lines input[data-kept]");
    if (!kept) return false;
    kept.focus();
    kept.select();
    kept.scrollIntoView({ block: "center" });
    const text = "Isian bertanda merah ditolak dan belum tersimpan: perbaiki dulu, lalu posting lagi.";
    const box = $("#messages");
    if (afterWait && box && box.querySelector(".msg-error")) {
      const note = document.createElement("div");
      note.className = "msg msg-error";
      note.setAttribute("role", "alert");
      note.textContent = "Belum diposting. " + text;
      box.append(note);
    } else if (window.GeraiPOS) window.GeraiPOS.showMessage(text);
    return true;
  }

  // A batch with another date (on file, or on another line of the draft) is named in its line's
  // sum, which a line save sends again for every batch line (.gr-batch-note): the line's expiry
  // is marked with it, and no longer once it is gone. A field refused (kept) or named by a
  // refused posting keeps its own mark.
  function markBatchNotes() {
    document.querySelectorAll("#gr-lines form.gr-line").forEach((line) => {
      const box = line.querySelector('input[name="expiry"]');
      if (!box || box.hasAttribute("data-kept") || box.hasAttribute("data-bad-field")) return;
      if (line.querySelector(".gr-batch-note")) {
        box.setAttribute("aria-invalid", "true");
        box.setAttribute("data-batch-note", "");
      } else if (box.hasAttribute("data-batch-note")) {
        ["aria-invalid", "data-batch-note"].forEach((name) => box.removeAttribute(name));
      }
    });
  }

  // The chosen supplier's whole name (and kind) under the select, which cuts long names.
  function showSupplier() {
    const select = $("#supplier_id"), out = $("#supplier-chosen");
    if (!select || !out) return;
    const option = select.selectedOptions[0];
    const group = option && option.parentElement.tagName === "OPTGROUP" ? option.parentElement.label : "";
    out.textContent = option && option.value ? option.textContent + (group ? " (" + group + ")" : "") : "";
  }

  showSupplier();   // a form the browser refilled (back button) keeps its choice
  document.addEventListener("change", (e) => { if (e.target.id === "supplier_id") showSupplier(); });
  document.addEventListener("keydown", onKey);
  document.addEventListener("keydown", onSearchEnter, true);
  document.addEventListener("htmx:confirm", (e) => {
    if (e.detail.elt && e.detail.elt.id === "gr-post" && (lineSaving() || keptField())) e.preventDefault();
  });
  document.addEventListener("htmx:beforeSend", (e) => {
    if (e.detail.elt && e.detail.elt.matches && e.detail.elt.matches("form.gr-line")) saving.add(e.detail.xhr);
  });
  document.addEventListener("input", (e) => {
    if (e.target.closest && e.target.closest("#gr-lines")) e.target.removeAttribute("data-kept");
  });
  document.addEventListener("htmx:beforeSwap", (e) => {
    if (e.detail.elt && e.detail.elt.id === "gr-post" && e.detail.xhr.status === 422) focusRefused = true;
    if (e.detail.elt && e.detail.elt.id === "gr-post" && e.detail.xhr.status === 409) showConflict = true;
    if (e.detail.shouldSwap && e.detail.target && e.detail.target.id === "gr-lines") keptBeforeSwap = keptFields();
  });
  // After the settle: it sets the new lines' classes, and the line's mark would be lost.
  document.addEventListener("htmx:afterSettle", (e) => {
    if (!keptBeforeSwap || !e.target || e.target.id !== "gr-lines") return;
    const kept = keptBeforeSwap;
    keptBeforeSwap = null;
    kept.forEach((k) => putBack(k.line, k.name, k.typed));
  });
  // A cost or count converted for a new pack is not put over one the clerk started typing while
  // the pack change was on its way: the typed number is sent when the field is left, and wins.
  document.addEventListener("htmx:oobBeforeSwap", (e) => {
    const field = e.detail.target;
    if (field && field.matches && field.matches("input.gr-money, input.gr-num") && field === document.activeElement
        && field.value !== field.defaultValue) e.detail.shouldSwap = false;
  });
  document.addEventListener("htmx:afterRequest", (e) => {
    const elt = e.detail.elt;
    if (!elt || !elt.matches) return;
    if (elt.matches("form.gr-line") && !e.detail.successful) {
      // The server refused the change and kept the line as it was: show what is stored,
      // with the line and the field that were refused marked, that field as it was typed.
      const cause = e.detail.requestConfig && e.detail.requestConfig.triggeringEvent;
      const input = cause && cause.target && cause.target.matches && cause.target.matches("input[name]")
        ? cause.target : null;
      const field = cause && cause.target && cause.target.name;
      reloadLines(elt.dataset.line, field || "", input ? input.value : undefined);
    } else if (elt.matches("form.gr-line.bad")) {
      // Saved: the line is no longer the one that was refused.
      elt.classList.remove("bad");
      elt.removeAttribute("data-kept-line");
      elt.querySelectorAll("[data-bad-field], [data-kept]").forEach((f) => {
        ["data-bad-field", "data-kept", "aria-invalid"].forEach((name) => f.removeAttribute(name));
      });
      const note = elt.querySelector(".gr-bad-note");
      if (note) note.remove();
    } else if (elt.matches("[data-gr-pick]") && e.detail.successful) {
      clearSearch();
      focusScan();
    } else if (elt.matches("form[data-reset-on-success]") && e.detail.successful) {
      elt.reset();
    }
    if (elt.matches("form.gr-line") && e.detail.successful) markBatchNotes();
    if (elt.matches("form.gr-line")) saved(e.detail.xhr);   // a refusal's reload is counted by now
  });
  document.addEventListener("htmx:onLoadError", (e) => {   // an answer that failed to swap: no afterRequest
    if (e.detail.elt && e.detail.elt.matches && e.detail.elt.matches("form.gr-line")) saved(e.detail.xhr);
  });
  document.addEventListener("htmx:afterSettle", () => {
    const added = $("#gr-lines form.gr-line.hl");
    if (added) newLine = added.dataset.line;
    if (showConflict) {
      showConflict = false;
      window.scrollTo(0, 0);
    }
    if (focusRefused) {
      focusRefused = false;
      if (focusBadField()) return;
    }
    const a = document.activeElement;
    if (!a || a === document.body || !document.contains(a)) focusScan();
  });
})();
