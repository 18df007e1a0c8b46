"""The audit log's stock and price-rule sources (``pos.reports.audit`` merges them): a stock
adjustment or write-off approved or rejected, a stock count approved or cancelled, a goods
receipt's correction approved (each with who asked, who decided and whether it was the same
person, allowed only by ``POS_SELF_APPROVAL``), a delivery rejected whole cancelled, and a
member discount, member price or quantity price changed (``price_rule_change``), and a
buyer-limit rule made or changed (``limit_rule_change``)."""
from __future__ import annotations

from sqlalchemy import and_, case, func, literal, select
from sqlalchemy.orm import aliased

from pos.inventory.catalog.models import Category, Product
from pos.inventory.counts.models import (
    AdjustmentKind,
    ApprovalStatus,
    CountLine,
    CountSession,
    CountStatus,
    StockAdjustment,
)
from pos.inventory.models import Batch
from pos.inventory.receiving.models import GoodsReceipt, ReceiptStatus
from pos.limits.models import LimitRule, LimitRuleChange
from pos.prices.models import PriceRuleChange
from pos.reports.audit_sql import const, no_user, qty, rate, rp, sql_text, words
from pos.reports.sales import UNIT_LABELS

KINDS = {"stock_adjustment": "Penyesuaian stok", "stock_count": "Stok opname",
         "receipt_correction": "Koreksi penerimaan", "receipt_cancel": "Batal penerimaan",
         "price_rule": "Ubah harga anggota/grosir", "limit_rule": "Ubah batas per pembeli"}
LIMIT_WORDS = {"created": "Batas baru", "name": "Nama", "max_qty": "Paling banyak", "period": "Periode",
               "buyer": "Pembeli", "active": "Aktif", "note": "Catatan"}
RULE_WORDS = {"diskon_unit": "Diskon anggota unit ", "diskon_kategori": "Diskon anggota kategori ",
              "harga_anggota": "Harga anggota ", "grosir": "Harga grosir "}
_SELF = " (persetujuan sendiri)"


def _self(flag):
    return case((flag, _SELF), else_="")


def stock_sources(within) -> dict[str, object]:
    """One ``select`` per kind: (at, kind, user, approver, detail) as ``audit._sources``."""
    adj, count = StockAdjustment, CountSession
    approved_count = count.status == CountStatus.APPROVED
    lines = select(func.count()).where(CountLine.session_id == count.id).scalar_subquery()
    differ = select(func.count()).where(CountLine.session_id == count.id,
                                        CountLine.counted != CountLine.expected).scalar_subquery()
    original = aliased(GoodsReceipt)
    fix = GoodsReceipt
    return {
        "stock_adjustment": select(
            adj.decided_at, const("stock_adjustment"), adj.requested_by, adj.decided_by,
            case((adj.kind == AdjustmentKind.WRITEOFF, "Pemusnahan #"), else_="Penyesuaian #")
            + sql_text(adj.id)
            + case((adj.status == ApprovalStatus.APPROVED, " disetujui"), else_=" ditolak")
            + _self(adj.self_approved) + ": " + Product.sku + " " + Product.name + " "
            + qty(adj.qty, Product.base_unit, pcs=True, signed=True)
            + func.coalesce(", batch " + Batch.batch_no, "")
            + "; alasan: " + adj.reason)
        .join(Product, Product.id == adj.product_id).outerjoin(Batch, Batch.id == adj.batch_id)
        .where(adj.status != ApprovalStatus.PENDING, *within(adj.decided_at)),
        # a cancelled count's approved_by is who cancelled it: they are its user, with no approver
        "stock_count": select(
            count.approved_at, const("stock_count"),
            case((approved_count, count.created_by), else_=count.approved_by),
            case((approved_count, count.approved_by), else_=no_user()),
            "Stok opname " + count.number
            + case((approved_count, " disetujui" + _self(count.self_approved)), else_=" dibatalkan")
            + ": " + sql_text(lines) + " baris dihitung, " + sql_text(differ) + " berselisih")
        .where(count.status != CountStatus.OPEN, *within(count.approved_at)),
        "receipt_correction": select(
            fix.posted_at, const("receipt_correction"), fix.created_by, fix.approved_by,
            fix.number + " mengoreksi " + original.number + " (surat jalan " + original.delivery_note
            + ")" + _self(fix.self_approved) + func.coalesce("; alasan: " + fix.note, ""))
        .join(original, original.id == fix.reverses_id)
        .where(fix.status == ReceiptStatus.POSTED, *within(fix.posted_at)),
        "receipt_cancel": select(   # a delivery rejected whole, posted by mistake (``cancel``)
            fix.cancelled_at, const("receipt_cancel"), fix.cancelled_by, no_user(),
            fix.number + " (surat jalan " + fix.delivery_note + ", ditolak seluruhnya) dibatalkan"
            + "; alasan: " + func.coalesce(fix.cancel_reason, ""))
        .where(fix.cancelled_at.is_not(None), *within(fix.cancelled_at)),
        "price_rule": _price_rules(within),
        "limit_rule": _limit_rules(within),
    }


def _price_rules(within):
    """``Harga anggota SBK-0001 Indomie: Rp3.000 -> Rp2.900``, ``Diskon anggota unit Sembako:
    2% -> 2,5%``, ``Harga grosir SBK-0001 Indomie mulai 10: - -> Rp2.800``."""
    change = PriceRuleChange
    is_rate = change.kind.in_(("diskon_unit", "diskon_kategori"))

    def value(column):
        return case((is_rate, rate(column)), else_=rp(column))
    scope = case((change.kind == "diskon_unit", words(change.business_unit, UNIT_LABELS)),
                 (change.kind == "diskon_kategori", func.coalesce(Category.name, "")),
                 else_=func.coalesce(Product.sku + " " + Product.name, ""))
    tier = case((and_(change.kind == "grosir", change.min_qty.is_not(None)),
                 " mulai " + qty(change.min_qty, Product.base_unit)), else_="")
    return select(
        change.changed_at, const("price_rule"), change.changed_by, no_user(),
        words(change.kind, RULE_WORDS) + scope + tier + ": " + value(change.old) + " -> "
        + value(change.new) + case((change.below_cost, "; di bawah harga pokok, dikonfirmasi"),
                                   else_=literal("")))\
        .outerjoin(Product, Product.id == change.product_id)\
        .outerjoin(Category, Category.id == change.category_id)\
        .where(*within(change.changed_at))



def _limit_rules(within):
    """``Batas LPG mingguan: Periode per hari -> per minggu``, ``Batas LPG harian: Batas baru
    (LPG harian: 2 per pembeli per hari, NIK (KTP), aktif)``: under the rule's name now."""
    change = LimitRuleChange
    return select(
        change.changed_at, const("limit_rule"), change.changed_by, no_user(),
        "Batas " + LimitRule.name + ": " + words(change.field, LIMIT_WORDS)
        + case((change.field == "created", " (" + func.coalesce(change.new_text, "") + ")"),
               else_=" " + func.coalesce(change.old_text, "-") + " -> "
               + func.coalesce(change.new_text, "-")))\
        .join(LimitRule, LimitRule.id == change.rule_id)\
        .where(*within(change.changed_at))
