"""Quotes: lines, pricing, the discount policy and its approvals."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_update_with_history

from autosales.core.choices import Role
from autosales.core.events import event_record
from autosales.core.exceptions import DomainError
from autosales.core.models import Store
from autosales.core.money import ZERO
from autosales.core.numbering import number_next
from autosales.core.prepared import prepared
from autosales.inventory.choices import VehicleStatus

from .. import pricing, selectors
from ..choices import ApprovalDecision, LeadStage, LineKind, QuoteStatus, TradeInStatus
from ..models import Quote, QuoteApproval, QuoteLine, TradeInAppraisal
from ..workflows import QUOTE_EDITABLE
from ._common import now, quote_lines, quote_locked, role_of, today, transition

DEFAULT_VALIDITY_DAYS = 14


def _close_pending_approvals(quote, *, actor, reason: str):
    """Reject the quote's pending approval requests, with a historical version of each."""
    pending = list(QuoteApproval.objects.filter(quote=quote, decision=ApprovalDecision.PENDING))
    if not pending:
        return
    decided_at = now()
    for approval in pending:
        approval.decision, approval.reason, approval.decided_at = (
            ApprovalDecision.REJECTED,
            reason,
            decided_at,
        )
    bulk_update_with_history(
        pending,
        QuoteApproval,
        ["decision", "reason", "decided_at"],
        default_user=actor if getattr(actor, "pk", None) else None,
    )


def document_number(*, store, kind: str, prefix: str, on: datetime.date | None = None) -> str:
    on = on or today()
    return f"{prefix}-{number_next(store=store, kind=kind, year=on.year)}"


_store = prepared(lambda pk: Store.objects.filter(pk=pk))


def _store_of(customer) -> Store:
    """``customer.store``, read through a prepared statement when it is not loaded yet."""
    field = type(customer).store.field
    if not field.is_cached(customer):
        field.set_cached_value(customer, _store.get(customer.store_id))
    return customer.store


def quote_create(
    *,
    actor,
    customer,
    store=None,
    lead=None,
    salesperson=None,
    valid_until: datetime.date | None = None,
    notes: str = "",
) -> Quote:
    """Open a draft quote; a company with an active fleet agreement quotes from its prices."""
    store = store or (lead.store if lead else None) or _store_of(customer)
    if lead is not None and lead.customer_id != customer.pk:
        raise DomainError({"lead": _("The lead belongs to another customer.")})
    valid_until = valid_until or today() + datetime.timedelta(days=DEFAULT_VALIDITY_DAYS)
    if valid_until < today():
        raise DomainError({"valid_until": _("The validity date cannot be in the past.")})
    with transaction.atomic():
        quote = Quote(
            store=store,
            customer=customer,
            lead=lead,
            salesperson=salesperson
            or (actor if role_of(actor) == Role.SALESPERSON else None)
            or (lead.owner if lead else None)
            or actor,
            number=document_number(store=store, kind="quote", prefix="Q"),
            valid_until=valid_until,
            fleet_agreement=selectors.active_fleet_agreement(customer),
            notes=notes,
            created_by=actor,
        )
        # The number comes from the store's sequence: no uniqueness query (the database's unique
        # constraint still holds).
        quote.full_clean(validate_unique=False)
        quote.save()
        event_record(target=quote, action="created", actor=actor, to_state=quote.status)
        if lead is not None:
            from .leads import lead_advance_to

            lead_advance_to(lead, stage=LeadStage.QUOTED, actor=actor, action="quoted")
    return quote


def _lock_editable(quote: Quote) -> Quote:
    quote = quote_locked.get(quote.pk)
    if quote.status not in QUOTE_EDITABLE:
        raise DomainError(
            _("A quote that is “%(status)s” cannot be changed.") % {"status": quote.get_status_display()},
            code="not_editable",
        )
    return quote


