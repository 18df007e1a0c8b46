"""The audit log: who did what sensitive and when, one time-ordered list merged in SQL
(UNION ALL) from the logs the other packages keep: logins and logouts (``staff_session``),
overrides and approvals (``manager_override``), names and PINs refused in an approval dialog
(``refused_approval``), price, cost and HET changes and the catalog's
other product changes (``price_change``), setting changes (``outlet_setting_change``), drawer openings
(``drawer_event``; one while no shift was open at its till names the till, ``di luar shift``), till
events (``till_event``), returns (``sale_return``), lines voided before payment (``cart_void``),
shifts opened and closed (``shift``, with the difference), Kas masuk/keluar (``cash_movement``),
days closed (``business_day``) and changes to staff accounts (``staff_change``). Filter by kind and
by user; the range is of outlet-local dates, turned into UTC bounds once. A new log joins as one
more ``select`` in ``_sources``."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import String, case, cast, exists, func, literal, null, or_, select, union_all
from sqlalchemy.orm import Session, aliased

from pos.approvals.models import Override, RefusedApproval
from pos.approvals.service import KIND_LABELS
from pos.auth.models import StaffChange, StaffSession, User
from pos.clock import to_local
from pos.days.models import BusinessDay
from pos.inventory.catalog import history
from pos.inventory.catalog.models import PriceChange, Product
from pos.reports import audit_stock
from pos.reports.audit_sql import const, difference, no_user, qty, rp, shown, sql_text, words
from pos.reports.shape import Column, Report, page_bounds
from pos.returns.models import CartVoid, SaleReturn
from pos.sales.models import DrawerEvent
from pos.settings import service as settings
from pos.settings.models import OutletSettingChange
from pos.shifts.models import CashDirection, CashMovement, Shift
from pos.tills.models import Till, TillEvent

KINDS = {"login": "Masuk", "logout": "Keluar", "override": "Persetujuan manajer",
         "pin_refused": "PIN persetujuan salah",
         "price": "Ubah harga/pokok", "het": "Ubah HET", "product": "Ubah data barang",
         "setting": "Ubah pengaturan",
         "drawer": "Laci kas dibuka", "till": "Mesin kasir", "return": "Retur",
         "void": "Hapus sebelum bayar", "shift_open": "Buka shift",
         "shift_close": "Tutup shift", "cash": "Kas masuk/keluar", "day_close": "Tutup hari",
         "staff": "Akun staf", **audit_stock.KINDS}
CATALOG_KINDS = ("price", "het", "product")  # the kinds of the catalog's change log
# Who changed a staff account or a till's devices when no one signed in did: the ``pos user`` and
# ``pos till`` commands (as /staf says).
COMMAND_LINE = "perintah pos (mini-PC)"
COLUMNS = [Column("at", "Waktu", "time"), Column("kind", "Jenis"), Column("user", "Oleh"),
           Column("approver", "Disetujui"), Column("detail", "Keterangan")]


def utc_bounds(start: date, end: date, zone: str) -> tuple[datetime, datetime]:
    """Naive-UTC [from, to) of the outlet-local dates ``start`` to ``end``."""
    def utc(day: date) -> datetime:
        return datetime.combine(day, time()).replace(tzinfo=ZoneInfo(zone)).astimezone(ZoneInfo("UTC")) \
            .replace(tzinfo=None)
    return utc(start), utc(end + timedelta(days=1))


TILL_EVENTS = {"take": "mulai memakai", "leave": "keluar", "release": "dilepas manajer",
               "continue": "melanjutkan keranjang yang ditinggal",
               "empty": "mengosongkan keranjang yang ditinggal", "devices": "perangkat diubah"}
LOGOUTS = {"keluar": "keluar", "idle": "terlalu lama tidak dipakai",
           "pin": "PIN diganti", "nonaktif": "akun dinonaktifkan"}
MONEY_FIELDS = ("price", "cost", "het")
_PART = "\x1c"  # between a setting's key, old and new value (no stored text holds it)
_SQL_PART = literal(_PART, String)  # a plain String: a stored column's type would clean it away


def _field_change():
    """``Harga jual Rp10.000 -> Rp11.000``, ``LPG 3 kg - -> Tabung baru``, ``Barang baru``: the
    catalog log's field in Indonesian with its old and new value."""
    def value(amount, as_words):
        money = case((PriceChange.field.in_(MONEY_FIELDS) & amount.is_not(None), rp(amount)),
                     else_=cast(amount, String))
        return func.coalesce(as_words, money, "-")
    label = case(*((PriceChange.field == field, literal(text, String))
                   for field, text in history.LABELS.items()), else_=PriceChange.field)
    return label + case((PriceChange.field == "created", ""),
                        else_=" " + value(PriceChange.old, PriceChange.old_text) + " -> "
                        + value(PriceChange.new, PriceChange.new_text))


