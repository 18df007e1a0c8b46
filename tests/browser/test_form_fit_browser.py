"""Forms and the A4 label sheet at the four screen sizes, in real Chromium: what the screen-size
sweep cannot see by itself.

- A field's label stands over its own field, never at the end of the line before it (the
  /batas form had no layout: "Periode" ended one line, its select began the next, the Aktif
  checkbox was 13 px; a barcode's "Isi per pindaian" ended the row and its field wrapped under
  "Barcode"); the form stays inside the screen, its fields of a usable width and its checkbox
  a touch target.
- In the grid forms (``.catalog-form``) the fields of one row have their labels level and their
  inputs level, a hint hanging under its input and a checkbox level with the inputs: the grid
  aligned each field's bottom, so a field with a hint under its input raised its label and its
  input above its neighbours' (on /staf at 1366x768 the labels of one row were 56 px apart).
- The A4 label sheet is a POST's answer, which the sweep (GET screens) never opens: at 800 px
  it was 794 px wide in a 768 px column and the page scrolled sideways; on screen it shrinks
  to the column and keeps A4's shape, printed it is 210 mm x 297 mm exactly.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_counts_browser import piece_goods
from tests.browser.test_receiving_browser import sign_in, watch_errors
from tests.browser.test_screen_sizes_browser import LAYOUT, SIZES

pytestmark = pytest.mark.browser

# For each form: every label[for] over its field, the fields inside the form and the screen.
FIELDS = """forms => {
  const problems = [], width = window.innerWidth;
  const box = e => e.getBoundingClientRect();
  for (const selector of forms) {
    const form = document.querySelector(selector);
    if (!form) { problems.push(`no ${selector}`); continue; }
    const f = box(form);
    if (f.left < 0 || f.right > width + 1) problems.push(`${selector} runs off the screen`);
    for (const label of form.querySelectorAll('label[for]')) {
      const field = document.getElementById(label.htmlFor), l = box(label), c = box(field);
      const what = `${selector} "${label.textContent.trim()}"`;
      if (field.type === 'checkbox') {
        if (c.width < 22 || c.height < 22) problems.push(`${what}: checkbox ${c.width}x${c.height}px`);
        continue;
      }
      if (!(l.bottom <= c.top + 2 && l.left < c.right && c.left < l.right))
        problems.push(`${what} is not over its field (label ${l.left},${l.top}-${l.right},${l.bottom}; ` +
                      `field ${c.left},${c.top}-${c.right},${c.bottom})`);
      if (c.right > f.right + 1) problems.push(`${what}: its field runs out of the form`);
      if (c.width < 80) problems.push(`${what}: its field is ${c.width}px wide`);
    }
  }
  return problems;
}"""


def test_labels_stand_over_their_fields_at_every_size(live, page):
    base, app = live
    product_id, *_ = piece_goods(app)
    errors = watch_errors(page)
    sign_in(page, base, "manajer1", "9999")
    screens = {f"/katalog/{product_id}": ["#barcodes form.add-form", "#packs form.add-form"],
               "/batas/1": ["#limit-form"]}
    problems = []
    for path, forms in screens.items():
        page.goto(f"{base}{path}")
        for width, height in SIZES:
            page.set_viewport_size({"width": width, "height": height})
            problems += [f"{path} {width}x{height}: {p}" for p in page.evaluate(FIELDS, forms)]
    assert problems == []
    assert errors == []


# For each grid form: fields whose boxes share a line of the screen are one row of the grid;
# in a row the labels' tops are level, the inputs' tops are level, a checkbox is level with
# the inputs (centre on centre).
ROWS = """forms => {
  const problems = [];
  for (const selector of forms) {
    const form = document.querySelector(selector);
    if (!form) { problems.push(`no ${selector}`); continue; }
    const fields = [...form.querySelectorAll(':scope > .field')].map(field => {
      const control = field.querySelector('input:not([type=hidden]), select, textarea');
      const label = field.querySelector('label');
      return {flag: control.type === 'checkbox', box: field.getBoundingClientRect(),
              label: label.getBoundingClientRect(), control: control.getBoundingClientRect(),
              name: label.textContent.trim()};
    });
    for (const a of fields) for (const b of fields) {
      if (a === b || a.box.left >= b.box.left) continue;  // each pair once, left to right
      if (!(a.box.top < b.box.bottom && b.box.top < a.box.bottom)) continue;  // not one row
      const what = `${selector} "${a.name}" and "${b.name}"`;
      if (!a.flag && !b.flag) {
        if (Math.abs(a.label.top - b.label.top) > 1)
          problems.push(`${what}: labels' tops ${a.label.top} and ${b.label.top}`);
        if (Math.abs(a.control.top - b.control.top) > 1)
          problems.push(`${what}: inputs' tops ${a.control.top} and ${b.control.top}`);
      } else if (a.flag !== b.flag) {
        const centre = r => (r.top + r.bottom) / 2;
        if (Math.abs(centre(a.control) - centre(b.control)) > 1)
          problems.push(`${what}: checkbox's centre ${centre(a.flag ? a.control : b.control)}, ` +
                        `input's ${centre(a.flag ? b.control : a.control)}`);
      }
    }
  }
  return problems;
}"""


def test_a_grid_forms_row_has_its_labels_and_inputs_level_at_every_size(live, page):
    base, app = live
    product_id, *_ = piece_goods(app)
    errors = watch_errors(page)
    sign_in(page, base, "manajer1", "9999")
    screens = {"/katalog": ["#new-product form"], f"/katalog/{product_id}": ["form.catalog-form"],
               "/anggota/baru": ["#member-edit"], "/staf": ["#staff-add"]}
    problems = []
    for path, forms in screens.items():
        page.goto(f"{base}{path}")
        for width, height in SIZES:
            page.set_viewport_size({"width": width, "height": height})
            problems += [f"{path} {width}x{height}: {p}" for p in page.evaluate(ROWS, forms)]
    assert problems == []
    assert errors == []


def test_the_a4_label_sheet_fits_every_screen_and_prints_at_a4(live, page):
    base, app = live
    _, code, name, _ = piece_goods(app)
    sign_in(page, base, "gudang1", "2222")
    page.goto(f"{base}/barang/label")
    page.get_by_label("Cari nama, SKU atau barcode barang").click()
    page.keyboard.type(code, delay=5)
    page.keyboard.press("Enter")
    expect(page.locator("#label-rows tr")).to_contain_text(name)
    page.get_by_role("button", name="Buat label").click()
    expect(page.locator(".sheet")).to_have_count(1)
    sheet = """() => { const main = document.querySelector('main'), style = getComputedStyle(main);
      const r = document.querySelector('.sheet').getBoundingClientRect();
      return {left: r.left, right: r.right, width: r.width, height: r.height, screen: innerWidth,
              column: main.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)}; }"""
    a4 = 210 * 96 / 25.4  # 210 mm in CSS px
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        assert page.evaluate(LAYOUT) == [], f"{width}x{height}"
        r = page.evaluate(sheet)
        assert r["left"] >= 0 and r["right"] <= r["screen"], (width, r)
        assert r["width"] >= min(a4, r["column"]) - 1, (width, r)          # as wide as it can be
        assert abs(r["height"] / r["width"] - 297 / 210) < 0.01, (width, r)  # A4's shape
    page.emulate_media(media="print")
    r = page.evaluate(sheet)
    assert abs(r["width"] - a4) < 1 and abs(r["height"] - 297 * 96 / 25.4) < 1, r
