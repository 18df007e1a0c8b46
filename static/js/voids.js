/* Gerai POS till: why a line is removed or the cart emptied (voids before payment).
 *
 * F4 (or ✕ on a line) and F10 (or Kosongkan) no longer post at once: a small prompt opens in
 * #adjust-panel with the quick reasons (1 Salah pindai, 2 Pembeli batal, 3 Harga tidak sesuai)
 * and a field for another reason.  The default is highlighted and Enter takes it: "Salah pindai"
 * for a line, "Pembeli batal" for the whole cart.  A letter typed goes to "Alasan lain", whose
 * Enter (or its button, **Pakai alasan ini**, on a tablet) sends that text.  Esc closes the prompt (till_extra.js).  A code scanned while it is
 * open removes nothing and is scanned (scanburst.js). */
(function () {
  "use strict";
  const $ = (sel, root) => (root || document).querySelector(sel);
  const panel = () => $("#adjust-panel");
  const form = () => $("#void-form");

  function say(text) {
    const box = $("#messages");
    if (!box) return;
    const div = document.createElement("div");
    div.className = "msg msg-error";
    div.setAttribute("role", "alert");
    div.textContent = text;
    box.replaceChildren(div);
  }

  function ask(url, title, choice) {
    const p = panel(), tpl = $("#void-template");
    if (!p || !tpl || !url) return;
    p.replaceChildren(tpl.content.cloneNode(true));
    form().setAttribute("hx-post", url);
    $("#void-title").textContent = title;
    htmx.process(p);
    const pick = $(`#void-form [data-choice="${choice}"]`);
    if (pick) { pick.classList.add("primary"); pick.focus(); }
  }

  // Capture phase: the button's own htmx click never sees it.
  document.addEventListener("click", (e) => {
    if (!e.target.closest || !$("#scan")) return;
    const remove = e.target.closest("#cart .remove");
    const clear = e.target.closest("#clear-cart");
    if (!remove && !clear) return;
    e.preventDefault();
    e.stopPropagation();
    if (remove) {
      const row = remove.closest("tr.line");
      const name = row ? $(".name", row).firstChild.textContent.trim() : "";
      // What goes, as the line stands (not a quantity half typed): "2 pcs, Rp7.000".
      const qty = row && $(".qty", row), unit = row && $(".unit", row), amount = row && $(".amount", row);
      const what = [qty && unit ? `${qty.dataset.value} ${unit.textContent.trim()}` : "",
                    amount ? amount.textContent.trim() : ""].filter(Boolean).join(", ");
      ask(remove.getAttribute("hx-post"), `Hapus ${name}${what ? ` (${what})` : ""}`, 1);
    } else {
      const cart = $("#cart");
      if (!cart || cart.dataset.count === "0") { say("Keranjang sudah kosong."); return; }
      ask(clear.getAttribute("hx-post"), "Kosongkan seluruh keranjang", 2);
    }
  }, true);

  /* A key on a quick reason acts a moment later (WAIT_MS): a scanner types its next key sooner,
   * and a code scanned while the prompt is open is scanned, whole, and removes nothing (its
   * first digit "2" chose "Pembeli batal" and emptied the cart, and the code was lost).  The
   * keys of such a burst are held (``held``) until Enter: scanburst.js takes a scan's Enter (it
   * watches the prompt, below); a person's quick keys end up in "Alasan lain". */
  const WAIT_MS = 45;
  let waiting = null, held = "", lastAt = 0;
  function act(key) {
    const other = $("#void-other");
    const pick = /^[1-9]$/.test(key) ? $(`#void-form [data-choice="${key}"]`) : null;
    if (pick) { pick.click(); return; }
    // A letter typed while a quick reason is highlighted starts "Alasan lain" (a Space pressed
    // the highlighted button, and the rest of the words went to the scan field).
    if (other) { other.focus(); other.value += key; }
  }
  function settle() {
    if (waiting) { clearTimeout(waiting.timer); waiting = null; }
  }
  // The key acts once WAIT_MS have passed with the page free to hear the next one. On a slow
  // till a page busy past the wait ran this before the scanner's next key, queued behind the
  // work: the code's first digit was taken as a reason (or began "Alasan lain") and the rest
  // scanned alone. A late turn waits again (a few times at most: a person's key still acts).
  function wait(key, since, tries) {
    return setTimeout(() => {
      if (!waiting) return;
      const now = performance.now();
      if (now - since > WAIT_MS + 15 && tries < 3) { waiting.timer = wait(key, now, tries + 1); return; }
      waiting = null;
      act(key);
    }, WAIT_MS);
  }
  window.GeraiBurst.watch((field) => Boolean(field.closest && field.closest("#void-form")), (code) => {
    settle();
    held = "";
    if (panel()) panel().replaceChildren();   // nothing removed: the code is scanned
    window.GeraiPOS.enqueueScan($("#scan-form"), code);
    const scan = $("#scan");
    if (scan) scan.focus();
  });

  // Enter in "Alasan lain", or its button (tapped), sends the typed reason alone: the
  // browser's own Enter would send the first quick reason's button with it, and the server
  // takes a chosen button first.
  function sendOther() {
    const other = $("#void-other");
    if (!other) return;
    if (other.value.trim()) form().requestSubmit();
    else { say("Ketik alasannya, atau pilih 1, 2, 3."); other.focus(); }
  }
  document.addEventListener("click", (e) => {
    if (e.target.closest && e.target.closest("#void-form [data-action=void-other]")) sendOther();
  });

  document.addEventListener("keydown", (e) => {
    if (!form()) return;
    const other = $("#void-other");
    if (e.target === other) {
      if (e.key !== "Enter") return;
      e.preventDefault();
      sendOther();
      return;
    }
    // (a Space held with the words; alone, it presses the highlighted reason, as a button does)
    const typed = e.key.length === 1 && !e.ctrlKey && !e.altKey && !e.metaKey
      && (e.key !== " " || waiting || held);
    if (typed) {
      e.preventDefault();
      const now = window.GeraiBurst.pressedAt(e), gap = now - lastAt;
      lastAt = now;
      if (held && gap > WAIT_MS && other) {   // a person's pace after all: the words go on in the field
        other.focus();
        other.value += held + e.key;
        held = "";
        return;
      }
      if (waiting || held) {   // a second key this soon: a scanner's, held until its Enter
        if (waiting) held += waiting.key;
        settle();
        held += e.key;
        return;
      }
      const key = e.key;
      waiting = { key, timer: null };
      waiting.timer = wait(key, performance.now(), 0);
      return;
    }
    if (e.key === "Enter" && (waiting || held)) {   // not a scan (scanburst.js took none)
      e.preventDefault();
      if (waiting && !held) { const key = waiting.key; settle(); act(key); return; }
      settle();
      if (other) { other.focus(); other.value += held; }   // quick keys: a reason to look at
      held = "";
    }
  }, true);

  document.addEventListener("htmx:afterRequest", (e) => {
    const elt = e.detail.elt;
    if (!elt || !elt.closest || !elt.closest("#void-form") || !e.detail.successful) return;
    if (panel()) panel().replaceChildren();
    const scan = $("#scan");
    if (scan) scan.focus();
  });
})();
