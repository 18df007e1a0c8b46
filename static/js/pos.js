/* Gerai POS front end: scan queues, keyboard keys, the payment panel, Indonesian validation.
 * Everything else is htmx; this file only does what htmx cannot.  It holds all the page
 * script there is: the Content-Security-Policy allows no inline script and no eval. */
(function () {
  "use strict";
  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));

  // crypto.randomUUID needs a secure context; tills on the LAN use plain http.
  function uuid4() {
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  // Same rules as pos.money.parse_rupiah (ASCII digits only); the server checks again.
  const parseRupiah = (text) => window.GeraiMoney.amount(text);
  function formatRupiah(n) {
    return (n < 0 ? "-" : "") + "Rp" + Math.abs(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }

  let audio;
  function beep() {
    try {
      audio = audio || new AudioContext();
      const osc = audio.createOscillator();
      osc.frequency.value = 880;
      osc.connect(audio.destination);
      osc.start();
      osc.stop(audio.currentTime + 0.15);
    } catch (e) { /* no sound device: the message is enough */ }
  }
  // One message in the strip, in place of what it held: a refusal (with a beep) or a note.
  function putMessage(text, note) {
    const box = $("#messages");
    if (!box) return;
    const div = document.createElement("div");
    div.className = note ? "msg msg-info" : "msg msg-error";
    div.setAttribute("role", note ? "status" : "alert");
    div.textContent = text;
    box.replaceChildren(div);
  }
  function showMessage(text) { putMessage(text, false); beep(); }
  function showNote(text) { putMessage(text, true); }
  // A message stays until the cashier's next action, then makes room for the answer to it.
  function clearMessages() { const box = $("#messages"); if (box) box.replaceChildren(); }
  // A field that comes with a value to be typed over (a label count's "1", a cart line's
  // quantity, the tare) has it selected when the focus arrives, by itself, by Tab, by a click or
  // a tap: the "3" typed next is 3, not 13 (or 31: a tapped quantity box took the caret where the
  // finger landed, and a line of 1 became 31).  The press that brought the focus would put a
  // caret where it ends (its mouseup, and on a touch screen the tap's own caret after it), so the
  // value is selected again once that press is over, unless the cashier typed or chose meanwhile.
  const SELECT_ON_FOCUS = "input[data-select-on-focus]";
  // the last press of a mouse, pen or finger (a finger's focus comes after it has lifted)
  let pressed = { on: null, at: 0 };
  document.addEventListener("pointerdown", (e) => { pressed = { on: e.target, at: performance.now() }; }, true);
  function selectAgain(field) {
    const all = field.value;
    const keep = () => {
      if (document.activeElement === field && field.value === all) field.select();
    };
    setTimeout(keep);
    setTimeout(keep, 120);   // a tap's caret may come after its click, on a slow tablet later
  }
  document.addEventListener("focusin", (e) => {
    const field = e.target;
    if (!field.matches || !field.matches(SELECT_ON_FOCUS)) return;
    field.select();
    if (pressed.on !== field || performance.now() - pressed.at > 1000) return;
    field.addEventListener("mouseup", (up) => up.preventDefault(), { once: true });
    field.addEventListener("click", () => selectAgain(field), { once: true });
  });
  // On every screen a click on a message puts it away (a link in it still works).
  document.addEventListener("click", (e) => {
    const msg = e.target.closest && e.target.closest("#messages .msg");
    if (msg && !e.target.closest("a, button")) msg.remove();
  });
  // Off the till, messages stick to the top of a long page and cover the rows under it: a
  // confirmation ("Tersimpan", a converted cost) goes by itself after a few seconds; errors and
  // warnings stay until clicked or answered.  The till keeps its own message line.
  const HIDE_AFTER_MS = 6000;
  function hideConfirmations() {
    $$("#messages .msg-ok[data-auto-hide], #messages .msg-info[data-auto-hide]").forEach((msg) => {
      if (msg.dataset.hiding) return;
      msg.dataset.hiding = "1";
      setTimeout(() => msg.remove(), HIDE_AFTER_MS);
    });
  }
  document.addEventListener("DOMContentLoaded", () => {
    const box = $("#messages");
    if (!box || document.body.classList.contains("till")) return;
    new MutationObserver(hideConfirmations).observe(box, { childList: true });
    hideConfirmations();
  });

  /* --- Scan fields: every code arrives, in order, whatever the scanner's speed ------------
   * A USB scanner types a code and Enter faster than the server answers.  The field is
   * emptied the moment Enter is pressed and the code joins this form's queue; requests
   * go one at a time, so no two codes ever merge and the cart answers in scan order. */
  const queues = new WeakMap();
  // ``then`` (optional) runs once that code's answer is in; ``extra`` (optional) are more values
  // sent with it (the buyer the dialog checked for this scan: buyer.js).
  function enqueueScan(form, code, then, extra) {
    if (!code.trim()) return;
    const q = queues.get(form) || { codes: [], busy: false };
    queues.set(form, q);
    q.codes.push({ code, then, extra });
    pump(form, q);
  }
  function pump(form, q) {
    if (q.busy || !q.codes.length) return;
    q.busy = true;
    const item = q.codes.shift();
    const values = { code: item.code };
    const verb = form.hasAttribute("hx-get") ? "GET" : "POST";
    const url = form.getAttribute("hx-post") || form.getAttribute("hx-get");
    // data-include names other fields that go with every scan (the tare on the till)
    $$(form.dataset.include || "#-none-", document).forEach((el) => { values[el.name] = el.value; });
    Object.assign(values, item.extra || {});
    clearMessages();
    htmx.ajax(verb, url, {
      source: form, values: values,
      target: form.getAttribute("hx-target") || form,
      swap: form.getAttribute("hx-swap") || "outerHTML",
    }).catch(() => {}).finally(() => {
      q.busy = false;
      if (item.then) item.then();
      pump(form, q);
    });
  }
  document.addEventListener("submit", (e) => {
    const form = e.target.closest && e.target.closest("form[data-scan-form]");
    if (!form) return;
    e.preventDefault();
    e.stopPropagation();   // htmx's own submit handler never sees it: the queue sends
    const input = $("input[name=code]", form);
    const code = input.value;
    input.value = "";
    enqueueScan(form, code);
  }, true);

  // Forms marked data-reset-on-send empty themselves once htmx has read their values.
  document.addEventListener("htmx:configRequest", (e) => {
    const elt = e.detail.elt;
    if (elt && elt.matches && elt.matches("form[data-reset-on-send]")) elt.reset();
  });

  /* --- A scanner typing into another field (the cash box, a quantity) -------------------
   * Keys that come faster than a person types, ended by Enter, are a scan (GeraiBurst,
   * static/js/scanburst.js): they are taken out of the field they landed in and scanned, and
   * that field's Enter never fires.  The scan fields send their own; so does a form or field
   * marked data-own-scans (the F7 member field: a member card is scanned there; a bank
   * reference, which a quick typist or a pasted reference fills as fast).
   * With a dialog open (a discount or new price, a manager's approval, Kas masuk/keluar, Tahan,
   * the typed weight) a scan is refused, never added behind it, and the cursor stays in the
   * dialog's field (it went to the hidden scan field, and a PIN typed next with it): the field
   * keeps what it held, and the dialog's Enter never fires with the code.  A dialog's own text
   * (a reason, the note of a parked sale) keeps a quick typist's words: only a code of 8-14
   * digits is a scan there. */
  const DIALOGS = "#adjust-panel > *, #approval-dialog > *, #buyer-dialog > *, #weigh-form";
  const dialogOpen = () => Boolean($(DIALOGS));
  const within = (field, sel) => Boolean(field.closest && field.closest(sel));
  const inDialog = (field) => within(field, "#adjust-panel, #approval-dialog, #weigh-prompt");
  const ownScans = (field) => within(field, "form[data-scan-form], [data-own-scans]");
  window.GeraiBurst.watch((field) => Boolean($("#scan-form")) && !within(field, "#void-form")
    && (!ownScans(field) || inDialog(field)), (code, field) => {
    if (dialogOpen()) { refuseBehindDialog(field); return; }
    // A scan while the payment panel is open changes the total: the panel closes, and once the
    // scan is answered (and refused nothing) the cashier reads why, not a panel gone unexplained.
    const paying = payOpen(), member = memberShown();
    if (paying) closePay();
    enqueueScan($("#scan-form"), code, paying ? () => payClosedNote(member) : null);
    focusScan();
  }, (code, field) => !ownScans(field) || /^[0-9]{8,14}$/.test(code));

  function refuseBehindDialog(field) {
    showMessage("Tutup dialog dulu, lalu pindai lagi: kode yang dipindai tidak ditambahkan.");
    if (document.contains(field)) field.focus();
  }
  // The member on the sale as the cart shows it ("AGT-0002 Siti Rahayu"), or "".
  function memberShown() {
    const bar = $("#cart-member");
    const number = bar && $("b", bar);
    if (!number) return "";
    const name = number.nextSibling ? number.nextSibling.textContent.trim() : "";
    return `${number.textContent.trim()} ${name}`.trim();
  }
  // Said once the scan that closed the payment panel is answered: what it did (an item added,
  // a member card attached the member and changed the prices, a second card asks first).
  function payClosedNote(memberBefore) {
    const box = $("#messages");
    if (!box || box.querySelector(".msg-error, .msg-warn")) return;
    const member = memberShown();
    let text = "Barang ditambahkan; pembayaran ditutup karena total berubah. Tekan F9 untuk membayar.";
    if ($("#member-confirm")) {
      text = "Kartu anggota lain dipindai: pilih Ganti anggota atau Batal. Pembayaran ditutup; " +
             "tekan F9 untuk membayar.";
    } else if (member && member !== memberBefore) {
      text = `Anggota ${member} dipasang; harga anggota berlaku dan total berubah, jadi pembayaran ` +
             "ditutup. Tidak ada barang ditambahkan. Tekan F9 untuk membayar.";
    }
    showNote(text);
  }

  /* --- The till ------------------------------------------------------------------------ */
  // The bottom edge of the till's messages, for pos.css to start an open form under them.
  const messageBox = $("body.till #messages");
  if (messageBox && window.ResizeObserver) {
    new ResizeObserver(() => document.documentElement.style.setProperty(
      "--messages-bottom", `${Math.ceil(messageBox.getBoundingClientRect().bottom)}px`)).observe(messageBox);
  }
  const payPanel = () => $("#pay-panel");
  const payOpen = () => payPanel() && !payPanel().hidden;
  // Never out of an open dialog's field (a cart answered behind it took the focus from a PIN).
  function focusScan() {
    const scan = $("#scan"), a = document.activeElement;
    if (a && within(a, "#adjust-panel, #approval-dialog, #buyer-dialog, #weigh-form")) return;
    if (scan && !payOpen()) scan.focus();
  }
  // F3 and F4 act on the line whose box has the focus (reached with Tab), else the highlighted
  // line (the one just scanned or changed, or walked to with the arrows), else the last.
  function currentLine() {
    const a = document.activeElement;
    const focused = a && a.closest && a.closest("#cart tr.line");
    if (focused) return focused;
    const cart = $("#cart");
    const hl = cart && cart.dataset.highlight ? $(`#line-${cart.dataset.highlight}`) : null;
    if (hl) return hl;
    const rows = $$("#cart tr.line");
    return rows.length ? rows[rows.length - 1] : null;
  }
  // Up and Down in the scan field move the highlight to the line above or below, so F3, F4,
  // F5 and Shift+F3 reach an earlier line without the mouse.
  function walkLines(e) {
    if (e.target.id !== "scan" || e.target.value) return false;
    const rows = $$("#cart tr.line"), cart = $("#cart");
    if (!rows.length || !cart) return false;
    e.preventDefault();
    const at = rows.indexOf(currentLine());
    const line = rows[Math.max(0, Math.min(rows.length - 1, at + (e.key === "ArrowDown" ? 1 : -1)))];
    highlightLine(line);
    line.scrollIntoView({ block: "nearest" });
    return true;
  }
  function highlightLine(line) {
    const cart = $("#cart");
    if (!cart || !line) return;
    $$("#cart tr.line").forEach((row) => row.classList.toggle("hl", row === line));
    cart.dataset.highlight = line.dataset.line;
  }
  // A line tapped or clicked (its name, its price), or its quantity box focused (a tap, Tab), is
  // the highlighted line, as the arrows make it: F5, Shift+F3, Diskon and Ubah harga act on it
  // (on a touch tablet they acted on the last line whichever was tapped).
  document.addEventListener("focusin", (e) => {
    const row = e.target.closest && e.target.closest("#cart tr.line");
    if (row) highlightLine(row);
  });
  document.addEventListener("click", (e) => {
    const row = e.target.closest && e.target.closest("#cart tr.line");
    if (row) highlightLine(row);
  });
  // A quantity being typed when Esc comes is dropped (the box shows the line's quantity again,
  // so leaving it sends nothing); Enter or leaving it otherwise sends it (onQtyChange).
  function dropTypedQty() {
    const a = document.activeElement;
    if (a && a.classList.contains("qty") && a.form && a.form.classList.contains("qty-form")) {
      a.value = a.defaultValue;
    }
  }
  // A quantity typed and not yet sent, or a scan or a line's change on its way, is in the cart
  // (its total) before the payment panel reads it.
  function cartBusy() {
    const q = $("#scan-form") && queues.get($("#scan-form"));
    if (q && (q.busy || q.codes.length)) return true;
    return Boolean($("#cart .htmx-request, #scan-form.htmx-request"));
  }
  function whenCartSettled(then, waited) {
    const a = document.activeElement;
    if (a && a.classList.contains("qty") && a.value !== a.defaultValue) a.blur();   // sends it
    waited = waited || 0;
    if (waited < 5000 && cartBusy()) { setTimeout(() => whenCartSettled(then, waited + 20), 20); return; }
    then();
  }
  function showCurrentLine() {
    const line = currentLine();
    if (line) line.scrollIntoView({ block: "nearest" });
  }
  // A window made smaller (resized, a tablet turned) keeps that line in view, not only the next scan.
  let resizing = 0;
  window.addEventListener("resize", () => {
    cancelAnimationFrame(resizing);
    resizing = requestAnimationFrame(() => { if ($("#cart")) showCurrentLine(); });
  });

  // The payment panel is static/js/pay.js (window.GeraiPay): F9 opens it, Esc closes it, and
  // while it is open it gets the keys.
  function openPay() { if (window.GeraiPay) window.GeraiPay.open(); }
  function closePay() {
    if (window.GeraiPay) window.GeraiPay.close(); else if (payPanel()) payPanel().hidden = true;
    focusScan();
  }

  const TILL_KEYS = { F2: "search", F3: "qty", F4: "remove", F7: "member", F8: "history",
                      F9: "pay", F10: "clear" };
  function onKey(e) {
    if (!$("#scan")) return;
    if (payOpen()) {
      if (e.key === "Escape") { e.preventDefault(); closePay(); }
      else if (window.GeraiPay) window.GeraiPay.onKey(e);
      return;
    }
    if (weighOpen() && e.key === "Escape") { e.preventDefault(); closeWeigh(); return; }
    if ((e.key === "ArrowDown" || e.key === "ArrowUp") && (walkResults(e) || walkLines(e))) return;
    if (tareKey(e)) return;
    const action = TILL_KEYS[e.key];
    if (action) e.preventDefault();
    if (action === "search") { $("#search").focus(); $("#search").select(); }
    else if (action === "member" && e.shiftKey) { const off = $("#member-detach"); if (off) off.click(); }
    else if (action === "member") { $("#member").focus(); $("#member").select(); }
    else if (action === "qty") {
      const line = currentLine();
      const q = line && $(".qty", line);
      if (q) { line.scrollIntoView({ block: "nearest" }); q.focus(); q.select(); }
    } else if (action === "remove") { const line = currentLine(); if (line) $(".remove", line).click(); }
    else if (action === "history") { const a = $("#history-link"); if (a) a.click(); }
    else if (action === "pay") whenCartSettled(openPay);
    else if (action === "clear") $("#clear-cart").click();
    else if (e.key === "Escape") {
      dropTypedQty();
      for (const id of ["search", "member"]) { const box = $(`#${id}`); if (box) box.value = ""; }
      $$("#search-results, #member-results").forEach((list) => list.replaceChildren());
      clearMessages(); focusScan();
    } else if (e.key.length === 1 && !e.ctrlKey && !e.altKey && !e.metaKey) {
      const a = document.activeElement;
      if (!a || a === document.body || a.tagName === "BUTTON") focusScan();  // stray typing goes to the scan field
    }
  }

  // Alt+G: the Tara (gram) field, its value selected to type over; Enter there: back to the scan
  // field (the tare goes with every scan until it is changed).
  function tareKey(e) {
    const tare = $("#tare");
    if (!tare) return false;
    if (e.altKey && !e.ctrlKey && !e.metaKey && e.code === "KeyG") {
      e.preventDefault(); tare.focus(); tare.select(); return true;
    }
    if (e.key === "Enter" && e.target === tare) { e.preventDefault(); focusScan(); return true; }
    return false;
  }

  // In the search box and its list, the arrows walk the hits (up from the first: the box).
  function walkResults(e) {
    const hits = $$("#search-results .result");
    const at = hits.indexOf(document.activeElement);
    if (!hits.length || (at < 0 && e.target.id !== "search")) return false;
    e.preventDefault();
    const next = e.key === "ArrowDown" ? Math.min(at + 1, hits.length - 1) : at - 1;
    if (next < 0) $("#search").focus(); else hits[next].focus();
    return true;
  }

  /* Enter in a live search picks the first hit of the list for what is typed, never of an
   * older list (the first hit for other words: "miny" listed Minyak Goreng 2 L before the list
   * for "minyakita" came).  A list still on its way (Enter within the 120 ms the box waits, or a
   * slow answer) is asked for at once and its first hit picked when it comes; typing on
   * forgets the wait.  The lists name their words (``data-query``); the till, the receiving,
   * count and limit screens use it (GeraiSearch.pickFirst). */
  const awaiting = new Map();   // id of a results box -> the words whose first hit is wanted
  function listedFor(results) {
    const list = results.querySelector("[data-query]");
    return list ? list.dataset.query : null;
  }
  function pickFirst(input, results) {
    if (!results) return;
    const typed = input.value.trim();
    if (listedFor(results) === typed) {
      const first = results.querySelector(".result");
      if (first) first.click();
      return;
    }
    awaiting.set(results.id, typed);
    htmx.trigger(input, "search");
  }
  document.addEventListener("input", (e) => {
    const target = e.target.getAttribute && e.target.getAttribute("hx-target");
    if (target && target[0] === "#") awaiting.delete(target.slice(1));
  });
  document.addEventListener("htmx:afterSettle", (e) => {   // settled: its buttons work
    const results = e.detail.target || e.target;
    if (!results || !awaiting.has(results.id) || listedFor(results) !== awaiting.get(results.id)) return;
    awaiting.delete(results.id);
    const first = results.querySelector(".result");
    if (first) first.click();
  });
  window.GeraiSearch = { pickFirst };
  // A list answered for words no longer in the box is not drawn: on a loaded machine the
  // answer came after Enter had picked the first hit and emptied the box, and the list came
  // back under the picked line. (A box sends one search at a time: hx-sync this:replace.)
  const LIVE_SEARCH = 'input[type="search"][hx-get]';
  document.addEventListener("htmx:configRequest", (e) => {
    const box = e.detail.elt;
    if (box && box.matches && box.matches(LIVE_SEARCH)) box.dataset.askedFor = box.value.trim();
  });
  document.addEventListener("htmx:beforeSwap", (e) => {   // (detail.elt: the list it goes into)
    const box = e.detail.requestConfig && e.detail.requestConfig.elt;
    if (!box || !box.matches || !box.matches(LIVE_SEARCH) || box.dataset.askedFor === undefined) return;
    if (box.dataset.askedFor !== box.value.trim()) e.detail.shouldSwap = false;
    if (e.detail.target && e.detail.target.dataset.picking) e.detail.shouldSwap = false;
  });
  // A hit picked holds its list until the pick is answered: a list for the last letters typed
  // drawn over it took the picked button out of the page, its answer then reached no listener
  // (htmx:afterRequest goes up from the button), and the list stayed under the picked line.
  function listHolding(elt) {
    for (const box of document.querySelectorAll(LIVE_SEARCH)) {
      const target = box.getAttribute("hx-target");
      const list = target && target[0] === "#" ? document.getElementById(target.slice(1)) : null;
      if (list && list !== elt && list.contains(elt)) return list;
    }
    return null;
  }
  document.addEventListener("htmx:beforeSend", (e) => {
    const list = e.detail.elt && listHolding(e.detail.elt);
    if (!list || !e.detail.xhr) return;
    list.dataset.picking = "1";
    e.detail.xhr.addEventListener("loadend", () => { delete list.dataset.picking; });   // after its swap
  });

  // In the search box, Enter on a barcode-looking value scans it; otherwise picks the first hit.
  function onSearchEnter(e) {
    if (e.key !== "Enter" || e.target.id !== "search") return;
    e.preventDefault();
    const value = e.target.value.trim();
    if (/^[0-9]{8,14}$/.test(value)) {
      e.target.value = "";
      $("#search-results").replaceChildren();
      enqueueScan($("#scan-form"), value);
      focusScan();
      return;
    }
    pickFirst(e.target, $("#search-results"));
  }

  // A cart line's quantity box: Enter or leaving it sends; a refused value gives the old one
  // back.  Only the till's own line forms: a quantity on another form (the return form) waits
  // for that form's button.
  function onQtyChange(e) {
    const form = e.target.form;
    if (e.target.classList.contains("qty") && form && form.classList.contains("qty-form")) {
      htmx.trigger(form, "submit");
    }
  }

  // The typed-weight prompt (no scale): focused when it arrives, Esc or Batal closes it.
  function closeWeigh() {
    const box = $("#weigh-prompt");
    if (box) box.replaceChildren();
    pendingYes = null;
    focusScan();
  }
  function weighOpen() { return !!$("#weigh-form"); }
  /* Its question's Ya, clicked while the prompt's own answer is on its way (Enter asked again
   * on a slow server), was dropped: htmx holds a form's second request until the first is
   * answered, and that answer replaces the form, so the held one went with it.  The Ya is kept
   * here instead and clicked on the question that replaced it, if it asks the same (the same
   * product or line, the same weight); an answer that closed the prompt (another weight typed
   * and added) or asked about another weight leaves it unsent.  One slot: clicked twice, the
   * weight is still added once (a Ya sent already closes the prompt with its answer). */
  const YES_BUTTON = "#weigh-form button[name=yakin]";
  let pendingYes = null;    // { url, yes } of a Ya clicked while the prompt was busy
  let pressedYes = null;    // the Ya button a press began on
  const weighBusy = (form) => form.classList.contains("htmx-request");
  document.addEventListener("submit", (e) => {
    const form = e.target;
    if (!form || form.id !== "weigh-form" || !weighBusy(form)) return;
    const yes = e.submitter && e.submitter.name === "yakin" ? e.submitter : null;
    if (!yes) return;     // Enter (ask again): htmx's own queue, dropped with the form it asked
    e.preventDefault();
    e.stopPropagation();  // htmx never queues it: a form that stays (a refusal) would send it too
    pendingYes = { url: form.getAttribute("hx-post"), yes: yes.value };
  }, true);
  function sendPendingYes() {
    const form = $("#weigh-form");
    if (!pendingYes || (form && weighBusy(form))) return;
    const { url, yes } = pendingYes;
    pendingYes = null;
    const button = form && form.getAttribute("hx-post") === url
      ? $$("button[name=yakin]", form).find((b) => b.value === yes) : null;
    if (button) button.click();
  }
  // (After the request's lock is let go: htmx ends it only after its afterRequest listeners.)
  document.addEventListener("htmx:afterRequest", () => { if (pendingYes) setTimeout(sendPendingYes); });
  // Pressed on the question as its answer arrived and let go on the new one: the browser clicks
  // nothing (the press began on a button no longer there); that release is the click.
  document.addEventListener("pointerdown", (e) => {
    pressedYes = e.target.closest ? e.target.closest(YES_BUTTON) : null;
  }, true);
  document.addEventListener("pointerup", (e) => {
    const before = pressedYes, button = e.target.closest ? e.target.closest(YES_BUTTON) : null;
    pressedYes = null;
    if (!before || !button || button === before || document.contains(before)) return;
    if (button.value === before.value && button.form.getAttribute("hx-post") === before.form.getAttribute("hx-post")) {
      button.click();
    }
  }, true);

  // A button marked data-print prints the page (a label sheet, member cards, a statement).
  document.addEventListener("click", (e) => {
    if (e.target.closest && e.target.closest("[data-print]")) window.print();
  });

  // Pages other than the till: keys named by data-key click their element; arrows walk lists.
  // Esc keeps what is typed in a text field (a search's is cleared by the first Esc); a box, a
  // radio or a button holds a value nobody typed, so Esc there goes back as its key says.
  const TYPED = ["text", "search", "tel", "number", "email", "url", "password"];
  const typedIn = (el) => Boolean(el && el.value) && (el.tagName === "TEXTAREA"
    || (el.tagName === "INPUT" && TYPED.includes(el.type)));
  function onPageKey(e) {
    if ($("#scan")) return;
    const target = $(`[data-key="${CSS.escape(e.key)}"]`);   // a typed " or \ is a key too
    if (e.key === "Escape" && target && typedIn(e.target)) {
      if (!e.target.closest(".searchbar")) return;
      e.preventDefault();
      e.target.value = "";
      e.target.dispatchEvent(new Event("input", { bubbles: true }));
      return;
    }
    if (target) { e.preventDefault(); target.click(); return; }
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    const links = $$(".history-link");
    if (!links.length) return;
    e.preventDefault();
    const at = links.indexOf(document.activeElement);
    const next = e.key === "ArrowDown" ? Math.min(at + 1, links.length - 1) : Math.max(at - 1, -1);
    if (next < 0) { const q = $("#history-q"); if (q) q.focus(); } else links[next].focus();
  }

  // Alt+Q: Keluar (sign out) on every page; at the till not while the payment panel is open.
  // A cart left on the till waits for the cashier's next sign-in there (Lanjutkan / Kosongkan).
  document.addEventListener("keydown", (e) => {
    if (!e.altKey || e.ctrlKey || e.metaKey || e.code !== "KeyQ") return;
    const button = $("#logout-button");
    if (!button || ($("#scan") && payOpen())) return;
    e.preventDefault();
    button.click();
  });
  document.addEventListener("keydown", onPageKey);
  document.addEventListener("keydown", onKey);
  document.addEventListener("keydown", onSearchEnter, true);
  document.addEventListener("click", (e) => {
    const el = e.target.closest("[data-action],[data-quick]");
    if (!el) return;
    if (el.dataset.action === "pay") whenCartSettled(openPay);
    else if (el.dataset.action === "close-pay") closePay();
    else if (el.dataset.action === "close-weigh") closeWeigh();
  });
  document.addEventListener("change", onQtyChange);

  document.addEventListener("htmx:beforeRequest", (e) => {
    // The next action replaces the last message (the scan queue clears it itself).  A live
    // search's list is not an action: its request, which may fire after a code typed and sent
    // with Enter (120 ms after the last key), never clears the answer to that code.
    const elt = e.detail.elt;
    if (!elt || elt.closest("#messages")) return;
    if ($("#scan")) { if (!elt.matches("input[hx-get]")) clearMessages(); return; }
    // Off the till, a form sent (not a search, not a page polling a job) replaces it too: a
    // refusal stayed above the form that then succeeded, or above the manager's dialog.
    const verb = ((e.detail.requestConfig && e.detail.requestConfig.verb) || "").toLowerCase();
    if (verb && verb !== "get" && (elt.matches("form, button") || elt.closest("form"))) clearMessages();
  });
  // A cart drawn whole without a highlight of its own (a member attached or let go, a sale
  // discount) keeps the line that had it, so F3, F4 and F5 still act on it, not the last one.
  let keptHighlight = "";
  document.addEventListener("htmx:beforeSwap", (e) => {
    if (e.target && e.target.id === "cart") keptHighlight = e.target.dataset.highlight || "";
  });
  // A scan that changed one row answers with that row, the total and #cart-shown only
  // (HX-Reswap: none; pos/sales/cart_delta.py): the cart's own data and the highlight follow.
  document.addEventListener("htmx:afterSwap", (e) => {
    const cart = e.target && e.target.id === "cart" ? e.target : null;
    const state = $("#cart-shown");
    // The next customer's first line puts the last sale's strip away (its change was read as
    // this sale's), unless its receipt is still printing or did not print (Cetak ulang).
    const last = $("#last-sale");
    // (Printing: its status still asks the server, hx-get; "Struk tercetak." is done and goes.)
    if (cart && last && $$("#cart tr.line").length && !$("#last-sale .print-failed, #last-sale #print-status[hx-get]")) {
      last.replaceChildren();
    }
    if (!cart || !state) return;
    for (const key of ["total", "count", "highlight", "het", "shownAt", "key"]) cart.dataset[key] = state.dataset[key];
    const kept = !cart.dataset.highlight && keptHighlight && $(`#line-${keptHighlight}`, cart);
    keptHighlight = "";
    if (kept) cart.dataset.highlight = kept.dataset.line;
    markHighlight(cart);
  });
  // (Again once htmx has settled the rows' classes, which puts back the drawn ones.)
  function markHighlight(cart) {
    $$("tr.line", cart).forEach((row) => row.classList.toggle("hl", row.dataset.line === cart.dataset.highlight));
  }
  // After the cart changes, the scan field gets the focus back (htmx would otherwise
  // restore it to a re-rendered quantity box); a search being typed keeps it.
  document.addEventListener("htmx:afterSettle", (e) => {
    const a = document.activeElement;
    if (e.target && e.target.id === "weigh-prompt") {
      const w = $("#weigh-weight");
      if (w) { w.focus(); return; }
    }
    if (weighOpen() && a && a.closest && a.closest("#weigh-form")) return;
    const intoCart = e.target && e.target.id === "cart";
    if (intoCart) { markHighlight(e.target); showCurrentLine(); }
    if (intoCart && a && a.id === "search") return;
    if (intoCart || !a || a === document.body || !document.contains(a)) focusScan();
  });
  document.addEventListener("htmx:afterRequest", (e) => {
    const elt = e.detail.elt;
    if (!e.detail.successful) {
      beep();
      const qty = elt && elt.matches && elt.matches(".qty-form") ? $(".qty", elt) : null;
      if (qty) qty.value = qty.dataset.value;    // a refused quantity: the old one stands
      return;
    }
    // F3's weight asked about (the weight prompt's question): the line keeps its weight until Ya
    const asked = elt && elt.matches && elt.matches(".qty-form") && e.detail.xhr
      && e.detail.xhr.getResponseHeader("HX-Retarget") === "#weigh-prompt" ? $(".qty", elt) : null;
    if (asked) asked.value = asked.dataset.value;
    if (elt && elt.matches && elt.matches("[data-search-result]") && $("#search")) {
      // the pick is in the cart: the search is done, the next thing is a scan (or, for a
      // weighed good without a scale, the weight the prompt asks for)
      $("#search").value = ""; $("#search-results").replaceChildren();
      const weight = $("#weigh-weight");
      if (weight) weight.focus(); else focusScan();
    }
  });
  // No answer at all (the server stopped, the network cut): a write may or may not have been
  // made; a read changed nothing. An element may say what it was (data-send-error) and show
  // in its own place that it did not load (data-send-error-here): the receipt under a sale
  // just confirmed is not a sale to ring again.
  document.addEventListener("htmx:sendError", (e) => {
    const elt = e.detail.elt, own = elt && elt.dataset ? elt.dataset : {};
    const verb = ((e.detail.requestConfig || {}).verb || "").toLowerCase();
    if (own.sendErrorHere) elt.textContent = own.sendErrorHere;
    showMessage(own.sendError || (verb === "get"
      ? "Server tidak menjawab; bagian layar ini tidak dimuat, tidak ada yang diubah. "
        + "Periksa jaringan lalu coba lagi."
      : "Server tidak menjawab. Periksa jaringan; transaksi belum tentu tersimpan, coba lagi."));
  });

  // A form marked data-confirm asks its question first (an approval, deactivating a member or
  // an account): Batal sends nothing.  Capture: before a data-busy form marks itself sending.
  document.addEventListener("submit", (e) => {
    const form = e.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) e.preventDefault();
  }, true);

  /* --- A plain form marked data-busy sends once ------------------------------------------
   * Its button says what is happening (the data-busy text) and takes no second press until
   * the next page comes: a push to the ledger hub may wait for a slow connection, a second
   * press would print the labels twice. (Not for a form whose answer is a download: no next
   * page would come.) */
  const labels = new WeakMap();   // a busy button's own content, for the way back
  function setBusy(form, busy) {
    if (busy) form.dataset.sending = "1"; else delete form.dataset.sending;
    $$("button[type=submit]", form).forEach((b) => {
      if (busy) {
        if (!labels.has(b)) labels.set(b, Array.from(b.childNodes));
        b.textContent = form.dataset.busy;
        b.setAttribute("aria-busy", "true");
      } else {
        b.disabled = false;
        b.removeAttribute("aria-busy");
        if (labels.has(b)) b.replaceChildren(...labels.get(b));
      }
    });
  }
  document.addEventListener("submit", (e) => {
    const form = e.target.closest && e.target.closest("form[data-busy]");
    if (!form) return;
    if (form.dataset.sending) { e.preventDefault(); return; }
    if (e.defaultPrevented) return;
    setBusy(form, true);
    setTimeout(() => {   // after the browser has taken the submission, and every listener ran
      if (e.defaultPrevented) { setBusy(form, false); return; }   // one said no (a confirm)
      $$("button[type=submit]", form).forEach((b) => { b.disabled = true; });
    });
  });
  // Back to a page the browser kept whole: its busy forms are ready again.
  window.addEventListener("pageshow", (e) => {
    if (e.persisted) $$("form[data-busy][data-sending]").forEach((form) => setBusy(form, false));
  });

  /* --- Validation speaks Indonesian, whatever the browser's language --------------------- */
  function validityText(el) {
    const v = el.validity;
    if (v.valueMissing) return "Kolom ini wajib diisi.";
    if (v.typeMismatch) return "Isinya tidak sesuai jenis kolom ini.";
    if (v.patternMismatch) return el.title || "Formatnya tidak sesuai.";
    if (v.tooShort) return `Paling sedikit ${el.minLength} huruf.`;
    if (v.tooLong) return `Paling banyak ${el.maxLength} huruf.`;
    if (v.rangeUnderflow) return `Paling kecil ${el.min}.`;
    if (v.rangeOverflow) return `Paling besar ${el.max}.`;
    if (v.stepMismatch || v.badInput) return "Masukkan angka yang benar.";
    return "Isian belum benar.";
  }
  document.addEventListener("invalid", (e) => {
    const el = e.target;
    el.setCustomValidity("");
    if (!el.validity.valid) el.setCustomValidity(validityText(el));
  }, true);
  document.addEventListener("input", (e) => {
    if (e.target.setCustomValidity) e.target.setCustomValidity("");
  }, true);

  // A dialog keeps Tab inside it: Tab past its last button went on to the page behind (the
  // top bar, Keluar) while the dialog still held the till's keys.
  const FOCUSABLE = "a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), " +
                    "select:not([disabled]), textarea:not([disabled])";
  window.addEventListener("keydown", (e) => {
    if (e.key !== "Tab" || !e.target.closest) return;
    const box = e.target.closest(".overlay");
    if (!box) return;
    const items = Array.from(box.querySelectorAll(FOCUSABLE)).filter((el) => el.offsetParent !== null);
    if (!items.length) return;
    const first = items[0], last = items[items.length - 1];
    if (e.shiftKey && e.target === first) { e.preventDefault(); last.focus(); }
    else if (!e.shiftKey && e.target === last) { e.preventDefault(); first.focus(); }
  }, true);   // capture, on window: before the dialogs' own key handlers stop the key

  // The page's autofocus field takes the cursor as soon as the page's scripts run: the browser
  // gives it only when it next draws the page, and on a busy mini-PC the first digits of a code
  // scanned in between went to the page itself (12 of a barcode's 13 digits arrived).
  (function autofocusNow() {
    const a = document.activeElement;
    if (a && a !== document.body) return;
    for (const el of $$("[autofocus]")) {
      el.focus();
      if (document.activeElement === el) return;   // the first one that can take it, as the browser
    }
  })();

  document.addEventListener("DOMContentLoaded", () => {
    document.body.addEventListener("sale-done", () => { $("#idempotency-key").value = ""; closePay(); });
    // A payment refused because the cart changed: the cart is drawn again, the cashier checks it
    document.body.addEventListener("cart-changed", closePay);
    showCurrentLine();
    // The scan field, unless the cashier already went elsewhere (F7, F2) while the page's
    // last scripts were still arriving: what is being typed there stays there.
    const a = document.activeElement;
    if (!a || a === document.body) focusScan();
  });
  window.GeraiPOS = { parseRupiah, formatRupiah, uuid4, enqueueScan, showMessage, showNote, clearMessages };
})();
