"""A SHU run as a ``sheets.Sheet`` (the per-member list on screen and in XLSX, one writer),
its summary (the allocation, the XLSX's first sheet "Ringkasan"), the parts table, and one
member's slip (what the printable page and the CLI show)."""
from __future__ import annotations

from pos.clock import to_local, zone_abbreviation
from pos.ledger_hub import shu
from pos.ledger_hub.sheets import Column, Sheet, to_xlsx
from pos.ledger_hub.shu_runs import BOOK_ZONE, Run
from pos.money import format_rate, format_rupiah

STATUS = {"simulation": "Simulasi (belum disahkan)", "frozen": "Dibekukan (disahkan rapat anggota)"}
COLUMNS = [Column("No. anggota"), Column("Nama"), Column("Belanja setahun (V_a)", "rupiah"),
           Column("Simpanan (S_a)", "rupiah"), Column("Jasa anggota", "rupiah"),
           Column("Jasa modal", "rupiah"), Column("SHU diterima", "rupiah")]


def sheet(run: Run) -> Sheet:
    """Every member's line and the totals row: the screen's table and the XLSX alike."""
    out = Sheet("shu", f"SHU tahun buku {run.year}",
                f"{STATUS[run.status]}; SHU dibagi {format_rupiah(run.pool)}", COLUMNS)
    for x in run.lines:
        out.add(x.number, x.name, x.purchases, x.savings, x.jasa_anggota, x.jasa_modal, x.total)
    out.add("Jumlah", f"{len(run.lines)} anggota", sum(x.purchases for x in run.lines),
            sum(x.savings for x in run.lines), sum(x.jasa_anggota for x in run.lines),
            sum(x.jasa_modal for x in run.lines), run.members_total, style="total")
    return out


def when(moment) -> str:
    """A stored UTC moment as the screen says it, in the books' zone: ``10-02-2026 10:00 WIB``."""
    return f"{to_local(moment, BOOK_ZONE):%d-%m-%Y %H:%M} {zone_abbreviation(BOOK_ZONE)}"


def _percent(bp: int) -> str:
    return f"{format_rate(bp, fixed=True)}%"


def summary_sheet(run: Run) -> Sheet:
    """The allocation the screen shows above the table, for the members' meeting: the PHU and
    the pool, the member / non-member split, each part's percentage and Rupiah, the basis of
    jasa modal, the members' total and the run's status (who simulated, who froze it, when)."""
    f, split = run.figures, run.settings["split"]
    made = f"disimulasikan {when(run.created_at)} oleh {run.created_by}"
    frozen = f"{when(run.frozen_at)} oleh {run.frozen_by}" if run.frozen else ""
    out = Sheet("shu_ringkasan", f"Ringkasan SHU tahun buku {run.year}",
                f"{STATUS[run.status]}; {made}" + (f"; dibekukan {frozen}" if frozen else ""),
                [Column("Uraian"), Column("Persentase"), Column("Rupiah", "rupiah")], tab="Ringkasan")
    out.add(f"PHU tahun {run.year} (laporan PHU semua gerai)", None, f["phu"])
    out.add("Penjualan anggota", None, f["member_revenue"])
    out.add("Penjualan bukan anggota", None, f["non_member_revenue"])
    out.add("SHU dibagi" + (" (disesuaikan)" if f["pool_adjusted"] else ""), None, run.pool, style="subtotal")
    out.add("Bagian usaha anggota", None, f["member_share"])
    out.add("Bagian usaha bukan anggota (ke cadangan)", None, f["non_member_share"])
    out.add("Pembagian bagian usaha anggota menurut AD/ART", style="heading")
    for part in shu.PARTS:
        out.add(shu.LABELS[part], _percent(split[part]), f["parts"][part])
    out.add("Jumlah bagian usaha anggota", _percent(sum(split.values())), f["member_share"], style="total")
    out.add("Cadangan seluruhnya", None, f["reserve_total"], style="subtotal")
    out.add("Anggota", style="heading")
    out.add("Dasar jasa modal", shu.SAVINGS_BASES[run.settings["savings_basis"]], None)
    out.add("Belanja anggota setahun (VUK)", None, f["vuk"])
    out.add("Simpanan anggota (TMS)", None, f["tms"])
    out.add("Jasa anggota per Rp1.000 belanja", None, f["rate_jasa_anggota"])
    out.add("Jasa modal per Rp1.000 simpanan", None, f["rate_jasa_modal"])
    out.add("SHU diterima anggota", f"{len(run.lines)} anggota", run.members_total, style="total")
    out.add("Status", style="heading")
    out.add("Status", STATUS[run.status], None)
    out.add("Disimulasikan", f"{when(run.created_at)} oleh {run.created_by}", None)
    out.add("Dibekukan", frozen or "belum", None)
    return out


