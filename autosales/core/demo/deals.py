"""Deals of the demo seed: pricing, quotes with approvals, orders with lines, vehicles, payments and
deliveries, trade-ins and fleet agreements.

Customer value is deliberately skewed as in a real dealership: fleet accounts and a few repeat or
premium buyers bring most of the profit, most walk-in buyers bring a little, and some buyers lose
money because of deep discounts and free extras.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace

from autosales.core.choices import Role
from autosales.inventory import models as inventory_models
from autosales.inventory.choices import NEW_ENERGY_FUELS, VehicleStatus
from autosales.sales import models as sales_models
from autosales.sales import pricing
from autosales.sales.choices import (
    PDI_ITEMS,
    ActivityKind,
    AgreementStatus,
    AllocationStatus,
    ApprovalDecision,
    LeadSource,
    LeadStage,
    LineKind,
    LostReason,
    LostRequestStatus,
    OrderStatus,
    PaymentKind,
    PaymentMethod,
    QuoteStatus,
    TradeInStatus,
)

from . import catalogue
from .rows import rows_of

Vehicle = rows_of(inventory_models.Vehicle)
Delivery = rows_of(sales_models.Delivery)
FleetAgreement = rows_of(sales_models.FleetAgreement)
FleetAgreementLine = rows_of(sales_models.FleetAgreementLine)
Order = rows_of(sales_models.Order)
OrderLine = rows_of(sales_models.OrderLine)
Payment = rows_of(sales_models.Payment)
Quote = rows_of(sales_models.Quote)
QuoteApproval = rows_of(sales_models.QuoteApproval)
QuoteLine = rows_of(sales_models.QuoteLine)
TradeInAppraisal = rows_of(sales_models.TradeInAppraisal)
VehicleAllocation = rows_of(sales_models.VehicleAllocation)

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# Usual street discount per brand, as a share of the MSRP.
BRAND_DISCOUNT = {
    "比亚迪": 0.015,
    "吉利": 0.03,
    "长安": 0.03,
    "大众": 0.04,
    "丰田": 0.025,
    "本田": 0.025,
    "理想": 0.0,
    "蔚来": 0.01,
    "别克": 0.045,
    "五菱": 0.02,
}
FLEET_ORDER_MONTHS = {"rental": (4, 8), "taxi": (6, 12), "logistics": (4, 8), "government": (10, 15)}
FLEET_ORDER_SIZE = {"rental": (5, 16), "taxi": (8, 20), "logistics": (4, 12), "government": (2, 6)}


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def round_to(value, step: int) -> Decimal:
    return (Decimal(value) / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


def line_totals(lines) -> dict:
    """Stored totals of a quote or order, computed by the sales domain's own arithmetic."""
    totals = pricing.document_totals(SimpleNamespace(**line) for line in lines)
    return {
        "list_total": totals.list_total,
        "discount_total": totals.discount_total,
        "total": totals.total,
        "cost_total": totals.cost_total,
        "income_total": totals.income_total,
        "trade_in_credit": totals.trade_in_credit,
    }


def purchase_tax(lines, year: int) -> Decimal:
    """Purchase tax estimate: 10% of the VAT-exclusive price; new-energy vehicles exempt or halved."""
    tax = ZERO
    for line in lines:
        if line["kind"] != LineKind.VEHICLE:
            continue
        unit = (line["unit_price"] - line["unit_discount"]) / Decimal("1.13") * Decimal("0.10")
        if line["trim"].fuel_type in NEW_ENERGY_FUELS:
            if year <= 2025:
                unit -= min(unit, Decimal(30000))
            elif year <= 2027:
                unit -= min(unit / 2, Decimal(15000))
        tax += money(unit) * line["quantity"]
    return tax


def monthly_payment(amount: Decimal, rate: Decimal, months: int) -> Decimal:
    return pricing.annuity_payment(amount, rate, months)


