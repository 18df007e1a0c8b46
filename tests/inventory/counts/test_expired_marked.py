"""An expired batch is marked as such where a clerk picks a batch to count or to adjust: the
pickers listed "PCT-LAMA · ED 01-11-2026" beside good batches, and a count or a write-off went
on the wrong one when the clerk meant the batch on the shelf. Expired is as the till and
Daftar stok take it: on or before the outlet's business date."""
from __future__ import annotations

from datetime import timedelta

from pos.clock import business_date, utcnow
from pos.inventory import stock
from pos.inventory.models import MovementKind
from tests.factories import login, make_product, make_user

HX = {"HX-Request": "true"}


def _options(html: str, select_id: str) -> list[str]:
    part = html.split(f'id="{select_id}"', 1)[1].split("</select>", 1)[0]
    return [o.split(">", 1)[1].split("</option>", 1)[0] for o in part.split("<option")[1:]]


def test_the_count_and_adjustment_pickers_mark_an_expired_batch(app, db):
    today = business_date(utcnow(), app.config["TIMEZONE"])
    with db.transaction() as s:
        clerk = make_user(s, "gudang1", "clerk").id
        obat = make_product(s, name="Paracetamol", business_unit="apotek", cost=4_000,
                            batch_tracked=True, category="Obat")
        moves = []
        for number, expiry in (("PCT-LAMA", today), ("PCT-BARU", today + timedelta(days=200)),
                               ("PCT-KEMARIN", today - timedelta(days=1))):
            moves.append(stock.Move(obat.id, 4, True, "uji", stock.ensure_batch(s, obat.id, number, expiry)))
        stock.apply(s, moves, MovementKind.RECEIPT)
        product = obat.id
    client = app.test_client()
    login(client, clerk)
    count = client.post("/opname", data={"scope": "all"}).headers["Location"].rsplit("/", 1)[1]
    entry = client.get(f"/opname/{count}/pilih?product_id={product}", headers=HX).get_data(as_text=True)
    adjust = client.get(f"/penyesuaian/pilih?product_id={product}", headers=HX).get_data(as_text=True)
    for options in (_options(entry, "count-batch"), _options(adjust, "adjust-batch")):
        marked = {o.split(" ")[0]: "kedaluwarsa" in o for o in options if o.startswith("PCT")}
        assert marked == {"PCT-LAMA": True, "PCT-BARU": False, "PCT-KEMARIN": True}
    table = adjust.split('id="adjust-batches"', 1)[1].split("</table>", 1)[0]
    rows = {r.split("<td>", 1)[1].split("</td>", 1)[0]: "kedaluwarsa" in r
            for r in table.split("<tr>")[2:] if r.strip().startswith("<td>PCT")}
    assert rows == {"PCT-LAMA": True, "PCT-BARU": False, "PCT-KEMARIN": True}
