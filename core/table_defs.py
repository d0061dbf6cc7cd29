"""The station's tables as SQLAlchemy Core tables for statements, made by
`python -m core.models.mirror --write` from the SQLModel models in core.models; do not edit. Columns, types,
keys, defaults and foreign keys only (the constraints and indexes are the models' and the migrations')."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import BigInteger, Boolean, Column, Date, ForeignKey, Integer, MetaData, String, Table, Text, false

from core.sqltypes import Money, Qty, UTCDateTime


def audit_entry(metadata: MetaData) -> Table:
    """The audit_entry table."""
    return Table(
        'audit_entry',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('at', UTCDateTime(), nullable=False),
        Column('operator', String(length=16), nullable=False),
        Column('action', String(length=40), nullable=False),
        Column('subject', String(length=100), nullable=False),
        Column('old', Text(), nullable=True),
        Column('new', Text(), nullable=True),
    )


def carrier(metadata: MetaData) -> Table:
    """The carrier table."""
    return Table(
        'carrier',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('code', String(length=20), nullable=False),
        Column('name', String(length=200), nullable=False),
    )


def claim(metadata: MetaData) -> Table:
    """The claim table."""
    return Table(
        'claim',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('number', String(length=32), nullable=False),
        Column('receipt_id', Integer(), ForeignKey('receipt.id'), nullable=False),
        Column('party', String(length=12), nullable=False),
        Column('supplier_id', Integer(), ForeignKey('supplier.id'), nullable=True),
        Column('carrier_id', Integer(), ForeignKey('carrier.id'), nullable=True),
        Column('state', String(length=12), nullable=False),
        Column('created_at', UTCDateTime(), nullable=False),
        Column('created_by', Integer(), ForeignKey('operator.id'), nullable=False),
        Column('changed_at', UTCDateTime(), nullable=False),
        Column('changed_by', Integer(), ForeignKey('operator.id'), nullable=False),
        Column('note', String(length=500), nullable=True),
        Column('settled_amount', Money(), nullable=True),
        Column('outcome', String(length=16), nullable=True),
    )


def claim_line(metadata: MetaData) -> Table:
    """The claim_line table."""
    return Table(
        'claim_line',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('claim_id', Integer(), ForeignKey('claim.id'), nullable=False),
        Column('part_no', String(length=40), nullable=False),
        Column('kind', String(length=16), nullable=False),
        Column('qty', Qty(), nullable=False),
        Column('unit_price', Money(), nullable=False),
        Column('amount', Money(), nullable=False),
        Column('note', String(length=500), nullable=True),
    )


def damage_report(metadata: MetaData) -> Table:
    """The damage_report table."""
    return Table(
        'damage_report',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('repair_order_id', Integer(), ForeignKey('repair_order.id'), nullable=False),
        Column('part_id', Integer(), ForeignKey('part.id'), nullable=False),
        Column('note', String(length=500), nullable=False),
        Column('operator_id', Integer(), ForeignKey('operator.id'), nullable=False),
        Column('at', UTCDateTime(), nullable=False),
    )


def document_sequence(metadata: MetaData) -> Table:
    """The document_sequence table."""
    return Table(
        'document_sequence',
        metadata,
        Column('doc_type', String(length=8), primary_key=True, nullable=False),
        Column('year', Integer(), primary_key=True, nullable=False),
        Column('last_no', Integer(), nullable=False, default=0),
    )


def ledger_head(metadata: MetaData) -> Table:
    """The ledger_head table."""
    return Table(
        'ledger_head',
        metadata,
        Column('id', Integer(), primary_key=True, autoincrement=False, nullable=False),
        Column('last_id', Integer(), nullable=False),
        Column('chain', String(length=64), nullable=False),
    )


def location(metadata: MetaData) -> Table:
    """The location table."""
    return Table(
        'location',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('code', String(length=20), nullable=False),
        Column('zone', String(length=4), nullable=False),
        Column('series', String(length=40), nullable=True),
    )


def operator(metadata: MetaData) -> Table:
    """The operator table."""
    return Table(
        'operator',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('code', String(length=16), nullable=False),
        Column('name', String(length=100), nullable=False),
        Column('roles', String(length=200), nullable=False),
        Column('pin_hash', String(length=200), nullable=False),
        Column('active', Boolean(), nullable=False, default=True),
        Column('created_at', UTCDateTime(), nullable=False),
        Column('failed_pins', Integer(), nullable=False, default=0, server_default='0'),
        Column('lockouts', Integer(), nullable=False, default=0, server_default='0'),
        Column('locked_until', UTCDateTime(), nullable=True),
        Column('language', String(length=8), nullable=False, default='en'),
    )


def order_chase(metadata: MetaData) -> Table:
    """The order_chase table."""
    return Table(
        'order_chase',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('order_id', Integer(), ForeignKey('purchase_order.id'), nullable=False),
        Column('at', UTCDateTime(), nullable=False),
        Column('operator_id', Integer(), ForeignKey('operator.id'), nullable=False),
        Column('note', String(length=500), nullable=False),
        Column('eta', UTCDateTime(), nullable=True),
    )


def packing_list_row(metadata: MetaData) -> Table:
    """The packing_list_row table."""
    return Table(
        'packing_list_row',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('receipt_id', Integer(), ForeignKey('receipt.id'), nullable=False),
        Column('row_no', Integer(), nullable=False),
        Column('box_no', String(length=20), nullable=False),
        Column('part_no', String(length=40), nullable=False),
        Column('description', String(length=200), nullable=False),
        Column('qty', Qty(), nullable=False),
        Column('unit_price', Money(), nullable=False),
    )


def part(metadata: MetaData) -> Table:
    """The part table."""
    return Table(
        'part',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('part_no', String(length=40), nullable=False),
        Column('name', String(length=200), nullable=False),
        Column('name_zh', String(length=200), nullable=True),
        Column('model_series', String(length=40), nullable=True),
        Column('unit', String(length=12), nullable=False, default='pc'),
        Column('list_price', Money(), nullable=False, default=Decimal('0.00')),
        Column('fragile', Boolean(), nullable=False, default=False),
        Column('pack_qty', Qty(), nullable=False, default=Decimal('1.000')),
        Column('general', Boolean(), nullable=False, default=False, server_default=false()),
        Column('default_location_id', Integer(), ForeignKey('location.id'), nullable=True),
        Column('part_group', String(length=40), nullable=True),
        Column('supplier_id', Integer(), ForeignKey('supplier.id'), nullable=True),
    )


def part_count(metadata: MetaData) -> Table:
    """The part_count table."""
    return Table(
        'part_count',
        metadata,
        Column('part_id', Integer(), ForeignKey('part.id'), primary_key=True, autoincrement=False, nullable=False),
        Column('counted_at', UTCDateTime(), nullable=False),
        Column('stocktake_no', String(length=32), nullable=False),
    )


def part_newest(metadata: MetaData) -> Table:
    """The part_newest table."""
    return Table(
        'part_newest',
        metadata,
        Column('part_id', Integer(), ForeignKey('part.id'), primary_key=True, autoincrement=False, nullable=False),
        Column('newest_part_id', Integer(), ForeignKey('part.id'), primary_key=True, autoincrement=False, nullable=False),
        Column('interchangeable', Boolean(), nullable=False),
    )


def part_supersession(metadata: MetaData) -> Table:
    """The part_supersession table."""
    return Table(
        'part_supersession',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('old_part_id', Integer(), ForeignKey('part.id'), nullable=False),
        Column('new_part_id', Integer(), ForeignKey('part.id'), nullable=False),
        Column('effective_on', Date(), nullable=False),
        Column('interchangeable', Boolean(), nullable=False),
        Column('operator_id', Integer(), ForeignKey('operator.id'), nullable=False),
        Column('at', UTCDateTime(), nullable=False),
    )


def price_rule(metadata: MetaData) -> Table:
    """The price_rule table."""
    return Table(
        'price_rule',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('scope', String(length=8), nullable=False),
        Column('key', String(length=40), nullable=False),
        Column('markup', Money(), nullable=True),
        Column('floor', Money(), nullable=True),
        Column('set_at', UTCDateTime(), nullable=False),
        Column('set_by_id', Integer(), ForeignKey('operator.id'), nullable=False),
    )


def purchase_order(metadata: MetaData) -> Table:
    """The purchase_order table."""
    return Table(
        'purchase_order',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('number', String(length=32), nullable=False),
        Column('supplier_id', Integer(), ForeignKey('supplier.id'), nullable=False),
        Column('state', String(length=20), nullable=False),
        Column('created_at', UTCDateTime(), nullable=False),
        Column('created_by', Integer(), ForeignKey('operator.id'), nullable=False),
        Column('source_doc', String(length=32), nullable=True),
        Column('note', String(length=500), nullable=True),
        Column('urgent', Boolean(), nullable=False, default=False),
        Column('serves', String(length=500), nullable=True),
        Column('approved_at', UTCDateTime(), nullable=True),
        Column('approved_by', Integer(), ForeignKey('operator.id'), nullable=True),
        Column('sent_at', UTCDateTime(), nullable=True),
        Column('sent_by', Integer(), ForeignKey('operator.id'), nullable=True),
    )


def purchase_order_line(metadata: MetaData) -> Table:
    """The purchase_order_line table."""
    return Table(
        'purchase_order_line',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('order_id', Integer(), ForeignKey('purchase_order.id'), nullable=False),
        Column('line_no', Integer(), nullable=False),
        Column('part_id', Integer(), ForeignKey('part.id'), nullable=False),
        Column('qty_ordered', Qty(), nullable=False),
        Column('qty_received', Qty(), nullable=False, default=Decimal('0')),
        Column('unit_cost', Money(), nullable=False),
    )


def purchase_request(metadata: MetaData) -> Table:
    """The purchase_request table."""
    return Table(
        'purchase_request',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('number', String(length=32), nullable=False),
        Column('state', String(length=24), nullable=False),
        Column('cycle', String(length=8), nullable=False),
        Column('cycle_start', UTCDateTime(), nullable=False),
        Column('author_id', Integer(), ForeignKey('operator.id'), nullable=False),
        Column('created_at', UTCDateTime(), nullable=False),
        Column('revision', Integer(), nullable=False, default=0),
        Column('sm_approved_at', UTCDateTime(), nullable=True),
        Column('sd_approved_at', UTCDateTime(), nullable=True),
    )


def purchase_request_event(metadata: MetaData) -> Table:
    """The purchase_request_event table."""
    return Table(
        'purchase_request_event',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('request_id', Integer(), ForeignKey('purchase_request.id'), nullable=False),
        Column('at', UTCDateTime(), nullable=False),
        Column('operator_id', Integer(), ForeignKey('operator.id'), nullable=False),
        Column('action', String(length=16), nullable=False),
        Column('state_after', String(length=24), nullable=False),
        Column('revision', Integer(), nullable=False),
        Column('comment', String(length=500), nullable=True),
        Column('as_role', String(length=24), nullable=True),
        Column('detail', String(length=2000), nullable=True),
    )


def purchase_request_line(metadata: MetaData) -> Table:
    """The purchase_request_line table."""
    return Table(
        'purchase_request_line',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('request_id', Integer(), ForeignKey('purchase_request.id'), nullable=False),
        Column('part_id', Integer(), ForeignKey('part.id'), nullable=False),
        Column('forecast', Qty(), nullable=False),
        Column('suggested', Qty(), nullable=False),
        Column('qty', Qty(), nullable=False),
        Column('flagged', Boolean(), nullable=False, default=False),
        Column('reason', String(length=500), nullable=True),
        Column('changed_revision', Integer(), nullable=False, default=0),
        Column('shortage_id', Integer(), ForeignKey('shortage.id', name='fk_request_line_shortage'), nullable=True),
    )


def receipt(metadata: MetaData) -> Table:
    """The receipt table."""
    return Table(
        'receipt',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('number', String(length=32), nullable=False),
        Column('state', String(length=20), nullable=False),
        Column('supplier_id', Integer(), ForeignKey('supplier.id'), nullable=True),
        Column('carrier_id', Integer(), ForeignKey('carrier.id'), nullable=True),
        Column('order_id', Integer(), ForeignKey('purchase_order.id'), nullable=True),
        Column('shipment_no', String(length=64), nullable=True),
        Column('packing_list', String(length=255), nullable=False),
        Column('boxes_expected', Integer(), nullable=False),
        Column('boxes_received', Integer(), nullable=True),
        Column('arrived_at', UTCDateTime(), nullable=False),
        Column('arrived_by', Integer(), ForeignKey('operator.id'), nullable=False),
        Column('boxes_checked_at', UTCDateTime(), nullable=True),
        Column('boxes_checked_by', Integer(), ForeignKey('operator.id'), nullable=True),
        Column('counted_at', UTCDateTime(), nullable=True),
        Column('counted_by', Integer(), ForeignKey('operator.id'), nullable=True),
        Column('counted_by_second', Integer(), ForeignKey('operator.id'), nullable=True),
        Column('posted_at', UTCDateTime(), nullable=True),
        Column('posted_by', Integer(), ForeignKey('operator.id'), nullable=True),
        Column('discrepancy_no', String(length=32), nullable=True),
        Column('surplus_no', String(length=32), nullable=True),
        Column('late_reason', String(length=500), nullable=True),
    )


def receipt_box(metadata: MetaData) -> Table:
    """The receipt_box table."""
    return Table(
        'receipt_box',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('receipt_id', Integer(), ForeignKey('receipt.id'), nullable=False),
        Column('box_no', String(length=20), nullable=False),
        Column('seal_broken', Boolean(), nullable=False, default=False),
        Column('damaged', Boolean(), nullable=False, default=False),
    )


def receipt_box_signer(metadata: MetaData) -> Table:
    """The receipt_box_signer table."""
    return Table(
        'receipt_box_signer',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('receipt_id', Integer(), ForeignKey('receipt.id'), nullable=False),
        Column('role', String(length=20), nullable=False),
        Column('operator_id', Integer(), ForeignKey('operator.id'), nullable=False),
        Column('signed_at', UTCDateTime(), nullable=False),
    )


def receipt_count(metadata: MetaData) -> Table:
    """The receipt_count table."""
    return Table(
        'receipt_count',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('receipt_id', Integer(), ForeignKey('receipt.id'), nullable=False),
        Column('counter_id', Integer(), ForeignKey('operator.id'), nullable=False),
        Column('part_no', String(length=40), nullable=False),
        Column('counted', Qty(), nullable=False, default=Decimal('0')),
        Column('damaged', Qty(), nullable=False, default=Decimal('0')),
        Column('changed_at', UTCDateTime(), nullable=False),
    )


def receipt_invoice(metadata: MetaData) -> Table:
    """The receipt_invoice table."""
    return Table(
        'receipt_invoice',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('receipt_id', Integer(), ForeignKey('receipt.id'), nullable=False),
        Column('number', String(length=64), nullable=False),
        Column('amount', Money(), nullable=False),
        Column('entered_at', UTCDateTime(), nullable=False),
        Column('entered_by', Integer(), ForeignKey('operator.id'), nullable=False),
    )


def receipt_line(metadata: MetaData) -> Table:
    """The receipt_line table."""
    return Table(
        'receipt_line',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('receipt_id', Integer(), ForeignKey('receipt.id'), nullable=False),
        Column('line_no', Integer(), nullable=False),
        Column('part_no', String(length=40), nullable=False),
        Column('description', String(length=200), nullable=False),
        Column('boxes', String(length=200), nullable=False),
        Column('expected', Qty(), nullable=False),
        Column('unit_price', Money(), nullable=False),
        Column('counted', Qty(), nullable=True),
        Column('damaged', Qty(), nullable=False, default=Decimal('0')),
        Column('fragile_damaged', Boolean(), nullable=False, default=False),
        Column('refused', Boolean(), nullable=False, default=False),
        Column('refusal_note', String(length=500), nullable=True),
    )


def repair_order(metadata: MetaData) -> Table:
    """The repair_order table."""
    return Table(
        'repair_order',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('ro_no', String(length=32), nullable=False),
        Column('state', String(length=16), nullable=False),
        Column('state_at', UTCDateTime(), nullable=False),
        Column('customer_name', String(length=100), nullable=False),
        Column('customer_phone', String(length=32), nullable=False),
        Column('customer_address', String(length=200), nullable=True),
        Column('vin', String(length=17), nullable=False),
        Column('plate', String(length=16), nullable=False),
        Column('model_series', String(length=40), nullable=False),
        Column('mileage', Integer(), nullable=False),
        Column('complaint', String(length=1000), nullable=False),
        Column('inspection', String(length=1000), nullable=True),
        Column('advisor_id', Integer(), ForeignKey('operator.id'), nullable=False),
        Column('opened_at', UTCDateTime(), nullable=False),
        Column('technician_id', Integer(), ForeignKey('operator.id'), nullable=True),
        Column('warranty', String(length=8), nullable=True),
        Column('warranty_reason', String(length=500), nullable=True),
        Column('outside_repairer', String(length=200), nullable=True),
        Column('sent_out_at', UTCDateTime(), nullable=True),
        Column('back_at', UTCDateTime(), nullable=True),
        Column('reinspection', String(length=500), nullable=True),
        Column('reinspected_at', UTCDateTime(), nullable=True),
        Column('reinspected_by_id', Integer(), ForeignKey('operator.id'), nullable=True),
        Column('customer_confirmed_at', UTCDateTime(), nullable=True),
        Column('customer_confirmed_by_id', Integer(), ForeignKey('operator.id'), nullable=True),
        Column('settled_at', UTCDateTime(), nullable=True),
        Column('settled_by_id', Integer(), ForeignKey('operator.id'), nullable=True),
    )


def repair_order_charge(metadata: MetaData) -> Table:
    """The repair_order_charge table."""
    return Table(
        'repair_order_charge',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('repair_order_id', Integer(), ForeignKey('repair_order.id'), nullable=False),
        Column('line_no', Integer(), nullable=False),
        Column('part_id', Integer(), ForeignKey('part.id'), nullable=False),
        Column('qty', Qty(), nullable=False),
        Column('payer', String(length=16), nullable=False),
        Column('unit_price', Money(), nullable=False),
        Column('amount', Money(), nullable=False),
        Column('cost', Money(), nullable=False),
    )


def repair_order_check(metadata: MetaData) -> Table:
    """The repair_order_check table."""
    return Table(
        'repair_order_check',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('repair_order_id', Integer(), ForeignKey('repair_order.id'), nullable=False),
        Column('item', String(length=32), nullable=False),
        Column('present', Boolean(), nullable=False),
    )


def repair_order_event(metadata: MetaData) -> Table:
    """The repair_order_event table."""
    return Table(
        'repair_order_event',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('repair_order_id', Integer(), ForeignKey('repair_order.id'), nullable=False),
        Column('at', UTCDateTime(), nullable=False),
        Column('operator_id', Integer(), ForeignKey('operator.id'), nullable=False),
        Column('kind', String(length=16), nullable=False),
        Column('from_state', String(length=16), nullable=True),
        Column('to_state', String(length=16), nullable=True),
        Column('text', String(length=1000), nullable=True),
    )


def repair_order_payer(metadata: MetaData) -> Table:
    """The repair_order_payer table."""
    return Table(
        'repair_order_payer',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('repair_order_id', Integer(), ForeignKey('repair_order.id'), nullable=False),
        Column('part_id', Integer(), ForeignKey('part.id'), nullable=False),
        Column('payer', String(length=16), nullable=False),
        Column('set_at', UTCDateTime(), nullable=False),
        Column('set_by_id', Integer(), ForeignKey('operator.id'), nullable=False),
    )


def requisition(metadata: MetaData) -> Table:
    """The requisition table."""
    return Table(
        'requisition',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('req_no', String(length=32), nullable=False),
        Column('repair_order_id', Integer(), ForeignKey('repair_order.id'), nullable=False),
        Column('issued_at', UTCDateTime(), nullable=False),
        Column('storekeeper_id', Integer(), ForeignKey('operator.id'), nullable=False),
        Column('mechanic_id', Integer(), ForeignKey('operator.id'), nullable=False),
    )


def requisition_line(metadata: MetaData) -> Table:
    """The requisition_line table."""
    return Table(
        'requisition_line',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('requisition_id', Integer(), ForeignKey('requisition.id'), nullable=False),
        Column('line_no', Integer(), nullable=False),
        Column('part_id', Integer(), ForeignKey('part.id'), nullable=False),
        Column('qty', Qty(), nullable=False),
        Column('cost', Money(), nullable=False),
    )


def return_line(metadata: MetaData) -> Table:
    """The return_line table."""
    return Table(
        'return_line',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('return_id', Integer(), ForeignKey('return_slip.id'), nullable=False),
        Column('line_no', Integer(), nullable=False),
        Column('part_id', Integer(), ForeignKey('part.id'), nullable=False),
        Column('lot_id', Integer(), ForeignKey('stock_lot.id'), nullable=False),
        Column('qty', Qty(), nullable=False),
        Column('unit_cost', Money(), nullable=False),
        Column('damaged', Boolean(), nullable=False),
        Column('quarantine_lot_id', Integer(), ForeignKey('stock_lot.id'), nullable=True),
        Column('note', String(length=500), nullable=True),
    )


def return_slip(metadata: MetaData) -> Table:
    """The return_slip table."""
    return Table(
        'return_slip',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('ret_no', String(length=32), nullable=False),
        Column('requisition_id', Integer(), ForeignKey('requisition.id'), nullable=False),
        Column('returned_at', UTCDateTime(), nullable=False),
        Column('storekeeper_id', Integer(), ForeignKey('operator.id'), nullable=False),
        Column('mechanic_id', Integer(), ForeignKey('operator.id'), nullable=False),
        Column('reason', String(length=500), nullable=True),
        Column('on_requisition', Boolean(), nullable=False),
    )


def sales_line(metadata: MetaData) -> Table:
    """The sales_line table."""
    return Table(
        'sales_line',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('sale_id', Integer(), ForeignKey('sales_order.id'), nullable=False),
        Column('line_no', Integer(), nullable=False),
        Column('part_id', Integer(), ForeignKey('part.id'), nullable=False),
        Column('qty', Qty(), nullable=False),
        Column('unit_price', Money(), nullable=False),
    )


def sales_order(metadata: MetaData) -> Table:
    """The sales_order table."""
    return Table(
        'sales_order',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('number', String(length=32), nullable=False),
        Column('customer', String(length=100), nullable=False),
        Column('phone', String(length=40), nullable=True),
        Column('state', String(length=16), nullable=False),
        Column('entered_by_id', Integer(), ForeignKey('operator.id'), nullable=False),
        Column('entered_at', UTCDateTime(), nullable=False),
        Column('checked_by_id', Integer(), ForeignKey('operator.id'), nullable=True),
        Column('checked_at', UTCDateTime(), nullable=True),
        Column('settled_by_id', Integer(), ForeignKey('operator.id'), nullable=True),
        Column('settled_at', UTCDateTime(), nullable=True),
        Column('amount', Money(), nullable=True),
        Column('cancelled_at', UTCDateTime(), nullable=True),
    )


def sales_return(metadata: MetaData) -> Table:
    """The sales_return table."""
    return Table(
        'sales_return',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('sale_id', Integer(), ForeignKey('sales_order.id'), nullable=False),
        Column('part_id', Integer(), ForeignKey('part.id'), nullable=False),
        Column('lot_id', Integer(), ForeignKey('stock_lot.id'), nullable=False),
        Column('qty', Qty(), nullable=False),
        Column('unit_price', Money(), nullable=False),
        Column('returned_by_id', Integer(), ForeignKey('operator.id'), nullable=False),
        Column('returned_at', UTCDateTime(), nullable=False),
    )


def setting(metadata: MetaData) -> Table:
    """The setting table."""
    return Table(
        'setting',
        metadata,
        Column('key', String(length=64), primary_key=True, nullable=False),
        Column('value', String(length=500), nullable=False),
    )


def shortage(metadata: MetaData) -> Table:
    """The shortage table."""
    return Table(
        'shortage',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('number', String(length=32), nullable=False),
        Column('part_id', Integer(), ForeignKey('part.id'), nullable=False),
        Column('qty', Qty(), nullable=False),
        Column('repair_order_id', Integer(), ForeignKey('repair_order.id'), nullable=False),
        Column('note', String(length=500), nullable=True),
        Column('state', String(length=12), nullable=False),
        Column('logged_at', UTCDateTime(), nullable=False),
        Column('logged_by', Integer(), ForeignKey('operator.id'), nullable=False),
        Column('answered_at', UTCDateTime(), nullable=True),
        Column('answered_by', Integer(), ForeignKey('operator.id'), nullable=True),
        Column('solution', String(length=20), nullable=True),
        Column('eta', UTCDateTime(), nullable=True),
        Column('answer_note', String(length=500), nullable=True),
        Column('fulfilled_at', UTCDateTime(), nullable=True),
        Column('fulfilled_by_doc', String(length=32), nullable=True),
    )


def stock_adjustment(metadata: MetaData) -> Table:
    """The stock_adjustment table."""
    return Table(
        'stock_adjustment',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('number', String(length=32), nullable=False),
        Column('part_id', Integer(), ForeignKey('part.id'), nullable=False),
        Column('location_id', Integer(), ForeignKey('location.id'), nullable=False),
        Column('qty', Qty(), nullable=False),
        Column('unit_cost', Money(), nullable=True),
        Column('value', Money(), nullable=False),
        Column('reason', String(length=16), nullable=False),
        Column('note', String(length=500), nullable=True),
        Column('state', String(length=16), nullable=False),
        Column('entered_by_id', Integer(), ForeignKey('operator.id'), nullable=False),
        Column('entered_at', UTCDateTime(), nullable=False),
        Column('manager_id', Integer(), ForeignKey('operator.id'), nullable=True),
        Column('manager_at', UTCDateTime(), nullable=True),
        Column('accountant_id', Integer(), ForeignKey('operator.id'), nullable=True),
        Column('accountant_at', UTCDateTime(), nullable=True),
        Column('closed_at', UTCDateTime(), nullable=True),
    )


def stock_lot(metadata: MetaData) -> Table:
    """The stock_lot table."""
    return Table(
        'stock_lot',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('part_id', Integer(), ForeignKey('part.id'), nullable=False),
        Column('location_id', Integer(), ForeignKey('location.id'), nullable=False),
        Column('received_at', UTCDateTime(), nullable=False),
        Column('qty_received', Qty(), nullable=False),
        Column('qty_remaining', Qty(), nullable=False),
        Column('unit_cost', Money(), nullable=False),
        Column('doc_type', String(length=8), nullable=False),
        Column('doc_no', String(length=32), nullable=False),
    )


def stock_move(metadata: MetaData) -> Table:
    """The stock_move table."""
    return Table(
        'stock_move',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('at', UTCDateTime(), nullable=False),
        Column('kind', String(length=16), nullable=False),
        Column('part_id', Integer(), ForeignKey('part.id'), nullable=False),
        Column('lot_id', Integer(), ForeignKey('stock_lot.id'), nullable=False),
        Column('location_id', Integer(), ForeignKey('location.id'), nullable=False),
        Column('qty', Qty(), nullable=False),
        Column('unit_cost', Money(), nullable=False),
        Column('doc_type', String(length=8), nullable=False),
        Column('doc_no', String(length=32), nullable=False),
        Column('operator_id', Integer(), ForeignKey('operator.id'), nullable=False),
        Column('note', String(length=500), nullable=True),
        Column('chain', String(length=64), nullable=False),
    )


def stock_transfer(metadata: MetaData) -> Table:
    """The stock_transfer table."""
    return Table(
        'stock_transfer',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('number', String(length=32), nullable=False),
        Column('part_id', Integer(), ForeignKey('part.id'), nullable=False),
        Column('from_location_id', Integer(), ForeignKey('location.id'), nullable=True),
        Column('from_station', String(length=16), nullable=True),
        Column('from_location_code', String(length=20), nullable=True),
        Column('to_location_id', Integer(), ForeignKey('location.id'), nullable=True),
        Column('to_station', String(length=16), nullable=True),
        Column('to_location_code', String(length=20), nullable=True),
        Column('qty', Qty(), nullable=False),
        Column('state', String(length=16), nullable=False),
        Column('release', Boolean(), nullable=False, default=False),
        Column('entered_by_id', Integer(), ForeignKey('operator.id'), nullable=True),
        Column('entered_by_code', String(length=16), nullable=True),
        Column('entered_at', UTCDateTime(), nullable=False),
        Column('decided_by_id', Integer(), ForeignKey('operator.id'), nullable=True),
        Column('decided_at', UTCDateTime(), nullable=True),
        Column('note', String(length=500), nullable=True),
    )


def stock_transfer_lot(metadata: MetaData) -> Table:
    """The stock_transfer_lot table."""
    return Table(
        'stock_transfer_lot',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('transfer_id', Integer(), ForeignKey('stock_transfer.id'), nullable=False),
        Column('from_lot_id', Integer(), ForeignKey('stock_lot.id'), nullable=True),
        Column('from_station_lot_id', Integer(), nullable=True),
        Column('to_lot_id', Integer(), ForeignKey('stock_lot.id'), nullable=True),
        Column('to_station_lot_id', Integer(), nullable=True),
        Column('qty', Qty(), nullable=False),
    )


def stocktake(metadata: MetaData) -> Table:
    """The stocktake table."""
    return Table(
        'stocktake',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('number', String(length=32), nullable=False),
        Column('scope_kind', String(length=12), nullable=False),
        Column('scope', String(length=100), nullable=False),
        Column('state', String(length=16), nullable=False),
        Column('opened_at', UTCDateTime(), nullable=False),
        Column('opened_by', Integer(), ForeignKey('operator.id'), nullable=False),
        Column('closed_at', UTCDateTime(), nullable=True),
        Column('closed_by', Integer(), ForeignKey('operator.id'), nullable=True),
        Column('variance_value', Money(), nullable=True),
        Column('variance_abs', Money(), nullable=True),
        Column('approved_at', UTCDateTime(), nullable=True),
        Column('approved_by', Integer(), ForeignKey('operator.id'), nullable=True),
        Column('accountant_at', UTCDateTime(), nullable=True),
        Column('accountant_by', Integer(), ForeignKey('operator.id'), nullable=True),
    )


def stocktake_line(metadata: MetaData) -> Table:
    """The stocktake_line table."""
    return Table(
        'stocktake_line',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('stocktake_id', Integer(), ForeignKey('stocktake.id'), nullable=False),
        Column('part_id', Integer(), ForeignKey('part.id'), nullable=False),
        Column('location_id', Integer(), ForeignKey('location.id'), nullable=False),
        Column('counted', Qty(), nullable=True),
        Column('book', Qty(), nullable=True),
        Column('counted_at', UTCDateTime(), nullable=True),
        Column('counted_by', Integer(), ForeignKey('operator.id'), nullable=True),
        Column('counted_by_second', Integer(), ForeignKey('operator.id'), nullable=True),
        Column('value', Money(), nullable=True),
        Column('recounts', Integer(), nullable=False, default=0),
    )


def supplier(metadata: MetaData) -> Table:
    """The supplier table."""
    return Table(
        'supplier',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('code', String(length=20), nullable=False),
        Column('name', String(length=200), nullable=False),
    )


def vehicle_take(metadata: MetaData) -> Table:
    """The vehicle_take table."""
    return Table(
        'vehicle_take',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('vin', String(length=17), nullable=False),
        Column('part_id', Integer(), ForeignKey('part.id'), nullable=False),
        Column('qty', Qty(), nullable=False),
        Column('doc_type', String(length=8), nullable=False),
        Column('doc_no', String(length=32), nullable=False),
        Column('operator_id', Integer(), ForeignKey('operator.id'), nullable=False),
        Column('at', UTCDateTime(), nullable=False),
    )


def work_in_progress(metadata: MetaData) -> Table:
    """The work_in_progress table."""
    return Table(
        'work_in_progress',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('operator_id', Integer(), ForeignKey('operator.id'), nullable=False),
        Column('screen', String(length=40), nullable=False),
        Column('document', String(length=64), nullable=False),
        Column('payload', Text(), nullable=False),
        Column('version', BigInteger(), nullable=False),
        Column('saved_at', UTCDateTime(), nullable=False),
    )


def written_requisition(metadata: MetaData) -> Table:
    """The written_requisition table."""
    return Table(
        'written_requisition',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('req_no', String(length=32), nullable=False),
        Column('repair_order_id', Integer(), ForeignKey('repair_order.id'), nullable=False),
        Column('state', String(length=16), nullable=False),
        Column('written_at', UTCDateTime(), nullable=False),
        Column('writer_id', Integer(), ForeignKey('operator.id'), nullable=False),
        Column('shortage_id', Integer(), ForeignKey('shortage.id'), nullable=True),
        Column('closed_at', UTCDateTime(), nullable=True),
        Column('closed_by_id', Integer(), ForeignKey('operator.id'), nullable=True),
    )


def written_requisition_line(metadata: MetaData) -> Table:
    """The written_requisition_line table."""
    return Table(
        'written_requisition_line',
        metadata,
        Column('id', Integer(), primary_key=True, nullable=False),
        Column('written_id', Integer(), ForeignKey('written_requisition.id'), nullable=False),
        Column('line_no', Integer(), nullable=False),
        Column('part_id', Integer(), ForeignKey('part.id'), nullable=False),
        Column('qty', Qty(), nullable=False),
    )


# SQL table name -> the function that builds it.
BUILDERS = {
    'audit_entry': audit_entry,
    'carrier': carrier,
    'claim': claim,
    'claim_line': claim_line,
    'damage_report': damage_report,
    'document_sequence': document_sequence,
    'ledger_head': ledger_head,
    'location': location,
    'operator': operator,
    'order_chase': order_chase,
    'packing_list_row': packing_list_row,
    'part': part,
    'part_count': part_count,
    'part_newest': part_newest,
    'part_supersession': part_supersession,
    'price_rule': price_rule,
    'purchase_order': purchase_order,
    'purchase_order_line': purchase_order_line,
    'purchase_request': purchase_request,
    'purchase_request_event': purchase_request_event,
    'purchase_request_line': purchase_request_line,
    'receipt': receipt,
    'receipt_box': receipt_box,
    'receipt_box_signer': receipt_box_signer,
    'receipt_count': receipt_count,
    'receipt_invoice': receipt_invoice,
    'receipt_line': receipt_line,
    'repair_order': repair_order,
    'repair_order_charge': repair_order_charge,
    'repair_order_check': repair_order_check,
    'repair_order_event': repair_order_event,
    'repair_order_payer': repair_order_payer,
    'requisition': requisition,
    'requisition_line': requisition_line,
    'return_line': return_line,
    'return_slip': return_slip,
    'sales_line': sales_line,
    'sales_order': sales_order,
    'sales_return': sales_return,
    'setting': setting,
    'shortage': shortage,
    'stock_adjustment': stock_adjustment,
    'stock_lot': stock_lot,
    'stock_move': stock_move,
    'stock_transfer': stock_transfer,
    'stock_transfer_lot': stock_transfer_lot,
    'stocktake': stocktake,
    'stocktake_line': stocktake_line,
    'supplier': supplier,
    'vehicle_take': vehicle_take,
    'work_in_progress': work_in_progress,
    'written_requisition': written_requisition,
    'written_requisition_line': written_requisition_line,
}