def _reopen_after_change(quote: Quote, *, actor, what: str):
    """Any change to a priced quote withdraws its approval: it must be submitted again."""
    if quote.status != QuoteStatus.DRAFT:
        quote.approved_by = None
        quote.approved_at = None
        quote.required_role = ""
        transition(
            quote,
            workflow="quote",
            field="status",
            target=QuoteStatus.DRAFT,
            actor=actor,
            action="reopened",
            reason=what,
            extra_fields=["approved_by", "approved_at", "required_role"],
        )


def _vehicle_line_defaults(quote, *, vehicle, trim):
    if vehicle is not None:
        if vehicle.status not in (VehicleStatus.IN_STOCK, VehicleStatus.IN_TRANSIT, VehicleStatus.ORDERED):
            raise DomainError(
                {
                    "vehicle": _("Vehicle %(vin)s is not for sale (%(status)s).")
                    % {"vin": vehicle.vin, "status": vehicle.get_status_display()}
                }
            )
        trim = vehicle.trim
        price, cost = vehicle.list_price or trim.msrp, vehicle.cost or trim.standard_cost
    else:
        price, cost = trim.msrp, trim.standard_cost
    if quote.fleet_agreement_id:
        agreed = quote.fleet_agreement.lines.filter(trim=trim).values_list("unit_price", flat=True).first()
        if agreed is not None:
            price = agreed
    return trim, price, cost


def quote_line_add(
    *,
    quote: Quote,
    actor,
    kind: str = LineKind.VEHICLE,
    trim=None,
    vehicle=None,
    trade_in: TradeInAppraisal | None = None,
    quantity: int = 1,
    description: str = "",
    unit_price=None,
    unit_discount=ZERO,
    unit_cost=None,
    income=ZERO,
    is_free: bool = False,
    down_payment=None,
    finance_amount=None,
    term_months: int | None = None,
    annual_rate=None,
) -> QuoteLine:
    """Add a line; a vehicle by VIN or trim is priced from stock, the catalogue or the fleet agreement,
    a trade-in credits its appraisal, financing gets its monthly payment by the annuity formula."""
    with transaction.atomic():
        quote = _lock_editable(quote)
        line = QuoteLine(
            quote=quote, kind=kind, quantity=quantity or 1, description=description, is_free=is_free
        )
        if kind == LineKind.VEHICLE:
            if vehicle is None and trim is None:
                raise DomainError({"trim": _("Choose a vehicle by VIN or a trim.")})
            if vehicle is not None and quote.lines.filter(vehicle=vehicle).exists():
                raise DomainError({"vehicle": _("This vehicle is already on the quote.")})
            trim, price, cost = _vehicle_line_defaults(quote, vehicle=vehicle, trim=trim)
            line.trim, line.vehicle = trim, vehicle
            if vehicle is not None:
                line.quantity = 1
            line.description = description or str(trim)
            line.unit_price = price if unit_price is None else unit_price
            line.unit_cost = cost if unit_cost is None else unit_cost
        elif kind == LineKind.TRADE_IN:
            if trade_in is None:
                raise DomainError({"trade_in": _("Choose the trade-in appraisal.")})
            _check_trade_in(trade_in, quote)
            line.trade_in = trade_in
            line.quantity = 1
            line.description = description or trade_in.description
            line.unit_price = trade_in.appraised_value
            line.unit_cost = ZERO
        elif kind == LineKind.FINANCING:
            if term_months is None or annual_rate is None:
                raise DomainError({"term_months": _("Financing needs a term and an annual rate.")})
            if term_months < 1 or term_months > 120:
                raise DomainError({"term_months": _("The term is from 1 to 120 months.")})
            annual_rate = Decimal(str(annual_rate))
            if annual_rate < 0 or annual_rate > 1:
                raise DomainError(
                    {"annual_rate": _("Enter the annual rate as a share, e.g. 0.0350 for 3.5%.")}
                )
            totals = pricing.document_totals(quote.lines.all())
            down = pricing.money(down_payment or 0)
            principal = pricing.money(finance_amount) if finance_amount is not None else totals.payable - down
            if principal <= 0:
                raise DomainError({"finance_amount": _("The amount financed must be greater than zero.")})
            if principal + down > totals.payable and finance_amount is None:
                raise DomainError({"down_payment": _("The down payment exceeds the price.")})
            line.down_payment, line.finance_amount = down, principal
            line.term_months, line.annual_rate = term_months, annual_rate
            line.monthly_payment = pricing.annuity_payment(principal, annual_rate, term_months)
            line.description = description or str(
                _("Loan %(months)s months at %(rate)s%%")
                % {"months": term_months, "rate": (annual_rate * 100).normalize()}
            )
            line.unit_price = ZERO
            line.unit_cost = ZERO
            line.quantity = 1
        else:
            if unit_price is None:
                raise DomainError({"unit_price": _("Enter the price.")})
            line.unit_price = unit_price
            line.unit_cost = unit_cost if unit_cost is not None else ZERO
        line.income = income or ZERO
        line.unit_discount = line.unit_price if is_free else (unit_discount or ZERO)
        line.full_clean()
        line.save()
        _reopen_after_change(quote, actor=actor, what=str(_("line added")))
        quote_recalculate(quote)
        event_record(
            target=quote,
            action="line_added",
            actor=actor,
            data={
                "line": line.pk,
                "kind": kind,
                "price": str(line.unit_price),
                "discount": str(line.unit_discount),
            },
        )
    return line


