"""Orders (contracts): confirmation, vehicle allocation, payments, delivery, cancellation, targets."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from autosales.core.choices import Role
from autosales.core.events import event_record
from autosales.core.exceptions import DomainError
from autosales.core.money import ZERO
from autosales.core.prepared import prepared
from autosales.inventory.choices import VehicleStatus
from autosales.inventory.models import Vehicle

from .. import pricing
from ..choices import (
    PDI_ITEMS,
    AllocationStatus,
    LeadStage,
    LineKind,
    OrderStatus,
    PaymentKind,
    PaymentMethod,
    QuoteStatus,
    TradeInStatus,
)
from ..figures import order_figures
from ..models import (
    Delivery,
    Order,
    OrderLine,
    Payment,
    Quote,
    SalesTarget,
    TradeInAppraisal,
    VehicleAllocation,
)
from ._common import now, order_locked, quote_lines, role_of, today, transition
from .quotes import document_number

LINE_FIELDS = (
    "kind",
    "description",
    "trim_id",
    "quantity",
    "unit_price",
    "unit_discount",
    "unit_cost",
    "income",
    "is_free",
    "finance_amount",
    "down_payment",
    "term_months",
    "annual_rate",
    "monthly_payment",
    "vehicle_id",
    "trade_in_id",
)
PAYMENT_ROLES = frozenset({Role.FINANCE, Role.SALES_MANAGER, Role.GENERAL_MANAGER, Role.ADMIN})
# The sales side moves an order along (contract, confirmation, vehicles, cancellation); finance
# records its money. Services run without a user (commands, imports) are not checked.
ORDER_STEP_ROLES = frozenset({Role.SALESPERSON, Role.SALES_MANAGER, Role.GENERAL_MANAGER, Role.ADMIN})


def may_step_orders(actor) -> bool:
    return actor is None or role_of(actor) in ORDER_STEP_ROLES


def _step_check(actor):
    if not may_step_orders(actor):
        raise DomainError(
            _("Orders are moved along by the sales team; finance records payments and refunds."),
            code="not_sales",
        )


ALLOCATING_STATUSES = (OrderStatus.DEPOSIT_PAID, OrderStatus.ALLOCATED, OrderStatus.PAID)


def _yuan(value) -> str:
    return f"¥{pricing.money(value):,.2f}"


def _lock(order: Order) -> Order:
    return order_locked.get(order.pk)


_quote_for_order = prepared(
    lambda pk: (
        Quote.objects.select_for_update(of=("self",))
        .select_related("store", "customer", "salesperson")
        .filter(pk=pk)
    )
)
_order_of_quote = prepared(lambda quote_id: Order.objects.filter(quote_id=quote_id).only("id")[:1])
_order_lines = prepared(lambda order_id: OrderLine.objects.filter(order_id=order_id))
_order_for_confirm = prepared(
    lambda pk: Order.objects.select_for_update(of=("self",)).select_related("quote").filter(pk=pk)
)


# A few lines are saved one by one (compiled statements, see core.writes: 0.16 ms a line with its
# history row); a bulk insert costs 0.44 ms however few rows it has.
_LINES_SAVED_ONE_BY_ONE = 3


def order_create_from_quote(*, quote: Quote, actor, balance_due_date=None) -> Order:
    """Turn an accepted quote into a draft order with the same lines and totals."""
    _step_check(actor)
    with transaction.atomic():
        quote = _quote_for_order.get(quote.pk)
        if quote.status != QuoteStatus.ACCEPTED:
            raise DomainError(
                _("An order is made from an accepted quote; this one is “%(s)s”.")
                % {"s": quote.get_status_display()},
                code="quote_not_accepted",
            )
        if _order_of_quote.list(quote.pk):
            raise DomainError(_("Quote %(n)s already has an order.") % {"n": quote.number}, code="has_order")
        if quote.valid_until < today():
            raise DomainError(
                _("Quote %(number)s expired on %(d)s; renew it before continuing.")
                % {"number": quote.number, "d": quote.valid_until},
                code="expired",
            )
        lines = quote_lines(quote)
        units = sum(line.quantity for line in lines if line.kind == LineKind.VEHICLE)
        order = Order(
            store=quote.store,
            customer=quote.customer,
            salesperson=quote.salesperson,
            number=document_number(store=quote.store, kind="order", prefix="O"),
            quote=quote,
            order_date=today(),
            balance_due_date=balance_due_date,
            is_fleet=units > 1 or bool(quote.fleet_agreement_id),
            list_total=quote.list_total,
            discount_total=quote.discount_total,
            total=quote.total,
            cost_total=quote.cost_total,
            income_total=quote.income_total,
            trade_in_credit=quote.trade_in_credit,
            purchase_tax=quote.purchase_tax,
            registration_fees=quote.registration_fees,
            notes=quote.notes,
            created_by=actor,
            **order_figures(lines),
        )
        # Unique fields need no query: the number comes from the store's sequence and the quote
        # was checked above under its lock (the database's unique constraints still hold).
        order.full_clean(validate_unique=False)
        order.save()
        order_lines = [OrderLine(order=order, **{f: getattr(line, f) for f in LINE_FIELDS}) for line in lines]
        user = actor if getattr(actor, "pk", None) else None
        if len(order_lines) <= _LINES_SAVED_ONE_BY_ONE:
            for line in order_lines:
                line._history_user = user
                line.save()
        else:
            bulk_create_with_history(order_lines, OrderLine, default_user=user)
        event_record(
            target=order, action="created", actor=actor, to_state=order.status, data={"quote": quote.pk}
        )
    return order


def order_confirm(*, order: Order, actor) -> Order:
    """The customer signs: the order counts as a sale and its lead is won."""
    _step_check(actor)
    with transaction.atomic():
        order = _order_for_confirm.get(order.pk)
        kinds = {line.kind for line in _order_lines.list(order.pk)}
        if not kinds:
            raise DomainError(_("An order without lines cannot be confirmed."), code="empty_order")
        transition(
            order,
            workflow="order",
            field="status",
            target=OrderStatus.CONFIRMED,
            actor=actor,
            action="confirmed",
        )
        lead = order.quote.lead if order.quote_id and order.quote.lead_id else None
        if lead is not None and lead.stage != LeadStage.WON:
            from .leads import lead_advance_to

            lead_advance_to(lead, stage=LeadStage.WON, actor=actor, action="won")
        if LineKind.TRADE_IN in kinds:
            trade_ins = order.lines.filter(kind=LineKind.TRADE_IN, trade_in__isnull=False).values(
                "trade_in_id"
            )
            TradeInAppraisal.objects.filter(pk__in=trade_ins).update(status=TradeInStatus.ACCEPTED)
    return order


def _units(order: Order) -> dict:
    wanted = sum(order.lines.filter(kind=LineKind.VEHICLE).values_list("quantity", flat=True))
    counts = order.allocations.exclude(status=AllocationStatus.RELEASED).aggregate(
        allocated=Count("id"), delivered=Count("id", filter=Q(status=AllocationStatus.DELIVERED))
    )
    return {"wanted": wanted, **counts}


def order_allocate_vehicle(*, order: Order, vehicle: Vehicle, actor) -> VehicleAllocation:
    """Reserve a VIN for the order.

    The vehicle row is locked and the database allows one open allocation per vehicle, so when
    many users try to take the same VIN exactly one succeeds and the others get a clear error.
    """
    _step_check(actor)
    with transaction.atomic():
        order = _lock(order)
        if order.status not in ALLOCATING_STATUSES:
            raise DomainError(
                _("Vehicles are allocated after the deposit is paid; this order is “%(s)s”.")
                % {"s": order.get_status_display()},
                code="not_allocatable",
            )
        vehicle = Vehicle.objects.select_for_update(of=("self",)).select_related("trim").get(pk=vehicle.pk)
        taken = (
            VehicleAllocation.objects.filter(vehicle=vehicle)
            .exclude(status=AllocationStatus.RELEASED)
            .select_related("order")
            .first()
        )
        if taken is not None:
            raise DomainError(
                _("Vehicle %(vin)s is already taken by order %(order)s.")
                % {"vin": vehicle.vin, "order": taken.order.number},
                code="vehicle_taken",
            )
        if vehicle.status not in (VehicleStatus.IN_STOCK, VehicleStatus.IN_TRANSIT, VehicleStatus.ORDERED):
            raise DomainError(
                _("Vehicle %(vin)s is not available (%(status)s).")
                % {"vin": vehicle.vin, "status": vehicle.get_status_display()},
                code="vehicle_unavailable",
            )
        line = _line_for(order, vehicle)
        try:
            with transaction.atomic():
                allocation = VehicleAllocation.objects.create(
                    order=order, line=line, vehicle=vehicle, created_by=actor
                )
        except IntegrityError as exc:
            raise DomainError(
                _("Vehicle %(vin)s is already taken by another order.") % {"vin": vehicle.vin},
                code="vehicle_taken",
            ) from exc
        old_status = vehicle.status
        vehicle.status = VehicleStatus.RESERVED
        vehicle.save(update_fields=["status", "updated_at"])
        event_record(
            target=vehicle,
            action="reserved",
            actor=actor,
            from_state=old_status,
            to_state=vehicle.status,
            data={"order": order.pk},
        )
        event_record(target=order, action="vehicle_allocated", actor=actor, data={"vin": vehicle.vin})
        units = _units(order)
        if order.status == OrderStatus.DEPOSIT_PAID and units["allocated"] >= units["wanted"]:
            transition(
                order,
                workflow="order",
                field="status",
                target=OrderStatus.ALLOCATED,
                actor=actor,
                action="allocated",
            )
    return allocation


def _line_for(order: Order, vehicle: Vehicle) -> OrderLine:
    lines = (
        order.lines.filter(kind=LineKind.VEHICLE)
        .filter(Q(vehicle=vehicle) | Q(vehicle__isnull=True, trim=vehicle.trim_id))
        .annotate(taken=Count("allocations", filter=~Q(allocations__status=AllocationStatus.RELEASED)))
        .order_by("-vehicle_id", "id")
    )
    for line in lines:
        if line.taken < line.quantity:
            return line
    raise DomainError(
        _("No vehicle line of this order is waiting for a %(trim)s.") % {"trim": vehicle.trim},
        code="no_matching_line",
    )


def _release(allocation: VehicleAllocation, *, actor, reason: str):
    vehicle = Vehicle.objects.select_for_update().get(pk=allocation.vehicle_id)
    allocation.status = AllocationStatus.RELEASED
    allocation.released_at = now()
    allocation.save(update_fields=["status", "released_at", "updated_at"])
    if vehicle.status == VehicleStatus.RESERVED:
        vehicle.status = VehicleStatus.IN_STOCK
        vehicle.save(update_fields=["status", "updated_at"])
        event_record(
            target=vehicle,
            action="released",
            actor=actor,
            from_state=VehicleStatus.RESERVED,
            to_state=VehicleStatus.IN_STOCK,
            reason=reason,
        )


def payment_record(
    *,
    order: Order,
    actor,
    kind: str,
    amount,
    method: str = PaymentMethod.TRANSFER,
    paid_at: datetime.datetime | None = None,
    reference: str = "",
) -> Payment:
    """Record money received (deposit, balance, loan disbursement) or paid back (refund).

    A payment larger than the balance due, or a refund larger than what was paid, is refused.
    """
    if role_of(actor) not in PAYMENT_ROLES:
        raise DomainError(_("Payments are recorded by finance or a manager."), code="not_finance")
    amount = pricing.money(amount)
    if amount <= 0:
        raise DomainError({"amount": _("The amount must be greater than zero.")})
    if kind not in PaymentKind.values:
        raise DomainError({"kind": _("Choose the kind of payment.")})
    with transaction.atomic():
        order = _lock(order)
        if kind == PaymentKind.REFUND:
            if amount > order.paid_total:
                raise DomainError(
                    {
                        "amount": _("A refund of %(amount)s exceeds the %(paid)s paid on this order.")
                        % {"amount": _yuan(amount), "paid": _yuan(order.paid_total)}
                    },
                    code="refund_too_large",
                )
        else:
            if order.status in (OrderStatus.DRAFT, OrderStatus.CANCELLED, OrderStatus.CLOSED):
                raise DomainError(
                    _("No payment can be taken on an order that is “%(s)s”.")
                    % {"s": order.get_status_display()},
                    code="not_payable",
                )
            if amount > order.balance_due:
                raise DomainError(
                    {
                        "amount": _("The payment of %(amount)s exceeds the balance due of %(due)s.")
                        % {"amount": _yuan(amount), "due": _yuan(order.balance_due)}
                    },
                    code="overpayment",
                )
        payment = Payment(
            order=order,
            kind=kind,
            method=method,
            amount=amount,
            paid_at=paid_at or now(),
            reference=reference,
            received_by=actor,
            created_by=actor,
        )
        payment.full_clean()
        payment.save()
        order.paid_total += payment.signed_amount
        fields = ["paid_total", "updated_at"]
        if kind == PaymentKind.REFUND and order.refund_owed > 0:
            order.refund_owed = max(order.refund_owed - amount, ZERO)
            fields.append("refund_owed")
        order.save(update_fields=fields)
        event_record(
            target=order,
            action="payment_recorded",
            actor=actor,
            data={"payment": payment.pk, "kind": kind, "amount": str(amount), "paid": str(order.paid_total)},
        )
        if kind != PaymentKind.REFUND:
            if order.status == OrderStatus.CONFIRMED:
                transition(
                    order,
                    workflow="order",
                    field="status",
                    target=OrderStatus.DEPOSIT_PAID,
                    actor=actor,
                    action="deposit_paid",
                )
            if order.balance_due == 0 and order.status in (OrderStatus.DEPOSIT_PAID, OrderStatus.ALLOCATED):
                transition(
                    order,
                    workflow="order",
                    field="status",
                    target=OrderStatus.PAID,
                    actor=actor,
                    action="paid_in_full",
                )
    return payment


def order_cancel(*, order: Order, actor, reason: str) -> Order:
    """Cancel before delivery: vehicles go back to stock and the money paid is recorded as owed back."""
    _step_check(actor)
    if not (reason or "").strip():
        raise DomainError({"cancel_reason": _("Give the reason for the cancellation.")})
    with transaction.atomic():
        order = _lock(order)
        if order.allocations.filter(status=AllocationStatus.DELIVERED).exists():
            raise DomainError(_("Vehicles of this order were already delivered."), code="delivered")
        for allocation in order.allocations.filter(status=AllocationStatus.ALLOCATED).select_for_update():
            _release(allocation, actor=actor, reason=reason)
        order.cancel_reason = reason
        order.refund_owed = order.paid_total
        return transition(
            order,
            workflow="order",
            field="status",
            target=OrderStatus.CANCELLED,
            actor=actor,
            action="cancelled",
            reason=reason,
            data={"refund_owed": str(order.paid_total)},
            extra_fields=["cancel_reason", "refund_owed"],
        )


def delivery_schedule(
    *, order: Order, actor, allocations=None, scheduled_for=None, notes: str = ""
) -> Delivery:
    """Group allocated vehicles into a delivery (a fleet order delivers in several batches)."""
    with transaction.atomic():
        order = _lock(order)
        if order.status not in ALLOCATING_STATUSES:
            raise DomainError(
                _("A delivery is planned once vehicles are allocated; this order is “%(s)s”.")
                % {"s": order.get_status_display()},
                code="not_deliverable",
            )
        open_allocations = order.allocations.filter(status=AllocationStatus.ALLOCATED, delivery__isnull=True)
        if allocations is not None:
            ids = [a.pk if hasattr(a, "pk") else int(a) for a in allocations]
            chosen = list(open_allocations.filter(pk__in=ids))
            if len(chosen) != len(set(ids)):
                raise DomainError(
                    {"allocations": _("Choose allocated vehicles of this order not yet scheduled.")}
                )
        else:
            chosen = list(open_allocations)
        if not chosen:
            raise DomainError({"allocations": _("There is no allocated vehicle waiting for delivery.")})
        delivery = Delivery(order=order, scheduled_for=scheduled_for, notes=notes, created_by=actor)
        delivery.full_clean()
        delivery.save()
        VehicleAllocation.objects.filter(pk__in=[a.pk for a in chosen]).update(delivery=delivery)
        event_record(
            target=delivery,
            action="scheduled",
            actor=actor,
            data={"order": order.pk, "vehicles": [a.vehicle_id for a in chosen]},
        )
    return delivery


def delivery_pdi_update(*, delivery: Delivery, actor, items: dict) -> Delivery:
    """Tick or untick items of the pre-delivery inspection."""
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if delivery.handed_over_at:
            raise DomainError(_("This delivery is already handed over."), code="handed_over")
        known = {key for key, _label in PDI_ITEMS}
        unknown = set(items) - known
        if unknown:
            raise DomainError({"pdi": _("Unknown PDI item: %(v)s") % {"v": ", ".join(sorted(unknown))}})
        pdi = dict(delivery.pdi or {})
        pdi.update({k: bool(v) for k, v in items.items()})
        delivery.pdi = pdi
        delivery.full_clean()
        delivery.save(update_fields=["pdi", "updated_at"])
        event_record(
            target=delivery, action="pdi_updated", actor=actor, data={k: bool(v) for k, v in items.items()}
        )
    return delivery


def delivery_complete(
    *, delivery: Delivery, actor, handed_over_at: datetime.datetime | None = None
) -> Delivery:
    """Hand the vehicles over: the PDI must be complete and the vehicles paid for.

    The vehicles become delivered, the customer's after-sales record starts (follow-up calls
    and the first maintenance reminder), and the order is delivered when its last vehicle is.
    """
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
        order = _lock(delivery.order)
        if delivery.handed_over_at:
            raise DomainError(_("This delivery is already handed over."), code="handed_over")
        if order.status not in (OrderStatus.ALLOCATED, OrderStatus.PAID, OrderStatus.DEPOSIT_PAID):
            raise DomainError(
                _("An order that is “%(s)s” cannot be delivered.") % {"s": order.get_status_display()},
                code="not_deliverable",
            )
        missing = [str(label) for key, label in PDI_ITEMS if not (delivery.pdi or {}).get(key)]
        if missing:
            raise DomainError(
                {"pdi": _("Complete the PDI checklist first: %(items)s.") % {"items": "; ".join(missing)}},
                code="pdi_incomplete",
            )
        allocations = list(
            delivery.allocations.filter(status=AllocationStatus.ALLOCATED).select_related("line")
        )
        if not allocations:
            raise DomainError(_("This delivery has no vehicles."), code="empty_delivery")
        _payment_covers(order, allocations)
        handed_over_at = handed_over_at or now()
        if handed_over_at > now():
            raise DomainError({"handed_over_at": _("The handover cannot be in the future.")})
        for allocation in allocations:
            vehicle = Vehicle.objects.select_for_update().get(pk=allocation.vehicle_id)
            old = vehicle.status
            vehicle.status = VehicleStatus.DELIVERED
            vehicle.save(update_fields=["status", "updated_at"])
            event_record(
                target=vehicle,
                action="delivered",
                actor=actor,
                from_state=old,
                to_state=VehicleStatus.DELIVERED,
                data={"order": order.pk, "customer": order.customer_id},
            )
        VehicleAllocation.objects.filter(pk__in=[a.pk for a in allocations]).update(
            status=AllocationStatus.DELIVERED
        )
        delivery.handed_over_at = handed_over_at
        delivery.handed_over_by = actor
        delivery.save(update_fields=["handed_over_at", "handed_over_by", "updated_at"])
        event_record(
            target=delivery,
            action="handed_over",
            actor=actor,
            data={"vehicles": [a.vehicle_id for a in allocations]},
        )
        _aftersales_start(order, [a.vehicle_id for a in allocations], handed_over_at, actor)
        units = _units(order)
        if units["delivered"] >= units["wanted"]:
            transition(
                order,
                workflow="order",
                field="status",
                target=OrderStatus.DELIVERED,
                actor=actor,
                action="delivered",
            )
    return delivery


def _payment_covers(order: Order, allocations):
    """The last batch needs the order paid in full; an earlier fleet batch needs its vehicles paid."""
    units = _units(order)
    last_batch = units["delivered"] + len(allocations) >= units["wanted"]
    if last_batch:
        if order.status != OrderStatus.PAID:
            raise DomainError(
                _("The order must be paid in full before the last vehicle is delivered; %(due)s is due.")
                % {"due": _yuan(order.balance_due)},
                code="not_paid",
            )
        return
    delivered_value = sum(
        (a.line.unit_price - a.line.unit_discount)
        for a in VehicleAllocation.objects.filter(
            order=order, status=AllocationStatus.DELIVERED
        ).select_related("line")
        if a.line_id
    )
    batch_value = sum((a.line.unit_price - a.line.unit_discount) for a in allocations if a.line_id)
    needed = delivered_value + batch_value - order.trade_in_credit
    if order.paid_total < needed:
        raise DomainError(
            _("Payments of %(paid)s do not cover the %(needed)s of the vehicles delivered so far.")
            % {"paid": _yuan(order.paid_total), "needed": _yuan(needed)},
            code="not_paid",
        )


def _aftersales_start(order: Order, vehicle_ids, handed_over_at, actor):
    """Open the customer's after-sales record: follow-up calls on day 3 and 30, first maintenance reminder."""
    from django.utils import timezone

    from autosales.aftersales.services import followups_for_delivery

    followups_for_delivery(
        order=order,
        delivered_on=timezone.localtime(handed_over_at).date(),
        actor=actor,
        vehicles=Vehicle.objects.filter(pk__in=vehicle_ids).select_related("trim"),
    )


