// Members' savings and kasbon repayments at the counter (templates/accounts/*), Alt+U for the
// simpanan sukarela, Alt+A for the kasbon repayment, Alt+T for a withdrawal of simpanan sukarela,
// and the till's Alt+S key that opens that page (templates/sales/till.html, #savings-link); a
// scanner on the member's panel opens a member by their card and pays nothing (GeraiBurst).
(function () {
  "use strict";
  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));
  const rupiah = (n) => "Rp" + String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  // As the server reads it (static/js/money.js): "50.000,00" is 50.000; what it refuses counts 0.
  const amount = (input) => (input ? window.GeraiMoney.amount(input.value) || 0 : 0);

  // The till: Alt+S opens the savings/repayment page (F-keys are the till's own).
  document.addEventListener("keydown", (e) => {
    const link = $("#savings-link");
    if (!link || !e.altKey || e.ctrlKey || e.metaKey || e.code !== "KeyS") return;
    const pay = $("#pay-panel");
    if (pay && !pay.hidden) return;
    e.preventDefault();
    link.click();
  });

  // The payment form: the total follows what is ticked and typed.
  function total(form) {
    let sum = 0;
    if ($("#pay-pokok", form) && $("#pay-pokok", form).checked) sum += Number(form.dataset.pokok);
    sum += $$("input[name=wajib]:checked", form).length * Number(form.dataset.wajib);
    sum += amount($("#sukarela", form)) + amount($("#angsuran", form));
    return sum;
  }
  const tender = (form) => { const on = $("input[name=cara]:checked", form); return on ? on.value : "cash"; };
  // Cash is taken in whole coins (POS_CASH_ROUNDING, to the nearest, halves up: as the server's
  // pos.money.round_cash); QRIS and transfer to the Rupiah.
  function cashDue(form, sum) {
    const coin = Number(form.dataset.coin) || 0;
    if (coin <= 1 || tender(form) !== "cash") return sum;
    return Math.floor((2 * sum + coin) / (2 * coin)) * coin;
  }
  // What is owed (the whole kasbon, wajib) is rounded; what the member chooses (the sukarela,
  // part of the kasbon) is not: in cash it is whole coins or refused, as the server says it
  // (pos.money.in_coins; ``whole``: the kasbon owed, paid off it is rounded).
  function refusal(coin, label, chosen, whole) {
    if (chosen % coin === 0 || (whole !== null && chosen >= whole)) return "";
    const below = Math.floor(chosen / coin) * coin;
    let nearest;
    if (whole !== null && below + coin >= whole) {
      nearest = below > 0 ? `Tulis ${rupiah(below)}, atau lunasi ${rupiah(whole)}` : `Lunasi ${rupiah(whole)}`;
    } else {
      nearest = below > 0 ? `Tulis ${rupiah(below)} atau ${rupiah(below + coin)}` : `Tulis ${rupiah(coin)}`;
    }
    return `${label} ${rupiah(chosen)} tidak bisa dibayar dengan uang tunai: pecahan ` +
           `terkecil di laci ${rupiah(coin)}. ${nearest}.`;
  }
  function notInCoins(form) {
    const coin = Number(form.dataset.coin) || 0;
    if (coin <= 1 || tender(form) !== "cash") return "";
    return refusal(coin, "Simpanan sukarela", amount($("#sukarela", form)), null) ||
           refusal(coin, "Angsuran kasbon", amount($("#angsuran", form)), Number(form.dataset.owed) || 0);
  }
  // Only the field the chosen tender uses is shown and sent: Uang diterima for cash, the
  // reference for QRIS and transfer (the server refuses an Uang diterima sent with them).
  function tenderFields(form) {
    const chosen = tender(form);
    $$("[data-tender]", form).forEach((box) => {
      const used = box.dataset.tender.split(" ").includes(chosen);
      box.hidden = !used;
      $$("input", box).forEach((input) => { input.disabled = !used; });
    });
  }
  function refresh(form) {
    const out = $("#account-total", form), note = $("#account-rounding", form);
    const sum = total(form), due = cashDue(form, sum), refused = notInCoins(form);
    tenderFields(form);
    if (out) out.textContent = rupiah(sum);
    if (!note) return;
    note.hidden = due === sum && !refused;
    note.textContent = refused || (note.hidden ? "" : `Dibayar tunai ${rupiah(due)} (pembulatan ${due > sum ? "+" : "-"}${rupiah(Math.abs(due - sum))})`);
  }
  document.addEventListener("input", (e) => {
    const form = e.target.closest("#account-pay");
    if (form) refresh(form);
  });
  document.addEventListener("change", (e) => {
    const form = e.target.closest("#account-pay");
    if (form) refresh(form);
  });
  document.addEventListener("click", (e) => {
    const fill = e.target.closest("[data-fill]");
    if (!fill) return;
    const input = $(fill.dataset.fill);
    if (input) { input.value = window.GeraiMoney.shown(fill.dataset.value); input.focus(); refresh(input.form); }
  });
  // Money paid out (a withdrawal, a leaver, a cancellation): the transfer's reference only with
  // Transfer chosen; paid in cash from the drawer there is none to type.
  document.addEventListener("change", (e) => {
    if (e.target.name !== "cara_tarik") return;
    const box = $(".pay-out-reference", e.target.closest("form") || document);
    if (!box) return;
    box.hidden = e.target.value !== "transfer";
    $$("input", box).forEach((input) => { input.disabled = box.hidden; });
    if (!box.hidden) $("input", box).focus();
  });
  // Alt+U: the simpanan sukarela, Alt+A: the kasbon repayment (past every month of wajib), Alt+T:
  // the withdrawal's amount (simpanan sukarela), each when the member's panel has it.
  const FIELDS = { KeyU: "#sukarela", KeyA: "#angsuran", KeyT: "#tarik" };
  document.addEventListener("keydown", (e) => {
    if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || !FIELDS[e.code]) return;
    const field = $(`#account-panel ${FIELDS[e.code]}`);
    if (!field || ($("#approval-dialog") && $("#approval-dialog").children.length)) return;
    e.preventDefault();
    field.focus();
  });
  // Enter on a ticked box or a radio sends the form too (keyboard first); on a box not ticked
  // it sends nothing (a month left unticked was paid for the one ticked before it).
  document.addEventListener("keydown", (e) => {
    if (e.key !== "Enter" || !e.target.closest("#account-pay, #account-withdraw")) return;
    if (e.target.type === "checkbox" || e.target.type === "radio") {
      e.preventDefault();
      if (e.target.type === "radio" || e.target.checked) e.target.form.requestSubmit();
    }
  });
  // A scanner on the member's panel (static/js/scanburst.js): its Enter sent the payment, a
  // product's code in Simpanan sukarela was saved as Rp89.900.100 in cash. A member card opens
  // that member (as scanned into Anggota); any other code is refused and the field keeps what
  // it held: nothing is sent. A bank reference typed fast stays typed (only 8-14 digits are a
  // scan there, as at the till).
  const find = () => $("#account-find");
  function isCard(code) {
    const prefix = (find() && find().dataset.cardPrefix) || "";
    if (!prefix || !/^[0-9]{13}$/.test(code) || !code.startsWith(prefix)) return false;
    const sum = code.slice(0, 12).split("").reduce((s, d, i) => s + Number(d) * (i % 2 ? 3 : 1), 0);
    return (10 - (sum % 10)) % 10 === Number(code[12]);
  }
  const choice = (field) => field.matches("[data-rp], [type=checkbox], [type=radio], button, a");
  window.GeraiBurst.watch((field) => Boolean(field.closest && field.closest("#account-panel")), (code, field) => {
    if (isCard(code) && find()) {
      window.GeraiPOS.clearMessages();
      $("#account-q").value = code;
      find().requestSubmit();
      return;
    }
    field.dispatchEvent(new Event("input", { bubbles: true }));   // the total as it was
    const where = field.matches("[data-rp]") ? "di kolom uang" : "di formulir setoran";
    window.GeraiPOS.showMessage(`Kode ${code} dipindai ${where}; tidak dipakai di sini. Tidak ada yang ` +
      "disimpan. Untuk anggota lain, pindai kartunya.");
    if (document.contains(field)) field.focus();
  }, (code, field) => choice(field) || isCard(code) || /^[0-9]{8,14}$/.test(code));
  // A new panel: focus where the cashier goes next.
  document.addEventListener("htmx:afterSettle", (e) => {
    if (!e.target || e.target.id !== "account-panel") return;
    const next = $("#account-panel input[name=wajib]") || $("#account-panel #sukarela") ||
                 $("#account-panel .account-choice") || $("#account-panel a.btn.primary");
    if (next) next.focus();
    const form = $("#account-pay");
    if (form) refresh(form);
  });
})();
