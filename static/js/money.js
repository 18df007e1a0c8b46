/* Money fields (data-rp): the amount is grouped with dots as it is typed, 1000000 shows as
 * 1.000.000, so a zero too many or too few is seen before it is paid or saved.  The caret
 * stays after the digit it was after; Backspace just after a dot (Delete just before one)
 * takes the digit beside it, not only the dot.  A leading zero left by deleting the first
 * digit stays while the field is being typed in (1.050.000 without its 1 is 050.000, so the 2
 * typed next makes 2.050.000) and goes when the field is left.  Ctrl+Z puts back what the
 * field held when the cashier came to it (the browser's own undo mixed old and new digits once
 * the field had been regrouped), Ctrl+Y (Ctrl+Shift+Z) what was undone.  Text that is not an
 * amount (Rp, a comma, a letter) is left as typed: the server says what is wrong with it
 * (pos.money.parse_rupiah, which reads both 1000000 and 1.000.000).  So is a dot the cashier
 * typed or pasted that does not group thousands (20000.5, 118.00: a decimal point, which a
 * Rupiah amount has none of): regrouping would make it 200.005 or 11.800, amounts the server
 * takes, where as typed it refuses them with a message; the field groups again once its text
 * is an amount again.  ``amount`` reads a field
 * for the screens' live totals by the server's rules. */
(function () {
  "use strict";
  const AMOUNT = /^-?[0-9.]*$/;

  function group(digits) { return digits.replace(/\B(?=(\d{3})+(?!\d))/g, "."); }
  // An amount (a number or a string of digits) as a money field shows it.
  function shown(amount) {
    const text = String(amount);
    if (!/^-?[0-9]+$/.test(text)) return text;
    const sign = text.startsWith("-") ? "-" : "";
    return sign + group(text.slice(sign.length).replace(/^0+(?=\d)/, ""));
  }
  // What the server reads in a money field (50000, 50.000, Rp50.000, 50.000,- or 50.000,00);
  // ``signed`` also -12.000.  null for anything else (a total then shows nothing, not a guess).
  function amount(text, signed) {
    let t = String(text || "").trim();   // a space only after Rp: 1 2 3 4 is no amount
    const negative = signed && t.startsWith("-");
    if (negative) t = t.slice(1).trim();
    t = t.replace(/^rp\.?\s*/i, "").replace(/(,-|,00)$/, "");
    if (!/^([0-9]{1,3}(\.[0-9]{3})+|[0-9]+)$/.test(t)) return null;
    const value = parseInt(t.replace(/\./g, ""), 10);
    if (!Number.isSafeInteger(value)) return null;   // beyond a float's whole numbers: a typo
    return negative ? -value : value;
  }
  function digitsIn(text) { return text.replace(/[^0-9]/g, ""); }
  function isMoney(el) { return el && el.matches && el.matches("input[data-rp]"); }
  function put(input, value) {
    input.value = value;
    if (document.activeElement === input) input.setSelectionRange(value.length, value.length);
  }

  const before = new WeakMap();   // field -> its value before this edit
  const raw = new WeakSet();      // fields holding a dot the cashier put where no group ends
  const entered = new WeakMap();  // field -> its value when the focus came to it
  const undone = new WeakMap();   // field -> the value Ctrl+Z took away
  document.addEventListener("focusin", (e) => {
    if (isMoney(e.target)) { entered.set(e.target, e.target.value); undone.delete(e.target); }
  });
  function history(input, redo) {
    if (!redo && entered.has(input) && input.value !== entered.get(input)) {
      undone.set(input, input.value);
      put(input, entered.get(input));
    } else if (redo && undone.has(input)) {
      put(input, undone.get(input));
      undone.delete(input);
    } else return;
    input.dispatchEvent(new Event("input", { bubbles: true }));   // live totals follow
  }
  document.addEventListener("keydown", (e) => {
    if (!isMoney(e.target) || !(e.ctrlKey || e.metaKey) || e.altKey) return;
    const key = e.key.toLowerCase();
    if (key !== "z" && key !== "y") return;
    e.preventDefault();
    history(e.target, key === "y" || e.shiftKey);
  });
  document.addEventListener("beforeinput", (e) => {
    const input = e.target;
    if (!isMoney(input)) return;
    if (e.inputType === "historyUndo" || e.inputType === "historyRedo") {   // the menu's Undo
      e.preventDefault();
      history(input, e.inputType === "historyRedo");
      return;
    }
    before.set(input, input.value);
  });
  document.addEventListener("input", (e) => {
    const input = e.target;
    if (!isMoney(input) || !AMOUNT.test(input.value)) return;
    const typed = e.data ?? (e.dataTransfer ? e.dataTransfer.getData("text/plain") : "");
    const wasRaw = raw.has(input);
    if ((typed && typed.includes(".") || wasRaw) && amount(input.value) === null && input.value) {
      raw.add(input);          // as typed: the server refuses it, and says why
      return;
    }
    raw.delete(input);
    const value = input.value, was = before.get(input) || "";
    const sign = value.startsWith("-") ? "-" : "";
    let digits = digitsIn(value);
    let left = digitsIn(value.slice(0, input.selectionStart ?? value.length)).length;
    // Only a dot went: the key meant the digit beside it (not the cashier's own stray dot).
    if (!wasRaw && digits === digitsIn(was) && value.length < was.length) {
      if (e.inputType === "deleteContentBackward" && left > 0) {
        digits = digits.slice(0, left - 1) + digits.slice(left);
        left -= 1;
      } else if (e.inputType === "deleteContentForward") {
        digits = digits.slice(0, left) + digits.slice(left + 1);
      }
    }
    const out = sign + group(digits);
    let caret = sign.length;
    for (let seen = 0; seen < left && caret < out.length; caret++) if (out[caret] !== ".") seen++;
    if (out !== value) {
      input.value = out;
      if (document.activeElement === input) input.setSelectionRange(caret, caret);
    }
    before.set(input, out);
  }, true);
  // Leaving the field: 050.000 reads 50.000.
  document.addEventListener("change", (e) => {
    const input = e.target;
    if (!isMoney(input) || !AMOUNT.test(input.value) || raw.has(input)) return;
    const sign = input.value.startsWith("-") ? "-" : "", digits = digitsIn(input.value);
    if (digits) input.value = sign + group(digits.replace(/^0+(?=\d)/, ""));
  }, true);

  window.GeraiMoney = { shown, amount };
})();