class DealMixin:
    # ------------------------------------------------------------------ pricing

    def retail_price(self, trim, profile):
        """List price, discount and cost of one vehicle for a retail buyer of this profile."""
        base = BRAND_DISCOUNT[trim.brand_name]
        rate = base + self.rng.gauss(0, 0.012)
        if profile == "loss":
            rate += self.rng.uniform(0.05, 0.09)
        elif profile == "premium":
            rate -= 0.01
        rate = min(max(rate, 0.0), 0.22)
        discount = round_to(trim.msrp * Decimal(str(round(rate, 4))), 100)
        return trim.msrp, money(discount), trim.standard_cost

    def line(
        self,
        kind,
        description,
        price,
        *,
        cost=ZERO,
        discount=ZERO,
        quantity=1,
        income=ZERO,
        trim=None,
        **extra,
    ):
        return {
            "kind": kind,
            "description": description,
            "trim": trim,
            "quantity": quantity,
            "unit_price": money(price),
            "unit_discount": money(discount),
            "unit_cost": money(cost),
            "income": money(income),
            "is_free": extra.pop("is_free", False),
            **extra,
        }

    def retail_lines(self, trim, profile, quantity, day, *, max_finance=None):
        rng = self.rng
        price, discount, cost = self.retail_price(trim, profile)
        lines = [
            self.line(
                LineKind.VEHICLE, str(trim), price, cost=cost, discount=discount, trim=trim, vehicle=None
            )
            for _ in range(quantity)
        ]
        vehicle_amount = (price - discount) * quantity
        generous = profile != "loss"
        rich = profile in ("premium", "repeat")
        if rng.random() < (0.95 if rich else 0.7 if generous else 0.3):
            premium = round_to(price * Decimal(str(rng.uniform(0.028, 0.04))), 10)
            commission = premium * Decimal(str(rng.uniform(0.10, 0.18)))
            lines.append(
                self.line(
                    LineKind.INSURANCE,
                    f"{rng.choice(catalogue.INSURERS)} 商业险+交强险",
                    premium,
                    cost=premium,
                    quantity=quantity,
                    income=commission * quantity,
                )
            )
        if quantity == 1 and rng.random() < (0.7 if rich else 0.35 if generous else 0.15):
            down = Decimal(rng.choice((30, 35, 40, 50))) / 100
            amount = round_to(vehicle_amount * (1 - down), 1000)
            if max_finance is not None:
                amount = min(amount, round_to(max_finance, 1000))
            if amount >= 20000:
                months = rng.choice((24, 36, 36, 60))
                rate = Decimal(rng.choice(("0", "0.0299", "0.0399", "0.0499")))
                lines.append(
                    self.line(
                        LineKind.FINANCING,
                        f"{rng.choice(catalogue.LENDERS)} {months}期贷款",
                        ZERO,
                        income=amount * Decimal(str(rng.uniform(0.02, 0.04))),
                        finance_amount=money(amount),
                        down_payment=money(vehicle_amount - amount),
                        term_months=months,
                        annual_rate=rate,
                        monthly_payment=monthly_payment(amount, rate, months),
                    )
                )
                if rng.random() < 0.3:
                    name, fee, fee_cost = catalogue.FEES[1]
                    lines.append(self.line(LineKind.FEE, name, fee, cost=fee_cost))
        n_accessories = rng.randint(1, 3) if rich else rng.choice((0, 0, 0, 1, 1, 2))
        for name, acc_price, acc_cost in rng.sample(catalogue.ACCESSORIES, n_accessories):
            if trim.fuel_type != "electric" and "充电桩" in name:
                continue
            lines.append(self.line(LineKind.ACCESSORY, name, acc_price, cost=acc_cost, quantity=quantity))
        if rng.random() < (0.6 if rich else 0.25 if generous else 0.1):
            name, pkg_price, pkg_cost = rng.choice(catalogue.SERVICE_PACKAGES)
            lines.append(
                self.line(LineKind.SERVICE_PACKAGE, name, pkg_price, cost=pkg_cost, quantity=quantity)
            )
        if rng.random() < 0.5:
            name, fee, fee_cost = catalogue.FEES[0]
            lines.append(self.line(LineKind.FEE, name, fee, cost=fee_cost))
        n_free = rng.randint(2, 4) if profile == "loss" else (1 if rng.random() < 0.35 else 0)
        for name, free_price, free_cost in rng.sample(catalogue.FREE_EXTRAS, n_free):
            kind = LineKind.SERVICE_PACKAGE if "保养" in name else LineKind.ACCESSORY
            lines.append(
                self.line(
                    kind,
                    name,
                    free_price,
                    cost=free_cost,
                    discount=free_price,
                    quantity=quantity,
                    is_free=True,
                )
            )
        return lines

    def deepen_discount(self, lines, extra_rate: Decimal):
        for line in lines:
            if line["kind"] == LineKind.VEHICLE:
                extra = round_to(line["unit_price"] * extra_rate, 100)
                line["unit_discount"] = money(min(line["unit_price"], line["unit_discount"] + extra))

    def required_role(self, totals) -> tuple[str, bool]:
        """The approver the discount policy asks for, and whether the margin is below the floor."""
        profit = totals["total"] - totals["cost_total"] + totals["income_total"]
        below = pricing.is_below_floor(profit, totals["total"], self.margin_floor)
        need = pricing.approver_for(
            authorities=self.authorities,
            discount=totals["discount_total"],
            list_total=totals["list_total"],
            below_floor=below,
        )
        return need.role or (self.authorities[-1].role if self.authorities else ""), below

    # ------------------------------------------------------------------ documents

    def quote(self, customer, store, owner, lead, day, lines, status, *, agreement=None):
        rng = self.rng
        totals = line_totals(lines)
        required, below_floor = self.required_role(totals)
        lowest = self.authorities[0].role if self.authorities else ""
        needs_approval = bool(required) and required != lowest
        if status == QuoteStatus.PENDING_APPROVAL and not needs_approval:
            status = QuoteStatus.SENT
        when = self.at(day)
        approver = None
        if status not in (QuoteStatus.DRAFT, QuoteStatus.PENDING_APPROVAL, QuoteStatus.REJECTED):
            approver = (
                owner
                if not needs_approval
                else self.gm
                if required == Role.GENERAL_MANAGER
                else store.manager
            )
        reason = (
            "大客户年度框架协议价格，已报总经理审批" if agreement else "客户对比了其他门店报价，申请额外优惠"
        )
        quote = self.add(
            Quote(
                store=store,
                customer=customer,
                salesperson=owner,
                lead=lead,
                number=self.next_placeholder("quote"),
                status=status,
                valid_until=day + self.days(rng.choice((7, 15, 15, 30))),
                fleet_agreement=agreement,
                required_role=required if status != QuoteStatus.DRAFT else "",
                approved_by=approver,
                approved_at=when + datetime.timedelta(hours=rng.randint(1, 20)) if approver else None,
                created_by=owner,
                **totals,
                **self.tax_fields(lines, day),
                **optional_fields(
                    Quote, approval_reason=reason if below_floor and status != QuoteStatus.DRAFT else ""
                ),
            ),
            when,
        )
        for spec in lines:
            fields = {k: v for k, v in spec.items() if k not in ("vehicle", "vehicles")}
            self.add(QuoteLine(quote=quote, **fields), when)
        if needs_approval and status != QuoteStatus.DRAFT:
            decision = (
                ApprovalDecision.PENDING
                if status == QuoteStatus.PENDING_APPROVAL
                else ApprovalDecision.REJECTED
                if status == QuoteStatus.REJECTED
                else ApprovalDecision.APPROVED
            )
            decider = None
            if decision != ApprovalDecision.PENDING:
                decider = self.gm if required == Role.GENERAL_MANAGER else store.manager
            profit = totals["total"] - totals["cost_total"] + totals["income_total"]
            self.add(
                QuoteApproval(
                    quote=quote,
                    required_role=required,
                    decision=decision,
                    decided_by=decider,
                    decided_at=quote.approved_at or (when + datetime.timedelta(hours=3)) if decider else None,
                    reason={
                        ApprovalDecision.PENDING: "",
                        ApprovalDecision.APPROVED: "同意，注意控制赠品成本",
                        ApprovalDecision.REJECTED: "折扣超出权限，请重新议价",
                    }[decision],
                    discount_total=totals["discount_total"],
                    margin=pricing.margin(profit, totals["total"]),
                    created_by=owner,
                    **optional_fields(
                        QuoteApproval,
                        discount_rate=pricing.rate_of(totals["discount_total"], totals["list_total"]),
                        margin_floor=self.margin_floor,
                        below_floor=below_floor,
                        request_note=reason,
                    ),
                ),
                when,
            )
        return quote

    def tax_fields(self, lines, day):
        vehicles = sum(line["quantity"] for line in lines if line["kind"] == LineKind.VEHICLE)
        return optional_fields(
            Quote,
            purchase_tax=purchase_tax(lines, day.year),
            registration_fees=money(500 * vehicles),
        )

    def trade_in(self, customer, store, owner, day, status, *, cap=None):
        rng = self.rng
        description, new_price = rng.choice(catalogue.TRADE_IN_CARS)
        age = rng.randint(3, 9)
        value = round_to(new_price * Decimal(str(0.82**age)), 1000)
        if cap is not None:
            # Customers trading up bring a car worth well below the new one.
            value = min(value, round_to(cap, 1000))
        return self.add(
            TradeInAppraisal(
                customer=customer,
                store=store,
                appraiser=store.manager,
                vin=self.vin(day.year - age),
                description=description,
                first_registration=day - self.days(365 * age + rng.randint(0, 300)),
                mileage_km=age * rng.randint(9000, 20000),
                condition=rng.choice(("车况良好，无事故", "左后门有轻微刮擦", "轮胎需更换", "内饰磨损一般")),
                appraised_value=money(value),
                valid_until=day + self.days(7),
                status=status,
                created_by=owner,
            ),
            self.at(day),
        )

    def retail_deal(
        self,
        customer,
        store,
        owner,
        first_contact,
        day,
        *,
        profile="normal",
        vehicles=1,
        trims=None,
        cancel=False,
    ):
        """A won deal: lead, activities, quote, order, vehicles, payments, delivery and after-sales."""
        rng = self.rng
        first_contact = min(first_contact, day)
        if trims:
            trim = rng.choice(trims)
        elif profile == "premium":
            trim = self.trims[rng.choice(catalogue.PREMIUM_TRIMS)]
        else:
            trim = self.weighted(self.retail_trims, self.retail_weights)
        lead = self.new_lead(
            customer, store, owner, first_contact, stage=LeadStage.WON, trim=trim, quantity=vehicles
        )
        lead.closed_at = self.at(day, 17)
        self.lead_activities(customer, store, owner, lead, first_contact, day, LeadStage.QUOTED)
        trade_in = None
        if profile in ("normal", "repeat") and vehicles == 1 and rng.random() < 0.15:
            trade_in = self.trade_in(
                customer,
                store,
                owner,
                max(first_contact, day - self.days(3)),
                TradeInStatus.ACCEPTED,
                cap=trim.msrp * Decimal("0.4"),
            )
        vehicle_guess = (trim.msrp * Decimal("0.95")) * vehicles
        max_finance = vehicle_guess - (trade_in.appraised_value if trade_in else 0) - 20000
        lines = self.retail_lines(trim, profile, vehicles, day, max_finance=max_finance)
        if trade_in is not None:
            lines.append(
                self.line(
                    LineKind.TRADE_IN,
                    f"置换 {trade_in.description}",
                    trade_in.appraised_value,
                    trade_in=trade_in,
                )
            )
        quote_day = max(first_contact, day - self.days(rng.randint(0, 3)))
        quote = self.quote(customer, store, owner, lead, quote_day, lines, QuoteStatus.ACCEPTED)
        self.order(
            customer, store, owner, quote, lines, day, profile=profile, trade_in=trade_in, cancel=cancel
        )
        if cancel:
            lead.stage = LeadStage.LOST
            lead.probability = 0
            lead.lost_reason = rng.choice((LostReason.FINANCING, LostReason.PRICE, LostReason.NO_NEED))
            lead.lost_note = "订单已取消，定金已退还。"
            lead.lost_request = LostRequestStatus.APPROVED

    # ------------------------------------------------------------------ orders

    def order_timeline(self, day, *, fleet=False, terms=30):
        """Dates of one order: vehicle arrival, balance due, balance paid, hand-over."""
        rng = self.rng
        arrival = day + self.days(rng.randint(-60, 20 if not fleet else 35))
        if fleet:
            handover = max(day + self.days(rng.randint(15, 40)), arrival + self.days(2))
            due = handover + self.days(terms)
            late = rng.random() < 0.35
        else:
            due = max(day + self.days(7), arrival + self.days(2))
            late = rng.random() < 0.12
        paid = due + self.days(rng.randint(3, 45) if late else -rng.randint(0, 5))
        paid = max(paid, day)
        if not fleet:
            # Customers choose the hand-over day, often a week or so after paying.
            handover = max(paid, arrival) + self.days(rng.randint(1, 10))
        return arrival, due, paid, handover

    def order(
        self, customer, store, owner, quote, lines, day, *, profile, trade_in=None, cancel=False, fleet=None
    ):
        rng = self.rng
        terms = fleet.payment_terms_days if fleet else 30
        arrival, due, paid_day, handover = self.order_timeline(day, fleet=bool(fleet), terms=terms)
        if cancel:
            status = OrderStatus.CANCELLED
        elif handover <= self.today:
            fully_paid = paid_day <= self.today
            status = (
                OrderStatus.CLOSED
                if fully_paid and handover < self.today - self.days(60)
                else OrderStatus.DELIVERED
            )
        elif paid_day <= self.today and arrival <= self.today:
            status = OrderStatus.PAID
        elif arrival <= self.today:
            status = OrderStatus.ALLOCATED
        elif day < self.today - self.days(3) or rng.random() < 0.5:
            status = OrderStatus.DEPOSIT_PAID
        else:
            status = OrderStatus.CONFIRMED
        totals = line_totals(lines)
        order = self.add(
            Order(
                store=store,
                customer=customer,
                salesperson=owner,
                quote=quote,
                number=self.next_placeholder("order"),
                status=status,
                order_date=day,
                balance_due_date=due,
                is_fleet=bool(fleet),
                cancel_reason="客户贷款未获批准，协商取消订单" if cancel else "",
                created_by=owner,
                **totals,
                **self.tax_fields(lines, day),
            ),
            self.at(day),
        )
        delivered = status in (OrderStatus.DELIVERED, OrderStatus.CLOSED)
        allocated = status in (OrderStatus.ALLOCATED, OrderStatus.PAID) or delivered
        delivery = None
        if delivered or status in (OrderStatus.ALLOCATED, OrderStatus.PAID):
            done = delivered
            delivery = self.add(
                Delivery(
                    order=order,
                    scheduled_for=handover,
                    handed_over_at=self.at(handover, rng.randint(10, 17)) if done else None,
                    handed_over_by=owner if done else None,
                    pdi={key: done or rng.random() < 0.4 for key, _label in PDI_ITEMS},
                    notes="交车仪式完成，讲解车辆功能" if done else "",
                    created_by=owner,
                ),
                self.at(min(handover, self.today) - self.days(2)),
            )
        delivered_vehicles = []
        for spec in lines:
            fields = {k: v for k, v in spec.items() if k not in ("vehicle", "vehicles")}
            order_line = self.add(OrderLine(order=order, **fields), self.at(day))
            if spec["kind"] != LineKind.VEHICLE or cancel:
                continue
            trim = spec["trim"]
            cost = spec["unit_cost"]
            for _unit in range(spec["quantity"]):
                if allocated and arrival <= self.today:
                    v_status = (
                        VehicleStatus.DELIVERED
                        if delivered
                        else VehicleStatus.SOLD
                        if status == OrderStatus.PAID
                        else VehicleStatus.RESERVED
                    )
                    v_arrival = min(arrival, self.today)
                elif status == OrderStatus.CONFIRMED:
                    continue
                else:
                    v_status, v_arrival = (VehicleStatus.IN_TRANSIT, None)
                vehicle = Vehicle(
                    vin=self.vin(trim.model_year if day.year >= trim.model_year else day.year),
                    trim=trim,
                    colour=rng.choice(self.colours),
                    store=store,
                    status=v_status,
                    cost=cost,
                    list_price=trim.msrp,
                    arrival_date=v_arrival,
                    plate_number=f"{store.demo_plate}·{rng.choice('ABCDEFGHJKLMN')}{rng.randint(10000, 99999)}"
                    if delivered
                    else "",
                )
                vehicle.vin_tail = vehicle.vin[-6:]
                self.add(vehicle, self.at(v_arrival or day))
                if spec["quantity"] == 1 and not fleet:
                    order_line.vehicle, order_line.vehicle_id = vehicle, vehicle.pk
                if v_status == VehicleStatus.IN_TRANSIT:
                    continue
                self.add(
                    VehicleAllocation(
                        order=order,
                        line=order_line,
                        vehicle=vehicle,
                        status=AllocationStatus.DELIVERED if delivered else AllocationStatus.ALLOCATED,
                        delivery=delivery if delivered else None,
                        created_by=owner,
                    ),
                    self.at(max(day, v_arrival)),
                )
                if delivered:
                    delivered_vehicles.append(vehicle)
        self.payments(order, store, lines, status, day, due, paid_day, handover, trade_in)
        if status != OrderStatus.CANCELLED:
            units = sum(spec["quantity"] for spec in lines if spec["kind"] == LineKind.VEHICLE)
            self.record_sale(
                order, units, totals["total"], totals["total"] - totals["cost_total"] + totals["income_total"]
            )
        if delivered:
            self.delivery_follow_ups(order, customer, store, handover)
            for vehicle in delivered_vehicles:
                if not fleet or rng.random() < 0.06:
                    self.service_history(
                        customer, store, vehicle, handover, profile=profile, fleet=bool(fleet)
                    )
        return order

    def payments(self, order, store, lines, status, day, due, paid_day, handover, trade_in):
        rng = self.rng
        payable = order.total - (trade_in.appraised_value if trade_in else ZERO)
        loan = sum(
            (spec.get("finance_amount") or ZERO for spec in lines if spec["kind"] == LineKind.FINANCING), ZERO
        )
        if loan > payable:
            loan = ZERO
        if order.is_fleet:
            deposit = round_to(payable * Decimal("0.2"), 100)
        else:
            deposit = Decimal(rng.choice((5000, 10000, 10000, 20000)))
        deposit = money(min(deposit, payable - loan))
        balance = payable - loan - deposit
        finance = store.finance
        paid = ZERO
        rows = []
        if status != OrderStatus.CONFIRMED and deposit > 0:
            rows.append(
                (
                    PaymentKind.DEPOSIT,
                    rng.choice((PaymentMethod.WECHAT, PaymentMethod.ALIPAY, PaymentMethod.CARD)),
                    deposit,
                    self.at(day),
                    day,
                )
            )
        if status == OrderStatus.CANCELLED:
            refund_day = min(day + self.days(rng.randint(3, 20)), self.today)
            rows.append((PaymentKind.REFUND, PaymentMethod.TRANSFER, deposit, self.at(refund_day), None))
        elif status in (OrderStatus.PAID, OrderStatus.DELIVERED, OrderStatus.CLOSED):
            if loan:
                loan_day = min(max(day, handover - self.days(rng.randint(1, 4))), self.today)
                rows.append((PaymentKind.LOAN, PaymentMethod.LOAN, loan, self.at(loan_day), due))
            if balance > 0 and paid_day <= self.today:
                method = (
                    PaymentMethod.TRANSFER
                    if order.is_fleet
                    else rng.choice((PaymentMethod.TRANSFER, PaymentMethod.CARD))
                )
                rows.append((PaymentKind.BALANCE, method, balance, self.at(paid_day), due))
        for kind, method, amount, when, due_date in rows:
            if amount <= 0:
                continue
            self.add(
                Payment(
                    order=order,
                    kind=kind,
                    method=method,
                    amount=money(amount),
                    paid_at=when,
                    due_date=due_date,
                    reference=f"{when:%Y%m%d}{rng.randint(100000, 999999)}",
                    received_by=finance,
                    created_by=finance,
                ),
                when,
            )
            paid += -amount if kind == PaymentKind.REFUND else amount
        order.paid_total = money(paid)

    def delivery_follow_ups(self, order, customer, store, handover):
        from autosales.aftersales.choices import FollowUpKind

        for kind, offset in ((FollowUpKind.DELIVERY_DAY3, 3), (FollowUpKind.DELIVERY_DAY30, 30)):
            self.follow_up_call(
                customer, store, kind, handover + self.days(offset), order=order, caller=order.salesperson
            )

    def agreement(self, customer, store, owner, day, trims, fleet_discount, terms, industry):
        rng = self.rng
        ends = day + self.days(364)
        status = AgreementStatus.ACTIVE if ends >= self.today else AgreementStatus.EXPIRED
        agreement = self.add(
            FleetAgreement(
                customer=customer,
                store=store,
                number=self.next_placeholder("agreement"),
                status=status,
                starts_on=day,
                ends_on=ends,
                volume_target=0,
                payment_terms_days=terms,
                notes="年度框架协议：约定车型、价格和采购量。",
                created_by=owner,
            ),
            self.at(day - self.days(rng.randint(3, 15))),
        )
        low, high = FLEET_ORDER_SIZE[industry]
        per_year = 12 / sum(FLEET_ORDER_MONTHS[industry]) * 2
        for trim in trims:
            volume = round((low + high) / 2 * per_year / len(trims)) + rng.randint(0, 5)
            agreement.volume_target += volume
            self.add(
                FleetAgreementLine(
                    agreement=agreement,
                    trim=trim,
                    unit_price=money(round_to(trim.msrp * Decimal(str(1 - fleet_discount[trim.code])), 100)),
                    volume=volume,
                ),
                agreement.created_at,
            )
        return agreement

    def fleet_lines(self, trims, fleet_discount, margin, quantity, industry):
        rng = self.rng
        lines = []
        per_trim = [
            quantity // len(trims) + (1 if i < quantity % len(trims) else 0) for i in range(len(trims))
        ]
        fleet_total = ZERO
        vehicles = 0
        for trim, q in zip(trims, per_trim, strict=True):
            if q == 0:
                continue
            discount = money(
                trim.msrp - round_to(trim.msrp * Decimal(str(1 - fleet_discount[trim.code])), 100)
            )
            net = trim.msrp - discount
            cost = money(round_to(net * Decimal(str(1 - margin)), 10))
            lines.append(
                self.line(
                    LineKind.VEHICLE,
                    str(trim),
                    trim.msrp,
                    cost=cost,
                    discount=discount,
                    quantity=q,
                    trim=trim,
                )
            )
            fleet_total += net * q
            vehicles += q
        if industry in catalogue.UPFITTING:
            name, price, cost = catalogue.UPFITTING[industry]
            lines.append(self.line(LineKind.UPFITTING, name, price, cost=cost, quantity=vehicles))
        if rng.random() < 0.6:
            premium = round_to(fleet_total / vehicles * Decimal("0.03"), 10)
            lines.append(
                self.line(
                    LineKind.INSURANCE,
                    f"{rng.choice(catalogue.INSURERS)} 车队保险",
                    premium,
                    cost=premium,
                    quantity=vehicles,
                    income=premium * Decimal("0.08") * vehicles,
                )
            )
        if industry == "rental" and rng.random() < 0.5:
            amount = round_to(fleet_total * Decimal("0.6"), 1000)
            rate = Decimal("0.0450")
            lines.append(
                self.line(
                    LineKind.FINANCING,
                    f"{rng.choice(catalogue.LENDERS)} 融资租赁 36期",
                    ZERO,
                    income=amount * Decimal("0.012"),
                    finance_amount=money(amount),
                    down_payment=money(fleet_total - amount),
                    term_months=36,
                    annual_rate=rate,
                    monthly_payment=monthly_payment(amount, rate, 36),
                )
            )
        if industry in ("rental", "taxi") and rng.random() < 0.4:
            name, price, cost = catalogue.SERVICE_PACKAGES[1]
            lines.append(
                self.line(
                    LineKind.SERVICE_PACKAGE,
                    name,
                    price,
                    cost=cost,
                    discount=round_to(price * Decimal("0.2"), 10),
                    quantity=vehicles,
                )
            )
        return lines

    def fleet_deal(self, customer, store, owner, agreement, day, trims, fleet_discount, margin, industry):
        rng = self.rng
        quantity = rng.randint(*FLEET_ORDER_SIZE[industry])
        first = day - self.days(rng.randint(10, 30))
        lead = self.new_lead(
            customer,
            store,
            owner,
            first,
            stage=LeadStage.WON,
            trim=trims[0],
            quantity=quantity,
            source=LeadSource.FLEET_TENDER,
        )
        lead.closed_at = self.at(day, 16)
        contact_kinds = (ActivityKind.VISIT, ActivityKind.CONSULTATION, ActivityKind.CALL)
        for kind in contact_kinds[: rng.randint(2, 3)]:
            self.activity(
                customer,
                store,
                owner,
                lead,
                kind,
                self.at(first + self.days(rng.randint(0, (day - first).days))),
                notes="与车队负责人沟通采购车型、数量和交付计划",
            )
        lines = self.fleet_lines(trims, fleet_discount, margin, quantity, industry)
        quote = self.quote(
            customer,
            store,
            owner,
            lead,
            max(first, day - self.days(5)),
            lines,
            QuoteStatus.ACCEPTED,
            agreement=agreement,
        )
        self.order(customer, store, owner, quote, lines, day, profile="fleet", fleet=agreement)


def optional_fields(model, **values):
    from .seed import optional

    return optional(model, **values)