def order_close(*, order: Order, actor) -> Order:
    with transaction.atomic():
        order = _lock(order)
        if order.balance_due != 0:
            raise DomainError(_("%(due)s is still due on this order.") % {"due": _yuan(order.balance_due)})
        return transition(
            order, workflow="order", field="status", target=OrderStatus.CLOSED, actor=actor, action="closed"
        )


def sales_target_set(
    *, actor, store, month: datetime.date, salesperson=None, units=0, revenue=ZERO, gross_profit=ZERO
) -> SalesTarget:
    """Set a month's target for a salesperson (or the whole store)."""
    if role_of(actor) not in (Role.SALES_MANAGER, Role.GENERAL_MANAGER, Role.ADMIN):
        raise DomainError(_("Only a manager sets targets."), code="not_manager")
    month = month.replace(day=1)
    with transaction.atomic():
        target, created = SalesTarget.objects.select_for_update().get_or_create(
            store=store, salesperson=salesperson, month=month, defaults={"created_by": actor}
        )
        target.units, target.revenue, target.gross_profit = (
            units,
            pricing.money(revenue),
            pricing.money(gross_profit),
        )
        target.full_clean()
        target.save()
        event_record(
            target=target,
            action="target_set",
            actor=actor,
            data={"units": units, "revenue": str(revenue), "gross_profit": str(gross_profit)},
        )
    return target