def _check_trade_in(trade_in, quote):
    if trade_in.customer_id != quote.customer_id:
        raise DomainError({"trade_in": _("The appraisal is of another customer's car.")})
    if trade_in.status == TradeInStatus.DECLINED:
        raise DomainError({"trade_in": _("The customer declined this appraisal.")})
    if trade_in.valid_until and trade_in.valid_until < today():
        raise DomainError({"trade_in": _("The appraisal expired on %(d)s.") % {"d": trade_in.valid_until}})


def quote_line_update(*, line: QuoteLine, actor, **data) -> QuoteLine:
    """Change a line's quantity, discount, price, cost, income or free flag."""
    allowed = {"quantity", "unit_discount", "unit_price", "unit_cost", "income", "is_free", "description"}
    unknown = set(data) - allowed
    if unknown:
        raise DomainError(_("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))})
    with transaction.atomic():
        quote = _lock_editable(line.quote)
        line = QuoteLine.objects.select_for_update().get(pk=line.pk, quote=quote)
        if line.kind in (LineKind.FINANCING, LineKind.TRADE_IN) and set(data) - {"description"}:
            raise DomainError(_("Remove this line and add it again to change it."), code="fixed_line")
        old = {k: str(getattr(line, k)) for k in data}
        for name, value in data.items():
            setattr(line, name, value)
        if line.is_free:
            line.unit_discount = line.unit_price
        if line.vehicle_id:
            line.quantity = 1
        line.full_clean()
        line.save()
        _reopen_after_change(quote, actor=actor, what=str(_("line changed")))
        quote_recalculate(quote)
        event_record(
            target=quote,
            action="line_changed",
            actor=actor,
            data={"line": line.pk, "old": old, "new": {k: str(getattr(line, k)) for k in data}},
        )
    return line


def quote_line_remove(*, line: QuoteLine, actor) -> None:
    with transaction.atomic():
        quote = _lock_editable(line.quote)
        data = {"line": line.pk, "kind": line.kind, "description": line.description}
        QuoteLine.objects.filter(pk=line.pk, quote=quote).delete()
        _reopen_after_change(quote, actor=actor, what=str(_("line removed")))
        quote_recalculate(quote)
        event_record(target=quote, action="line_removed", actor=actor, data=data)


def quote_update(*, quote: Quote, actor, valid_until=None, notes=None) -> Quote:
    """Change the validity date or notes; a new validity date also withdraws any approval."""
    with transaction.atomic():
        quote = _lock_editable(quote)
        changes = {}
        fields = []
        if valid_until is not None and valid_until != quote.valid_until:
            if valid_until < today():
                raise DomainError({"valid_until": _("The validity date cannot be in the past.")})
            changes["valid_until"] = {"old": str(quote.valid_until), "new": str(valid_until)}
            quote.valid_until = valid_until
            fields.append("valid_until")
        if notes is not None and notes != quote.notes:
            quote.notes = notes
            fields.append("notes")
        if fields:
            quote.save(update_fields=[*fields, "updated_at"])
            event_record(target=quote, action="updated", actor=actor, data=changes)
            if "valid_until" in fields:
                _reopen_after_change(quote, actor=actor, what=str(_("validity changed")))
    return quote


def taxes_for(lines, *, on: datetime.date) -> tuple[Decimal, Decimal]:
    """Purchase tax and registration fee estimates of the vehicle lines, per vehicle, by rule."""
    tax = fees = ZERO
    for line in lines:
        if line.kind != LineKind.VEHICLE or not line.trim_id:
            continue
        rule = selectors.tax_rule_for(on=on, fuel_type=line.trim.fuel_type)
        if rule is None:
            continue
        per_vehicle = pricing.purchase_tax(
            line.unit_price - line.unit_discount,
            vat_rate=rule.vat_rate,
            rate=rule.purchase_tax_rate,
            reduction=rule.purchase_tax_reduction,
            reduction_cap=rule.reduction_cap,
        )
        tax += per_vehicle * line.quantity
        fees += pricing.money(rule.registration_fee) * line.quantity
    return tax, fees


def quote_recalculate(quote: Quote, lines: list | None = None) -> Quote:
    """Store the totals of the lines on the quote (kept for fast lists and reports); saved only
    when a figure changed."""
    if lines is None:
        lines = quote_lines(quote, trims=True)
    totals = pricing.document_totals(lines)
    tax, fees = taxes_for(lines, on=today())
    figures = {
        "list_total": totals.list_total,
        "discount_total": totals.discount_total,
        "total": totals.total,
        "cost_total": totals.cost_total,
        "income_total": totals.income_total,
        "trade_in_credit": totals.trade_in_credit,
        "purchase_tax": tax,
        "registration_fees": fees,
    }
    changed = [name for name, value in figures.items() if getattr(quote, name) != value]
    if changed:
        for name in changed:
            setattr(quote, name, figures[name])
        quote.save(update_fields=[*changed, "updated_at"])
    return quote


def quote_policy(
    quote: Quote, *, lines: list | None = None, authorities: list | None = None, segment: tuple | None = None
) -> dict:
    """What the discount policy says about a quote: discount, margin, floor and the approver needed."""
    if lines is None:
        lines = quote_lines(quote, trims=True)
    totals = pricing.document_totals(lines)
    model_ids = {line.trim.car_model_id for line in lines if line.kind == LineKind.VEHICLE and line.trim_id}
    floor = selectors.margin_floor_for(customer=quote.customer, car_model_ids=model_ids, segment=segment)
    need = pricing.approver_for(
        authorities=selectors.authorities() if authorities is None else authorities,
        discount=totals.discount_total,
        list_total=totals.list_total,
        below_floor=pricing.is_below_floor(totals.gross_profit, totals.total, floor),
    )
    return {"totals": totals, "floor": floor, "need": need}


_quote_for_submit = prepared(
    lambda pk: Quote.objects.select_for_update(of=("self",)).select_related("customer").filter(pk=pk)
)


def quote_submit(*, quote: Quote, actor, reason: str = "") -> Quote:
    """Check the quote against the discount policy.

    Within the submitter's own authority it is approved at once; otherwise it waits for the
    lowest role that may approve it. Below the margin floor a written reason is required.
    """
    # The customer's tier and type come from the key-account analysis, kept for minutes; working
    # it out afresh takes a second or two on a large database, which must not happen while this
    # transaction holds its locks (on SQLite, the write lock of the whole database).
    segment = selectors.customer_segment(quote.customer)
    with transaction.atomic():
        quote = _quote_for_submit.get(quote.pk)
        if quote.status in (QuoteStatus.REJECTED, QuoteStatus.EXPIRED):
            transition(
                quote,
                workflow="quote",
                field="status",
                target=QuoteStatus.DRAFT,
                actor=actor,
                action="reopened",
            )
        lines = quote_lines(quote, trims=True)
        if not any(line.kind not in (LineKind.FINANCING, LineKind.TRADE_IN) for line in lines):
            raise DomainError(_("Add at least one vehicle or product before submitting."), code="empty_quote")
        if quote.valid_until < today():
            raise DomainError(
                {
                    "valid_until": _("The quote expired on %(d)s; set a new validity date.")
                    % {"d": quote.valid_until}
                }
            )
        quote_recalculate(quote, lines)
        authorities = selectors.authorities()
        policy = quote_policy(quote, lines=lines, authorities=authorities, segment=segment)
        totals, need = policy["totals"], policy["need"]
        reason = (reason or "").strip()
        if need.below_floor and not reason:
            raise DomainError(
                {
                    "approval_reason": _(
                        "The margin %(margin)s is below the floor of %(floor)s: give a written reason."
                    )
                    % {"margin": f"{totals.margin:.2%}", "floor": f"{policy['floor']:.2%}"}
                },
                code="below_floor",
            )
        if need.role is None:
            raise DomainError(
                _("No one may approve a discount of %(rate)s on this quote; reduce the discount.")
                % {"rate": f"{totals.discount_rate:.2%}"},
                code="no_authority",
            )
        quote.approval_reason = reason
        quote.required_role = need.role
        figures = {
            "discount": str(totals.discount_total),
            "rate": str(totals.discount_rate),
            "margin": str(totals.margin),
            "floor": str(policy["floor"]),
            "role": need.role,
        }
        if pricing.role_covers(authorities, role_of(actor), need.role) or (
            actor.is_superuser if actor else False
        ):
            quote.approved_by = actor
            quote.approved_at = now()
            return transition(
                quote,
                workflow="quote",
                field="status",
                target=QuoteStatus.APPROVED,
                actor=actor,
                action="approved_within_authority",
                reason=reason,
                data=figures,
                extra_fields=["approval_reason", "required_role", "approved_by", "approved_at"],
            )
        _close_pending_approvals(quote, actor=actor, reason=str(_("Superseded by a new request.")))
        QuoteApproval.objects.create(
            quote=quote,
            required_role=need.role,
            discount_total=totals.discount_total,
            discount_rate=totals.discount_rate,
            margin=totals.margin,
            margin_floor=policy["floor"],
            below_floor=need.below_floor,
            concessions_this_year=selectors.concessions_this_year(quote.customer, exclude_quote=quote),
            request_note=reason,
            created_by=actor,
        )
        return transition(
            quote,
            workflow="quote",
            field="status",
            target=QuoteStatus.PENDING_APPROVAL,
            actor=actor,
            action="submitted",
            reason=reason,
            data=figures,
            extra_fields=["approval_reason", "required_role"],
        )


def _pending_approval(quote: Quote) -> QuoteApproval:
    approval = (
        QuoteApproval.objects.select_for_update()
        .filter(quote=quote, decision=ApprovalDecision.PENDING)
        .order_by("-id")
        .first()
    )
    if approval is None:
        raise DomainError(_("This quote is not waiting for approval."), code="not_pending")
    return approval


def _approver_check(actor, quote, approval):
    role = role_of(actor)
    if not (actor.is_superuser or pricing.role_covers(selectors.authorities(), role, approval.required_role)):
        raise DomainError(
            _("This discount needs approval by a %(role)s.") % {"role": Role(approval.required_role).label},
            code="no_authority",
        )
    if role == Role.SALES_MANAGER and actor.store_id != quote.store_id:
        raise DomainError(_("Only a manager of the quote's store may approve it."), code="wrong_store")
    if actor.pk == quote.salesperson_id:
        raise DomainError(_("Nobody approves their own quote."), code="own_quote")


def quote_approve(*, quote: Quote, actor, reason: str = "") -> Quote:
    """The approver accepts the discount; below the floor the approver must write why."""
    with transaction.atomic():
        quote = quote_locked.get(quote.pk)
        approval = _pending_approval(quote)
        _approver_check(actor, quote, approval)
        if approval.below_floor and not (reason or "").strip():
            raise DomainError({"reason": _("Approving below the margin floor needs a written reason.")})
        approval.decision = ApprovalDecision.APPROVED
        approval.decided_by = actor
        approval.decided_at = now()
        approval.reason = reason
        approval.save(update_fields=["decision", "decided_by", "decided_at", "reason", "updated_at"])
        quote.approved_by = actor
        quote.approved_at = approval.decided_at
        return transition(
            quote,
            workflow="quote",
            field="status",
            target=QuoteStatus.APPROVED,
            actor=actor,
            action="approved",
            reason=reason,
            data={"approval": approval.pk},
            extra_fields=["approved_by", "approved_at"],
        )


def quote_reject(*, quote: Quote, actor, reason: str) -> Quote:
    if not (reason or "").strip():
        raise DomainError({"reason": _("Give the reason for the rejection.")})
    with transaction.atomic():
        quote = quote_locked.get(quote.pk)
        approval = _pending_approval(quote)
        _approver_check(actor, quote, approval)
        approval.decision = ApprovalDecision.REJECTED
        approval.decided_by = actor
        approval.decided_at = now()
        approval.reason = reason
        approval.save(update_fields=["decision", "decided_by", "decided_at", "reason", "updated_at"])
        return transition(
            quote,
            workflow="quote",
            field="status",
            target=QuoteStatus.REJECTED,
            actor=actor,
            action="rejected",
            reason=reason,
            data={"approval": approval.pk},
        )


def _not_expired(quote):
    if quote.valid_until < today():
        raise DomainError(
            _("Quote %(number)s expired on %(d)s; renew it before continuing.")
            % {"number": quote.number, "d": quote.valid_until},
            code="expired",
        )


def quote_send(*, quote: Quote, actor) -> Quote:
    with transaction.atomic():
        quote = quote_locked.get(quote.pk)
        _not_expired(quote)
        return transition(
            quote, workflow="quote", field="status", target=QuoteStatus.SENT, actor=actor, action="sent"
        )


def quote_accept(*, quote: Quote, actor) -> Quote:
    """The customer accepts an approved quote before it expires."""
    with transaction.atomic():
        quote = quote_locked.get(quote.pk)
        _not_expired(quote)
        transition(
            quote,
            workflow="quote",
            field="status",
            target=QuoteStatus.ACCEPTED,
            actor=actor,
            action="accepted",
        )
        if quote.lead_id:
            from .leads import lead_advance_to

            lead_advance_to(quote.lead, stage=LeadStage.NEGOTIATING, actor=actor, action="quote_accepted")
        return quote


def quote_cancel(*, quote: Quote, actor, reason: str = "") -> Quote:
    with transaction.atomic():
        quote = quote_locked.get(quote.pk)
        _close_pending_approvals(quote, actor=actor, reason=str(_("Quote cancelled.")))
        return transition(
            quote,
            workflow="quote",
            field="status",
            target=QuoteStatus.CANCELLED,
            actor=actor,
            action="cancelled",
            reason=reason,
        )


def quotes_expire(*, on: datetime.date | None = None, actor=None) -> int:
    """Mark approved and sent quotes past their validity as expired."""
    on = on or today()
    count = 0
    for quote in Quote.objects.filter(
        status__in=(QuoteStatus.APPROVED, QuoteStatus.SENT), valid_until__lt=on
    ):
        with transaction.atomic():
            transition(
                quote,
                workflow="quote",
                field="status",
                target=QuoteStatus.EXPIRED,
                actor=actor,
                action="expired",
            )
            count += 1
    return count


def trade_in_appraise(*, actor, customer, store=None, **data) -> TradeInAppraisal:
    """Record the appraisal of the customer's old car."""
    from autosales.core.services import model_create

    data.setdefault("valid_until", today() + datetime.timedelta(days=7))
    return model_create(
        TradeInAppraisal,
        actor=actor,
        data={"customer": customer, "store": store or customer.store, "appraiser": actor, **data},
    )