def _sources(low: datetime, high: datetime) -> dict[str, object]:
    def within(column):
        return (column >= low, column < high)
    none = cast(null(), String)
    return {
        "login": select(StaffSession.created_at.label("at"), const("login").label("kind"),
                        StaffSession.user_id.label("user_id"), no_user().label("approver_id"),
                        ("alamat " + StaffSession.address).label("detail"))
        .where(*within(StaffSession.created_at)),
        "logout": select(StaffSession.ended_at, const("logout"), StaffSession.user_id, no_user(),
                         func.coalesce(words(StaffSession.end_reason, LOGOUTS), none))
        .where(*within(StaffSession.ended_at)),
        "override": select(Override.created_at, const("override"), Override.asked_by,
                           Override.approved_by,
                           Override.description + " (" + words(Override.kind, KIND_LABELS) + "; "
                           + Override.before + " -> "
                           + Override.after + "; alasan: " + Override.reason + ")")
        .where(*within(Override.created_at)),
        "pin_refused": select(RefusedApproval.created_at, const("pin_refused"), RefusedApproval.asked_by,
                              no_user(),
                              "nama " + RefusedApproval.username
                              + case((RefusedApproval.kind == "", ""),
                                     else_=" untuk " + words(RefusedApproval.kind, KIND_LABELS))
                              + func.coalesce(" di " + Till.code, "") + "; alamat " + RefusedApproval.address)
        .outerjoin(Till, Till.id == RefusedApproval.till_id).where(*within(RefusedApproval.created_at)),
        "price": select(PriceChange.changed_at,
                        case((PriceChange.field == "het", const("het")),
                             (PriceChange.field.in_(("price", "cost")), const("price")),
                             else_=const("product")),
                        PriceChange.changed_by, no_user(),
                        Product.sku + " " + Product.name + ": " + _field_change()
                        + func.coalesce("; " + PriceChange.reason, ""))
        .join(Product, Product.id == PriceChange.product_id).where(*within(PriceChange.changed_at)),
        # key, old and new apart (none: empty; a value: "=" before it), worded in ``_detail``
        "setting": select(OutletSettingChange.changed_at, const("setting"), OutletSettingChange.user_id,
                          no_user(), OutletSettingChange.key + _SQL_PART
                          + func.coalesce("=" + OutletSettingChange.old_value, "") + _SQL_PART
                          + func.coalesce("=" + OutletSettingChange.new_value, ""))
        .where(*within(OutletSettingChange.changed_at)),
        "drawer": select(DrawerEvent.created_at, const("drawer"), DrawerEvent.user_id, no_user(),
                         _outside_shift()
                         + case((DrawerEvent.no_sale.is_(True), "Tanpa penjualan: "), else_="")
                         + DrawerEvent.reason + func.coalesce("; gagal: " + DrawerEvent.error, ""))
        .join(Till, Till.id == DrawerEvent.till_id).where(*within(DrawerEvent.created_at)),
        "till": select(TillEvent.created_at, const("till"), TillEvent.user_id, no_user(),
                       Till.code + ": " + words(TillEvent.kind, TILL_EVENTS)
                       + func.coalesce(": " + TillEvent.detail, ""))
        .join(Till, Till.id == TillEvent.till_id).where(*within(TillEvent.created_at)),
        "return": select(SaleReturn.created_at, const("return"), SaleReturn.cashier_id,
                         SaleReturn.approved_by,
                         SaleReturn.return_no + ": " + rp(SaleReturn.refund_total + SaleReturn.rounding)
                         + "; alasan: " + SaleReturn.reason)
        .where(*within(SaleReturn.created_at)),
        "void": select(CartVoid.created_at, const("void"), CartVoid.cashier_id, no_user(),
                       CartVoid.name + " x" + qty(CartVoid.qty, Product.base_unit) + " ("
                       + rp(CartVoid.amount) + "); alasan: " + CartVoid.reason)
        .join(Product, Product.id == CartVoid.product_id).where(*within(CartVoid.created_at)),
        "staff": select(StaffChange.changed_at, const("staff"), StaffChange.changed_by, no_user(),
                        User.username + ": " + StaffChange.detail)
        .join(User, User.id == StaffChange.user_id).where(*within(StaffChange.changed_at)),
        **_drawer_sources(within),
        **audit_stock.stock_sources(within),
    }


def _outside_shift():
    """``KASIR-2, di luar shift: `` before a drawer opened while no shift was open at its till
    (Perangkat's Buka laci, or any other then): in no shift's report, so said here with the till.
    A sale's opening and a no-sale one are in their shift (asked first: the look-up is made only
    for the few others)."""
    in_shift = exists().where(Shift.till_id == DrawerEvent.till_id, Shift.opened_at <= DrawerEvent.created_at,
                              or_(Shift.closed_at.is_(None), Shift.closed_at > DrawerEvent.created_at))
    return case((DrawerEvent.sale_id.is_not(None), ""), (DrawerEvent.shift_id.is_not(None), ""),
                (in_shift, ""), else_=Till.code + ", di luar shift: ")


