/* The payment panel of the till: Tunai, QRIS, Transfer/Debit and Kasbon anggota, in any mix.
 * Non-cash tenders are listed (hidden inputs posted with the form) and may never exceed what
 * remains; cash pays the rest, rounded to the coin when POS_CASH_ROUNDING is set, and only
 * cash gives change.  The server settles everything again (pos/sales/tenders.py); this file
 * only shows it.  pos.js opens and closes the panel (F9, Esc; with regulated goods the server
 * asks their rules first: ``askRules``) and passes it the keys while
 * it is open: F1-F4 choose the method; F5-F8 are quick cash (exact, then three notes above
 * what is due: ``suggestedNotes``), or in QRIS "Dana QRIS sudah
 * masuk" (F5) and "Cetak tagihan QRIS" (F6); F9 takes back the last tender added.
 * The tenders listed belong to the cart they were added for (#cart's data-key: its member and
 * lines, pos/sales/cart_view.py cart_key): Esc and F9 again on the same cart keeps them; once
 * the cart's key changes (F10, F6, a held sale resumed, another member, any line) they go, and
 * each is posted with that key (and a kasbon with its member) for checkout to refuse another's. */
(function () {
  "use strict";
  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));
  const pos = () => window.GeraiPOS;
  const fmt = (n) => pos().formatRupiah(n);
  const say = (text) => pos().showMessage(text);

  const LABELS = { qris: "QRIS", transfer: "Transfer/Debit", member_credit: "Kasbon anggota" };
  const METHOD_KEYS = { F1: "cash", F2: "qris", F3: "transfer", F4: "member_credit" };
  const isQuickKey = (key) => /^F[5-8]$/.test(key);   // F5 exact cash, F6-F8 the notes
  // refused: why the method last asked for is not on offer (F4 for a member without a kasbon
  // limit), said again by an Enter on the empty cash box instead of sending it; refusedQris:
  // that method was QRIS, whose own F5 and F6 then type no cash (below)
  // key: the cart (#cart's data-key) the tenders listed were added for
  const state = { total: 0, tenders: [], mode: "cash", qrTimer: null, qrOut: false, asking: false,
                  refused: "", refusedQris: false, key: null };

  const panel = () => $("#pay-panel");
  const isOpen = () => !!panel() && !panel().hidden;
  function coin() { return parseInt(panel().dataset.cashRounding || "0", 10) || 0; }
  // Half up to the nearest coin, as pos.money.round_half_up; down when a line is at its HET
  // (the cart's data-het), as pos/sales/tenders.py: never above the ceiling.
  function roundCash(n) {
    const c = coin(); if (c <= 1) return n;
    const up = Math.floor((2 * n + c) / (2 * c)) * c;
    return state.roundDown && up > n ? Math.floor(n / c) * c : up;
  }
  const paidOther = () => state.tenders.reduce((sum, t) => sum + t.amount, 0);
  const remaining = () => state.total - paidOther();
  const cashDue = () => (remaining() > 0 ? roundCash(remaining()) : 0);

  function hidden(name, value) {
    const input = document.createElement("input");
    input.type = "hidden"; input.name = name; input.value = value;
    return input;
  }
  function tenderRow(t, index) {
    const li = document.createElement("li");
    li.className = "tender";
    const name = document.createElement("span");
    name.textContent = LABELS[t.method] + (t.method === "qris" ? " · dikonfirmasi kasir" : "")
      + (t.reference ? " · Ref " + t.reference : "");
    const amount = document.createElement("b");
    amount.textContent = fmt(t.amount);
    const remove = document.createElement("button");
    remove.type = "button"; remove.className = "btn ghost"; remove.textContent = "Hapus";
    remove.dataset.action = "remove-tender"; remove.dataset.index = String(index);
    if (index === state.tenders.length - 1) {   // F9 takes back the last one added
      const key = document.createElement("kbd");
      key.textContent = "F9";
      remove.append(" ", key);
    }
    li.append(name, amount, remove, hidden("tender_method", t.method), hidden("tender_amount", t.amount),
              hidden("tender_reference", t.reference || ""), hidden("tender_confirmed", t.confirmed ? "1" : ""),
              hidden("tender_cart", t.cart || ""), hidden("tender_member", t.member || ""));
    return li;
  }

  // F6-F8: the money a buyer is likely to hand over for what is due, each above it: the next
  // Rp5.000, Rp50.000 and Rp100.000 (Rp20.500: 25.000, 50.000, 100.000), the next Rp10.000 or
  // Rp20.000 where two of those meet (Rp47.000: 50.000, 60.000, 100.000).
  function suggestedNotes(due) {
    const above = (n, k = 1) => (Math.floor(due / n) + k) * n;
    const picks = new Set([5000, 50000, 100000].map((n) => above(n)));
    for (const n of [10000, 20000]) if (picks.size < 3) picks.add(above(n));
    for (let k = 2; picks.size < 3; k++) picks.add(above(100000, k));
    return [...picks].sort((a, b) => a - b).slice(0, 3);
  }
  function showQuick() {
    const due = cashDue(), notes = suggestedNotes(due);
    ["F6", "F7", "F8"].forEach((key, i) => {
      const button = $(`#pay-panel [data-quick-key="${key}"]`);
      if (!button) return;
      button.hidden = due === 0;   // the other tenders cover it all: no note to hand over
      button.dataset.quick = String(notes[i]);
      button.firstChild.textContent = fmt(notes[i]) + " ";
    });
  }

  function render() {
    showQuick();
    const list = $("#pay-tenders");
    list.replaceChildren(...state.tenders.map(tenderRow));
    list.scrollTop = list.scrollHeight;   // the list scrolls: the last added (Hapus F9) stays in sight
    $("#pay-remaining").textContent = fmt(remaining());
    showRounding();
    showCredit();
    updateChange();
  }
  // What cash pays once rounded to the coin: said while cash is being taken, not beside QRIS,
  // a transfer or kasbon, which pay the exact amount.
  function showRounding() {
    const note = $("#pay-rounding"), due = cashDue();
    note.hidden = due === remaining() || state.mode !== "cash";
    note.textContent = note.hidden ? "" : `Dibayar tunai ${fmt(due)} (pembulatan ${due > remaining() ? "+" : "-"}${fmt(Math.abs(due - remaining()))})`;
  }
  // "Sisa batas kasbon": what the member may still take, less the kasbon already listed.
  function showCredit() {
    const shown = $("#credit-available");
    if (shown && creditAvailable() > 0) shown.textContent = fmt(Math.max(creditLeft(), 0));
  }
  function updateChange() {
    const given = pos().parseRupiah($("#tendered").value);
    const due = cashDue(), out = $("#pay-change");
    if ($("#tendered").value.trim() === "" && due === 0 && state.tenders.length) { out.textContent = "Lunas"; out.className = "ok"; }
    else if (given === null) { out.textContent = "—"; out.className = ""; }
    // what the server takes at most (pos.money.parse_rupiah): a longer number stretched the panel
    else if (given > 1000000000) { out.textContent = "Terlalu besar"; out.className = "short"; }
    else if (given < due) { out.textContent = "Kurang " + fmt(due - given); out.className = "short"; }
    else { out.textContent = fmt(given - due); out.className = "ok"; }
    inSight();
  }
  // A panel taller than the screen (a member's kasbon, tenders and the rounding at 768 px) scrolls:
  // the entry being typed, Kembali with it, is kept in sight above Batal/Selesai (pos.css gives the
  // panel their height as scroll-padding), and the methods scroll away under the heading instead.
  // Its foot (Kembali, Tambah, or "Dana QRIS sudah masuk" under a QR drawn later) is what is kept.
  function inSight() {
    const entry = $("#pay-form fieldset.entry:not([hidden])");
    if (!entry || !isOpen()) return;
    entry.scrollIntoView({ block: "nearest" });
    entry.lastElementChild.scrollIntoView({ block: "nearest" });
  }

  function applyOptions() {
    const opts = $("#pay-opts");
    if (!opts) return;
    const qris = $('.method[data-method="qris"]'), credit = $('.method[data-method="member_credit"]');
    qris.disabled = opts.dataset.qrisReady !== "1";
    qris.title = qris.disabled ? ($("#qris-off") || {}).textContent || "" : "";
    credit.disabled = opts.dataset.creditReady !== "1";
    credit.title = credit.disabled ? ($("#credit-off") || {}).textContent || "" : "";
    showCredit();
  }

  function field(id) { const el = $(id); el.focus(); el.select(); return el; }
  function setMode(mode) {
    const button = $(`.method[data-method="${mode}"]`);
    if (button && button.disabled) {
      state.refused = button.title || "Cara bayar ini tidak tersedia.";
      state.refusedQris = mode === "qris";
      say(state.refused);
      return;
    }
    state.refused = "";
    state.refusedQris = false;
    if (mode !== state.mode) pos().clearMessages();   // a refusal of the method left behind goes
    const left = remaining();
    if (mode !== "cash" && left <= 0) { say("Sudah lunas. Tekan Enter untuk selesai."); mode = "cash"; }
    if (mode !== "qris") qrGone();
    state.mode = mode;
    $$(".method").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.method === mode)));
    $$("#pay-form fieldset.entry").forEach((f) => { f.hidden = f.dataset.entry !== mode; });
    showRounding();
    inSight();
    if (mode === "cash") { $("#tendered").focus(); return; }
    if (mode === "qris") {
      $("#qris-amount").value = window.GeraiMoney.shown(left);
      $("#qris-code").replaceChildren();
      showQr();
      field("#qris-amount");
    } else if (mode === "transfer") {
      $("#transfer-amount").value = window.GeraiMoney.shown(left);
      $("#transfer-reference").value = "";
      field("#transfer-amount");
    } else {
      const available = creditAvailable() > 0 ? Math.max(creditLeft(), 0) : left;
      $("#credit-amount").value = window.GeraiMoney.shown(Math.min(left, available));
      field("#credit-amount");
    }
  }

  // What the member may still take on kasbon (the panel's data; 0 when unknown).
  function creditAvailable() {
    return parseInt(($("#pay-opts") || { dataset: {} }).dataset.creditAvailable || "0", 10);
  }
  function creditLeft() {
    return creditAvailable() - state.tenders.filter((t) => t.method === "member_credit")
      .reduce((sum, t) => sum + t.amount, 0);
  }
  // The amount typed for a non-cash tender, or null (with a message) when it cannot be added.
  function amountOf(id) {
    const amount = pos().parseRupiah($(id).value);
    if (amount === null || amount <= 0) { say("Jumlah tidak valid. Tulis angka Rupiah, misalnya 50000."); return null; }
    if (amount > remaining()) { say(`Melebihi sisa ${fmt(remaining())}. Kembalian hanya dari tunai.`); return null; }
    return amount;
  }
  function addTender(method, amount, reference, confirmed) {
    pos().clearMessages();   // a refusal of what was typed before is answered now
    // Kasbon is one charge per sale (the server sums two too): added again, it adds to the entry
    const kasbon = method === "member_credit" && state.tenders.find((t) => t.method === method);
    if (kasbon) kasbon.amount += amount;
    else state.tenders.push({ method, amount, reference: reference || "", confirmed: !!confirmed,
                              cart: state.key, member: method === "member_credit" ? shownMember() : "" });
    $("#qris-code").replaceChildren();
    render();
    setMode("cash");
  }
  // The member the panel offers kasbon to (#pay-opts, pos/sales/_pay_options.html).
  function shownMember() {
    const input = $('#pay-opts input[name="expected_member"]');
    return input ? input.value : "";
  }
  function addCurrent() {
    if (state.mode === "transfer") {
      const amount = amountOf("#transfer-amount");
      if (amount === null) return;
      const reference = $("#transfer-reference").value.trim();
      if (reference.length < 3 || reference.length > 64) {
        say(`Referensi bank ${reference ? "tidak sah" : "wajib diisi"}: 3 sampai 64 huruf atau angka.`);
        $("#transfer-reference").focus(); return;
      }
      // one bank reference is one transfer (the server refuses it too: pos/sales/tenders.py)
      const twin = state.tenders.find((t) => t.reference && t.reference.toUpperCase() === reference.toUpperCase());
      if (twin) {
        say(`Referensi ${twin.reference} sudah ada pada pembayaran ini: satu referensi bank untuk satu transfer.`);
        field("#transfer-reference"); return;
      }
      addTender("transfer", amount, reference);
    } else if (state.mode === "member_credit") {
      const amount = amountOf("#credit-amount"), left = creditLeft();
      // the server refuses it at Selesai too; said here, the cashier changes it at once
      if (amount !== null && creditAvailable() > 0 && amount > left) {
        say(`Melebihi sisa batas kasbon ${fmt(Math.max(left, 0))}.`);
      } else if (amount !== null) addTender("member_credit", amount);
    }
  }

  function showQr() {
    const amount = amountOf("#qris-amount");
    if (amount === null) return;
    state.qrOut = true;   // the customer screen shows it while it is the cart's total
    htmx.ajax("GET", panel().dataset.qrisUrl, { target: "#qris-code", swap: "innerHTML", values: { jumlah: amount } });
  }
  // The QRIS is no longer on offer (panel closed, another method, or paid): the customer
  // screen must stop showing it, or a customer could pay a code the cashier moved on from.
  function qrGone() {
    if (!state.qrOut || !panel()) return;
    state.qrOut = false;
    htmx.ajax("POST", panel().dataset.qrisClosedUrl, { target: "#messages", swap: "none" });
  }
  function shownQrAmount() {
    const figure = $("#qris-code figure.qris");
    return figure ? parseInt(figure.dataset.amount, 10) : null;
  }
  function confirmQris() {
    const amount = amountOf("#qris-amount");
    if (amount === null) return;
    if (shownQrAmount() !== amount) {
      // the QR for a new amount is drawn 0,5 s after the last key; F5 sooner asks for it now
      // (its request clears the messages: the warning is said after it)
      clearTimeout(state.qrTimer);
      showQr();
      say("Tampilkan dulu QR untuk jumlah ini, lalu periksa dana masuk.");
      return;
    }
    addTender("qris", amount, "", true);
  }
  // Enter in QRIS draws the QR; once it is drawn for this amount, Enter cannot finish the sale
  // (the money is not in yet), so it says what can.
  function qrisEnter() {
    const amount = amountOf("#qris-amount");
    if (amount === null) return;
    if (shownQrAmount() !== amount) { clearTimeout(state.qrTimer); showQr(); return; }
    say("QR sudah tampil. Setelah dana QRIS masuk, tekan F5 (Dana QRIS sudah masuk), lalu Enter untuk selesai.");
  }
  function printBill() {
    const amount = amountOf("#qris-amount");
    if (amount === null) return;
    htmx.ajax("POST", panel().dataset.qrisBillUrl, { target: "#messages", swap: "innerHTML", values: { jumlah: amount } });
  }
  function quick(key) {
    const button = $(`#pay-panel [data-quick-key="${key}"]`);
    if (button && button.hidden) return;
    const kind = button ? button.dataset.quick : "exact";
    $("#tendered").value = window.GeraiMoney.shown(kind === "exact" ? cashDue() : kind);
    updateChange();
    $("#tendered").focus();
  }

  // Regulated goods on the cart (the buyer row has notes: a farmer's quota, a buyer's limit,
  // LPG 3 kg): their rules are asked again before the panel opens (pos/sales/pay_views.py
  // check_rules), as another till may have taken the quota or the limit since the cart was
  // drawn.  They pass: "pay-checked" opens it; a refusal is the message with the cart drawn
  // again, the panel shut, before any cash is counted; no buyer: the buyer dialog asks, then
  // sends the check again (static/js/buyer.js).  A discount grown past what a manager approved
  // (#discount-held) is asked the same way: the server says why it is not paid yet.
  function open(checked) {
    const cart = $("#cart");
    if (!cart || cart.dataset.count === "0") { say("Keranjang masih kosong."); return; }
    if (checked !== true && ($("#buyer-notes") || $("#discount-held")) && panel().dataset.checkUrl) { askRules(); return; }
    const total = parseInt(cart.dataset.total, 10);
    forOtherCart();   // another cart, though of the same total: tenders added before are void
    if (total !== state.total) state.tenders = [];   // a price or a discount changed: void too
    state.total = total;
    state.roundDown = cart.dataset.het === "1";
    $("#expected-total").value = total;
    $("#shown-at").value = cart.dataset.shownAt || "";   // when the server drew this cart (pos/sales/once.py)
    $("#pay-total").textContent = fmt(total);
    const key = $("#idempotency-key");
    // Kept until the sale is confirmed, so retries reuse it; emptied also when the server refuses
    // it as the key of another sale (pos/sales/once.py): this cart then gets a new one.
    if (!key.value) key.value = pos().uuid4();
    panel().hidden = false;
    $("#tendered").value = "";
    htmx.trigger("#pay-options", "pay-open");
    render();
    setMode("cash");
  }
  function askRules() {
    if (state.asking) return;   // F9 twice: one question
    state.asking = true;
    htmx.ajax("POST", panel().dataset.checkUrl, { source: document.body, target: "#messages", swap: "none" })
      .catch(() => {}).finally(() => { state.asking = false; });
  }
  document.addEventListener("pay-checked", () => { if (!isOpen()) open(true); });
  function close() { qrGone(); if (panel()) panel().hidden = true; }   // the tenders stay: same cart
  // The tenders listed are for the cart of ``state.key``; the cart drawn now is another (emptied,
  // parked, resumed, another member, a line changed) or empty: they go.
  function forOtherCart() {
    const cart = $("#cart");
    const key = cart && cart.dataset.count !== "0" ? cart.dataset.key || "" : "";
    if (key === state.key && key) return false;
    state.key = key;
    if (!state.tenders.length) return false;
    state.tenders = [];
    return true;
  }
  // Every answer that drew the cart (pos.js has copied its data onto #cart by now).
  document.addEventListener("htmx:afterSettle", () => { if (forOtherCart() && isOpen()) { render(); setMode("cash"); } });

  function onKey(e) {
    if (/^F[1-8]$/.test(e.key)) e.preventDefault();   // F1 help, F3 find, F5 reload: not here
    if (METHOD_KEYS[e.key]) { setMode(METHOD_KEYS[e.key]); return; }
    if (e.key === "F9") { e.preventDefault(); removeTender(state.tenders.length - 1); return; }
    if (state.mode === "cash") {
      // Enter after a refused method, nothing typed: the refusal again, nothing sent (it was
      // "Uang diterima tidak valid" about a box the cashier never typed in)
      if (e.key === "Enter" && state.refused && !$("#tendered").value.trim()) {
        e.preventDefault();
        say(state.refused);
      } else if (isQuickKey(e.key) && state.refusedQris && !$("#tendered").value.trim()) {
        // F5 right after QRIS was refused is "Dana QRIS sudah masuk" to the cashier (F6 "Cetak
        // tagihan QRIS"): it typed the exact cash, and Enter booked cash the drawer never got
        say(`${state.refused} Tekan F1 untuk tunai.`);
      } else if (isQuickKey(e.key)) quick(e.key);
      return;
    }
    if (state.mode === "qris") {
      if (e.key === "F5") confirmQris();
      else if (e.key === "F6") printBill();
      else if (e.key === "Enter" && e.target.id === "qris-amount") { e.preventDefault(); qrisEnter(); }
      return;
    }
    if (e.key !== "Enter" || !e.target.closest || !e.target.closest("fieldset.entry")) return;
    e.preventDefault();
    if (e.target.id === "transfer-amount") field("#transfer-reference");
    else addCurrent();
  }

  document.addEventListener("click", (e) => {
    const el = e.target.closest && e.target.closest("#pay-panel [data-quick], #pay-panel [data-method], #pay-panel [data-action]");
    if (!el) return;
    if (el.dataset.quick) quick(el.dataset.quickKey);
    else if (el.dataset.method) setMode(el.dataset.method);
    else if (el.dataset.action === "qris-confirm") confirmQris();
    else if (el.dataset.action === "qris-bill") printBill();
    else if (el.dataset.action === "add-tender") addCurrent();
    else if (el.dataset.action === "remove-tender") removeTender(parseInt(el.dataset.index, 10));
  });
  function removeTender(index) {
    if (index < 0 || index >= state.tenders.length) return;
    state.tenders.splice(index, 1);
    render();
    setMode("cash");
  }
  // While the panel is open, a press beside its fields (the dimmed page around it, the message
  // strip above it, a heading, the totals; the second click of a double-click on Bayar) keeps
  // the focus on the amount being typed, so the next digits are not lost.  Fields, buttons
  // and links take it as usual.
  const ENTRY_FIELDS = { cash: "#tendered", qris: "#qris-amount", transfer: "#transfer-amount",
                         member_credit: "#credit-amount" };
  document.addEventListener("mousedown", (e) => {
    if (!isOpen() || !e.target.closest) return;
    if (e.target.closest("input, select, textarea, button, a, label")) return;
    e.preventDefault();
    const active = document.activeElement;
    if (!active || !active.closest("#pay-form fieldset.entry:not([hidden])")) {
      const own = $(ENTRY_FIELDS[state.mode] || "#tendered");
      if (own) own.focus();
    }
  });
  document.addEventListener("input", (e) => {
    if (e.target.id === "tendered") { state.refused = ""; state.refusedQris = false; updateChange(); }
    if (e.target.id === "qris-amount") {   // a new amount: the QR shown is for the old one
      $("#qris-code").replaceChildren();
      clearTimeout(state.qrTimer);
      state.qrTimer = setTimeout(() => { if (state.mode === "qris" && isOpen()) showQr(); }, 500);
    }
  });
  // The QR refused by the server (no QRIS set, F2 pressed before the panel's options said so and
  // greyed the button): a refused method, as that button's is, so F5 / F6 after it type no cash.
  document.addEventListener("htmx:afterRequest", (e) => {
    const detail = e.detail, url = panel() && panel().dataset.qrisUrl;
    if (!url || detail.successful || state.mode !== "qris" || !isOpen()
        || !detail.pathInfo || detail.pathInfo.requestPath !== url || !detail.xhr) return;
    const said = new DOMParser().parseFromString(detail.xhr.responseText || "", "text/html")
      .body.textContent.trim() || "QRIS tidak dapat dipakai sekarang.";
    setMode("cash");
    const qris = $('.method[data-method="qris"]');
    if (qris) { qris.disabled = true; qris.title = said; }
    state.refused = said;
    state.refusedQris = true;
    setTimeout(() => say(said));   // after the answer's own swap of the messages
  });
  // What the panel offers, read when it opens, and again with a kasbon refused at Selesai (the limit
  // lowered meanwhile: pos/sales/views.py sends the figures as they are now, out of band).
  document.addEventListener("htmx:afterSwap", (e) => {
    if (e.target.id === "pay-options") applyOptions();
    if (e.target.id === "qris-code") inSight();   // the QR pushed the confirm button down
  });
  document.addEventListener("htmx:oobAfterSwap", (e) => {
    if (e.detail.target && e.detail.target.id === "pay-options") applyOptions();
  });
  document.addEventListener("sale-done", () => { state.tenders = []; state.total = 0; state.key = null; });

  window.GeraiPay = { open, close, isOpen, onKey };
})();