def xlsx(run: Run) -> bytes:
    """The file the board takes to the members' meeting: the summary first (the sheet it opens
    on, "Ringkasan"), then the members' table as the screen shows it (its columns unchanged)."""
    return to_xlsx(summary_sheet(run), sheet(run))


def parts(run: Run) -> list[tuple[str, int, int]]:
    """(label, basis points, Rupiah) of each part of the member share, then the reserve in all."""
    split, amounts = run.settings["split"], run.figures["parts"]
    rows = [(shu.LABELS[part], split[part], amounts[part]) for part in shu.PARTS]
    return rows


def summary_lines(run: Run) -> list[str]:
    """The run's figures as text lines (CLI and the screen's heading)."""
    f = run.figures
    return [f"SHU tahun {run.year}: {STATUS[run.status]}",
            f"PHU tahun {run.year} (laporan PHU semua gerai): {format_rupiah(f['phu'])}; penjualan "
            f"anggota {format_rupiah(f['member_revenue'])}, "
            f"bukan anggota {format_rupiah(f['non_member_revenue'])}",
            f"SHU dibagi: {format_rupiah(run.pool)}" + (" (disesuaikan)" if f["pool_adjusted"] else ""),
            f"Bagian usaha anggota: {format_rupiah(f['member_share'])}; bagian bukan anggota ke cadangan: "
            f"{format_rupiah(f['non_member_share'])}",
            *(f"  {label} ({bp // 100},{bp % 100:02d}%): {format_rupiah(amount)}"
              for label, bp, amount in parts(run)),
            f"Cadangan seluruhnya: {format_rupiah(f['reserve_total'])}",
            f"Jasa anggota per Rp1.000 belanja: {format_rupiah(f['rate_jasa_anggota'])}; "
            f"jasa modal per Rp1.000 simpanan: {format_rupiah(f['rate_jasa_modal'])}",
            f"{len(run.lines)} anggota menerima {format_rupiah(run.members_total)}"]


def slip(run: Run, number: str) -> dict:
    """One member's slip: who, the basis, the formula with the year's totals, the amounts."""
    line = run.line(number)
    f = run.figures
    return {"year": run.year, "status": STATUS[run.status], "frozen": run.frozen, "number": line.number,
            "name": line.name, "purchases": line.purchases, "savings": line.savings,
            "vuk": f["vuk"], "tms": f["tms"], "jua": f["parts"]["jasa_anggota"],
            "jma": f["parts"]["jasa_modal"], "jasa_anggota": line.jasa_anggota,
            "jasa_modal": line.jasa_modal, "total": line.total,
            "savings_basis": shu.SAVINGS_BASES[run.settings["savings_basis"]],
            "frozen_at": run.frozen_at, "frozen_by": run.frozen_by}


def slip_lines(run: Run, number: str) -> list[str]:
    s = slip(run, number)
    return [f"SLIP SHU TAHUN BUKU {s['year']} ({s['status']})",
            f"Anggota: {s['number']} {s['name']}",
            f"Belanja setahun (V_a): {format_rupiah(s['purchases'])} dari {format_rupiah(s['vuk'])}",
            f"  Jasa anggota = V_a / VUK x {format_rupiah(s['jua'])} = {format_rupiah(s['jasa_anggota'])}",
            f"{s['savings_basis']} (S_a): {format_rupiah(s['savings'])} dari {format_rupiah(s['tms'])}",
            f"  Jasa modal = S_a / TMS x {format_rupiah(s['jma'])} = {format_rupiah(s['jasa_modal'])}",
            f"SHU diterima: {format_rupiah(s['total'])}"]