def _drawer_sources(within) -> dict[str, object]:
    """Shifts opened and closed (the cash's difference beside its figures, every tender's when
    it is another: cash short and QRIS over read Rp0 there; the reason), Kas masuk/keluar,
    days closed; amounts marked (``_rp``)."""
    label = "shift #" + sql_text(Shift.id)
    return {
        "shift_open": select(Shift.opened_at, const("shift_open"), Shift.cashier_id, no_user(),
                             "Buka " + label + ": kas awal " + rp(Shift.opening_float)
                             + func.coalesce("; catatan: " + Shift.opening_note, ""))
        .where(*within(Shift.opened_at)),
        "shift_close": select(Shift.closed_at, const("shift_close"), Shift.closed_by,
                              Shift.approved_by,
                              "Tutup " + label + ": tunai diharapkan " + rp(Shift.expected_cash)
                              + ", dihitung " + rp(Shift.counted_cash) + ", selisih "
                              + difference(Shift.counted_cash - Shift.expected_cash)
                              + case((Shift.difference != Shift.counted_cash - Shift.expected_cash,
                                      "; selisih semua pembayaran " + difference(Shift.difference)),
                                     else_="")
                              + func.coalesce("; alasan: " + Shift.close_reason, ""))
        .where(*within(Shift.closed_at)),
        "cash": select(CashMovement.created_at, const("cash"), CashMovement.user_id,
                       CashMovement.approved_by,
                       case((CashMovement.direction == CashDirection.IN, const("Kas masuk")),
                            else_=const("Kas keluar"))
                       + " " + rp(CashMovement.amount) + "; alasan: " + CashMovement.reason)
        .where(*within(CashMovement.created_at)),
        "day_close": select(BusinessDay.closed_at, const("day_close"), BusinessDay.closed_by,
                            no_user(), sql_text(BusinessDay.business_date))
        .where(*within(BusinessDay.closed_at)),
    }


def audit_log(session: Session, start: date, end: date, *, zone: str, kind: str | None = None,
              user_id: int | None = None, page: int | None = None, per_page: int = 50) -> Report:
    """Newest first; ``kind`` one of ``KINDS`` (``price``, ``het`` and ``product`` all come from the
    catalog's change log)."""
    low, high = utc_bounds(start, end, zone)
    names = ("at", "kind", "user_id", "approver_id", "detail")
    parts = [query.with_only_columns(*[c.label(n) for c, n in
                                       zip(query.selected_columns, names, strict=True)])
             for name, query in _sources(low, high).items()
             if kind is None or name == kind or (kind in CATALOG_KINDS and name == "price")]
    merged = union_all(*parts).subquery()
    where = []
    if kind is not None:
        where.append(merged.c.kind == kind)
    if user_id is not None:
        where.append((merged.c.user_id == user_id) | (merged.c.approver_id == user_id))
    count = session.execute(select(func.count()).select_from(merged).where(*where)).scalar_one()
    who, approver = aliased(User), aliased(User)
    query = (select(merged.c.at, merged.c.kind, who.full_name.label("user"),
                    approver.full_name.label("approver"), merged.c.detail)
             .outerjoin(who, who.id == merged.c.user_id)
             .outerjoin(approver, approver.id == merged.c.approver_id)
             .where(*where).order_by(merged.c.at.desc(), merged.c.kind))
    if page is not None:
        limit, offset = page_bounds(page, per_page)
        query = query.limit(limit).offset(offset)
    rows = [{"at": to_local(row.at, zone).replace(tzinfo=None), "kind": KINDS.get(row.kind, row.kind),
             "user": row.user or (COMMAND_LINE if row.kind in ("staff", "till") else ""),
             "approver": row.approver or "",
             "detail": _detail(row.kind, row.detail or "")}
            for row in session.execute(query)]
    return Report("audit", "Log audit", list(COLUMNS), rows, None, int(count), page or 1, per_page)


def _detail(kind: str, text: str) -> str:
    """Marked amounts as Rupiah (``Rp330.000``, none: ``-``), marked quantities in their unit
    (``2,5 liter``); a closed day's row holds its ISO date, people read dd-mm-yyyy."""
    text = shown(text)
    if kind == "setting":
        key, _, values = text.partition(_PART)
        old, _, new = values.partition(_PART)
        return (f"{settings.LABELS.get(key, key)}: {settings.brief(key, old[1:] if old else None)} -> "
                f"{settings.brief(key, new[1:] if new else None)}")
    if kind == "day_close":
        try:
            return f"Tutup hari {date.fromisoformat(text[:10]):%d-%m-%Y}"
        except ValueError:
            return f"Tutup hari {text}"
    return text


def staff_choices(session: Session) -> list[tuple[int, str]]:
    """Every staff user (id, name) for the log's user filter."""
    return [(row.id, row.full_name) for row in
            session.execute(select(User.id, User.full_name).order_by(User.full_name))]
