/* Gerai POS front end: keyboard keys, scan focus, the payment panel.
 * Everything else is htmx; this file only does what htmx cannot. */
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

  // Same rules as pos.money.parse_rupiah; the server checks again.
  function parseRupiah(text) {
    const t = (text || "").trim().replace(/\s/g, "").replace(/^rp\.?/i, "").replace(/(,-|,00)$/, "");
    if (!/^(\d{1,3}(\.\d{3})+|\d+)$/.test(t)) return null;
    return parseInt(t.replace(/\./g, ""), 10);
  }
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
  function showMessage(text) {
    const box = $("#messages");
    if (box) box.innerHTML = `<div class="msg msg-error" role="alert">${text}</div>`;
    beep();
  }

  const payPanel = () => $("#pay-panel");
  const payOpen = () => payPanel() && !payPanel().hidden;
  function focusScan() {
    const scan = $("#scan");
    if (scan && !payOpen()) scan.focus();
  }
  function lastLine(selector) {
    const rows = $$("#cart tr.line");
    return rows.length ? $(selector, rows[rows.length - 1]) : null;
  }

  function updateChange() {
    const total = parseInt($("#expected-total").value || "0", 10);
    const given = parseRupiah($("#tendered").value);
    const out = $("#pay-change");
    if (given === null) { out.textContent = "—"; out.className = ""; }
    else if (given < total) { out.textContent = "Kurang " + formatRupiah(total - given); out.className = "short"; }
    else { out.textContent = formatRupiah(given - total); out.className = "ok"; }
  }
  function openPay() {
    const cart = $("#cart");
    if (!cart || cart.dataset.count === "0") { showMessage("Keranjang masih kosong."); return; }
    const total = parseInt(cart.dataset.total, 10);
    $("#expected-total").value = total;
    $("#pay-total").textContent = formatRupiah(total);
    const key = $("#idempotency-key");
    if (!key.value) key.value = uuid4();   // kept until the sale is confirmed: retries reuse it
    payPanel().hidden = false;
    $("#tendered").value = "";
    updateChange();
    $("#tendered").focus();
  }
  function closePay() { if (payPanel()) payPanel().hidden = true; focusScan(); }
  function quick(kind) {
    const total = parseInt($("#expected-total").value, 10);
    $("#tendered").value = kind === "exact" ? String(total) : kind;
    updateChange();
    $("#tendered").focus();
  }

  const PAY_KEYS = { F5: "exact", F6: "20000", F7: "50000", F8: "100000" };
  function onKey(e) {
    if (!$("#scan")) return;
    if (payOpen()) {
      if (PAY_KEYS[e.key]) { e.preventDefault(); quick(PAY_KEYS[e.key]); }
      else if (e.key === "Escape") { e.preventDefault(); closePay(); }
      return;
    }
    const target = { F2: "search", F3: "qty", F4: "remove", F7: "member", F9: "pay", F10: "clear" }[e.key];
    if (target) e.preventDefault();
    if (target === "search") { $("#search").focus(); $("#search").select(); }
    else if (target === "member") { $("#member").focus(); }
    else if (target === "qty") { const q = lastLine(".qty"); if (q) { q.focus(); q.select(); } }
    else if (target === "remove") { const r = lastLine(".remove"); if (r) r.click(); }
    else if (target === "pay") openPay();
    else if (target === "clear") $("#clear-cart").click();
    else if (e.key === "Escape") { $("#search").value = ""; $("#search-results").innerHTML = ""; focusScan(); }
    else if (e.key.length === 1 && !e.ctrlKey && !e.altKey && !e.metaKey) {
      const a = document.activeElement;
      if (!a || a === document.body || a.tagName === "BUTTON") focusScan();  // stray typing goes to the scan field
    }
  }

  // In the search box, Enter on a barcode-looking value scans it; otherwise picks the first hit.
  function onSearchEnter(e) {
    if (e.key !== "Enter" || e.target.id !== "search") return;
    e.preventDefault();
    const value = e.target.value.trim();
    if (/^\d{8,14}$/.test(value)) {
      $("#scan").value = value;
      e.target.value = "";
      $("#search-results").innerHTML = "";
      htmx.trigger("#scan-form", "submit");
      focusScan();
      return;
    }
    const first = $("#search-results .result");
    if (first) first.click();
  }

  document.addEventListener("keydown", onKey);
  document.addEventListener("keydown", onSearchEnter, true);
  document.addEventListener("click", (e) => {
    const el = e.target.closest("[data-action],[data-quick]");
    if (!el) return;
    if (el.dataset.quick) quick(el.dataset.quick);
    else if (el.dataset.action === "pay") openPay();
    else if (el.dataset.action === "close-pay") closePay();
  });
  document.addEventListener("input", (e) => { if (e.target.id === "tendered") updateChange(); });
  document.addEventListener("change", (e) => {
    if (e.target.classList.contains("qty")) htmx.trigger(e.target.form, "submit");
  });

  // After the cart changes, the scan field gets the focus back (htmx would otherwise
  // restore it to a re-rendered quantity box); a search being typed keeps it.
  document.addEventListener("htmx:afterSettle", (e) => {
    const a = document.activeElement;
    const intoCart = e.target && e.target.id === "cart";
    if (intoCart && a && a.id === "search") return;
    if (intoCart || !a || a === document.body || !document.contains(a)) focusScan();
  });
  document.addEventListener("htmx:afterRequest", (e) => {
    const elt = e.detail.elt;
    if (!e.detail.successful) { beep(); return; }
    if (elt && elt.matches && elt.matches("[data-search-result]")) {
      // the pick is in the cart: the search is done, the next thing is a scan
      $("#search").value = ""; $("#search-results").innerHTML = ""; focusScan();
    }
    if (e.detail.target && e.detail.target.id === "cart") { const m = $("#messages"); if (m) m.innerHTML = ""; }
  });
  document.addEventListener("htmx:sendError", () => showMessage("Server tidak menjawab. Periksa jaringan; transaksi belum tentu tersimpan, coba lagi."));
  document.addEventListener("DOMContentLoaded", () => {
    document.body.addEventListener("sale-done", () => { $("#idempotency-key").value = ""; closePay(); });
    focusScan();
  });
  window.GeraiPOS = { parseRupiah, formatRupiah, uuid4 };
})();
