"""A SHU run as a ``sheets.Sheet`` (the per-member list on screen and in XLSX, one writer),
the parts table, and one member's slip (what the printable page and the CLI show)."""
from __future__ import annotations

from pos.ledger_hub import shu
from pos.ledger_hub.sheets import Column, Sheet, to_xlsx
from pos.ledger_hub.shu_runs import Run
from pos.money import format_rupiah

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


def xlsx(run: Run) -> bytes:
    return to_xlsx(sheet(run))


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
