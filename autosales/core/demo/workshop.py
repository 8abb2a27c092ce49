"""After-sales history for the demo seed: service orders with jobs and parts, reminders, calls, complaints."""

import datetime
from decimal import Decimal

from autosales.aftersales import models as aftersales_models
from autosales.aftersales.choices import (
    SEVERITY_DUE_DAYS,
    ComplaintCategory,
    ComplaintStatus,
    FollowUpKind,
    FollowUpStatus,
    ReminderStatus,
    ServiceKind,
    ServiceStatus,
    Severity,
)
from autosales.inventory import models as inventory_models
from autosales.inventory.choices import VehicleStatus

from . import catalogue
from .rows import rows_of

Complaint = rows_of(aftersales_models.Complaint)
FollowUpCall = rows_of(aftersales_models.FollowUpCall)
Reminder = rows_of(aftersales_models.Reminder)
ServiceJob = rows_of(aftersales_models.ServiceJob)
ServiceOrder = rows_of(aftersales_models.ServiceOrder)
ServicePart = rows_of(aftersales_models.ServicePart)
Vehicle = rows_of(inventory_models.Vehicle)

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
SERVICE_KINDS = (
    (ServiceKind.MAINTENANCE, 70),
    (ServiceKind.REPAIR, 14),
    (ServiceKind.WARRANTY, 10),
    (ServiceKind.ACCIDENT, 6),
)
REQUESTS = {
    ServiceKind.MAINTENANCE: ("定期保养", "保养并检查轮胎", "常规保养，顺便检查空调"),
    ServiceKind.REPAIR: ("刹车有异响", "车辆无法启动", "轮胎鼓包需要更换", "雨刮刮不干净"),
    ServiceKind.WARRANTY: ("车窗升降异常", "中控屏黑屏", "空调不制冷"),
    ServiceKind.ACCIDENT: ("前保险杠剐蹭", "倒车时撞到柱子", "追尾事故维修"),
}
COMPLAINTS = {
    ComplaintCategory.DELIVERY: "交车时间比约定晚了一周，客户不满意。",
    ComplaintCategory.SALES: "销售顾问承诺的赠品未兑现。",
    ComplaintCategory.PRICE: "客户认为保养收费比其他门店高。",
    ComplaintCategory.SERVICE_QUALITY: "维修后同样的问题再次出现。",
    ComplaintCategory.STAFF: "客户反映接待人员态度冷淡。",
    ComplaintCategory.VEHICLE_QUALITY: "新车出现异响，客户要求检查。",
}
REFUSALS = ("已在其他门店保养", "车辆已出售", "客户表示行驶里程少，暂不保养")


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT)


class WorkshopMixin:
    def service_history(
        self, customer, store, vehicle, since: datetime.date, *, profile="normal", fleet=False
    ):
        """Services of one vehicle from ``since`` to today, its reminders and follow-up calls."""
        rng = self.rng
        km_per_day = rng.uniform(130, 250) if fleet else rng.uniform(25, 70)
        interval = (100, 160) if fleet else (280, 400)
        day = since + self.days(rng.randint(120, 200) if not fleet else rng.randint(*interval))
        mileage = (
            rng.randint(10, 50) if vehicle.status != VehicleStatus.EXTERNAL else rng.randint(20000, 90000)
        )
        last_day, last_km, last_order = since, mileage, None
        electric = vehicle.trim is not None and vehicle.trim.fuel_type == "electric"
        while day <= self.today:
            mileage += int((day - last_day).days * km_per_day)
            kind = self.pick(SERVICE_KINDS)
            if kind == ServiceKind.WARRANTY and (day - since).days > 3 * 365:
                kind = ServiceKind.REPAIR
            order = self.service_order(customer, store, vehicle, day, mileage, kind, profile, electric)
            if kind == ServiceKind.MAINTENANCE and last_order is not None:
                self.add(
                    Reminder(
                        customer=customer,
                        vehicle=vehicle,
                        store=store,
                        advisor=order.advisor,
                        due_date=last_day + self.days(365),
                        due_mileage_km=last_km + 10000,
                        status=ReminderStatus.DONE,
                        created_by=order.advisor,
                        **self.reminder_extra(last_day, last_km, order=order),
                    ),
                    self.at(last_day, 18),
                )
            last_day, last_km, last_order = day, mileage, order
            day += self.days(rng.randint(*interval))
        self.open_reminder(customer, store, vehicle, last_day, last_km, fleet, first=last_order is None)

    def reminder_extra(self, last_day, last_km, *, order=None):
        from .seed import optional

        return optional(
            Reminder,
            last_service_date=last_day,
            last_mileage_km=last_km,
            service_order=order,
            completed_at=order.opened_at if order is not None else None,
        )

    def open_reminder(self, customer, store, vehicle, last_day, last_km, fleet, *, first=False):
        rng = self.rng
        due = last_day + self.days(120 if fleet else 180 if first else 365)
        if due > self.today + self.days(60):
            return
        roll = rng.random()
        status = (
            ReminderStatus.DUE
            if roll < 0.8
            else ReminderStatus.POSTPONED
            if roll < 0.92
            else ReminderStatus.REFUSED
        )
        advisor = rng.choice(store.advisors)
        self.add(
            Reminder(
                customer=customer,
                vehicle=vehicle,
                store=store,
                advisor=advisor,
                due_date=due,
                due_mileage_km=last_km + (10000 if not fleet else 20000),
                status=status,
                postponed_to=max(due, self.today) + self.days(rng.randint(7, 45))
                if status == ReminderStatus.POSTPONED
                else None,
                reason=rng.choice(REFUSALS) if status == ReminderStatus.REFUSED else "",
                created_by=advisor,
                **self.reminder_extra(last_day, last_km),
            ),
            self.at(min(due, self.today) - self.days(30), 9),
        )

    def service_order(self, customer, store, vehicle, day, mileage, kind, profile, electric):
        rng = self.rng
        if kind == ServiceKind.MAINTENANCE:
            pool = catalogue.EV_MAINTENANCE_JOBS if electric else catalogue.MAINTENANCE_JOBS
            jobs = [pool[0]] + rng.sample(pool[1:], rng.randint(0, 2))
        elif kind == ServiceKind.REPAIR:
            jobs = rng.sample(catalogue.REPAIR_JOBS, rng.randint(1, 2))
        elif kind == ServiceKind.WARRANTY:
            jobs = [rng.choice(catalogue.WARRANTY_JOBS)]
        else:
            jobs = rng.sample(catalogue.ACCIDENT_JOBS, rng.randint(1, 2))
        warranty = kind == ServiceKind.WARRANTY
        opened = self.at(day, rng.randint(8, 16))
        recent = day >= self.today - self.days(2)
        if recent:
            status = rng.choice((ServiceStatus.OPEN, ServiceStatus.IN_PROGRESS, ServiceStatus.READY))
        else:
            status = ServiceStatus.CANCELLED if rng.random() < 0.02 else ServiceStatus.CLOSED
        advisor = rng.choice(store.advisors)
        order = ServiceOrder(
            number=self.next_placeholder("service"),
            store=store,
            customer=customer,
            vehicle=vehicle,
            advisor=advisor,
            kind=kind,
            status=status,
            mileage_km=mileage,
            opened_at=opened,
            closed_at=opened
            + datetime.timedelta(hours=rng.randint(2, 8), days=2 if kind == ServiceKind.ACCIDENT else 0)
            if status == ServiceStatus.CLOSED
            else None,
            complaint_text=rng.choice(REQUESTS[kind]),
            created_by=advisor,
        )
        self.add(order, opened)
        labour_revenue = labour_cost = parts_revenue = parts_cost = claim = ZERO
        for description, hours, parts in jobs:
            self.add(
                ServiceJob(
                    service_order=order,
                    description=description,
                    labour_hours=hours,
                    labour_rate=catalogue.LABOUR_RATE,
                    cost_rate=catalogue.LABOUR_COST_RATE,
                    is_warranty=warranty,
                ),
                opened,
            )
            labour_cost += hours * catalogue.LABOUR_COST_RATE
            if warranty:
                claim += hours * catalogue.LABOUR_RATE
            else:
                labour_revenue += hours * catalogue.LABOUR_RATE
            for part_number, name, unit_cost, unit_price, quantity in parts:
                self.add(
                    ServicePart(
                        service_order=order,
                        part_number=part_number,
                        name=name,
                        quantity=Decimal(quantity),
                        unit_cost=unit_cost,
                        unit_price=unit_price,
                        is_warranty=warranty,
                        is_paid=status == ServiceStatus.CLOSED and not warranty,
                    ),
                    opened,
                )
                parts_cost += unit_cost * quantity
                if warranty:
                    claim += unit_price * quantity
                else:
                    parts_revenue += unit_price * quantity
        billed = labour_revenue + parts_revenue
        if profile == "loss" and billed:
            # Goodwill for a demanding customer: most of the bill waived.
            discount = billed * Decimal(str(round(rng.uniform(0.5, 1.0), 2)))
        elif billed and rng.random() < 0.3:
            discount = billed * Decimal(rng.choice(("0.05", "0.1", "0.15")))
        else:
            discount = ZERO
        order.labour_revenue = money(labour_revenue)
        order.labour_cost = money(labour_cost)
        order.parts_revenue = money(parts_revenue)
        order.parts_cost = money(parts_cost)
        order.warranty_claim = money(claim)
        order.discount = min(money(discount), order.labour_revenue + order.parts_revenue)
        revenue = order.labour_revenue + order.parts_revenue - order.discount
        order.paid_total = revenue if status == ServiceStatus.CLOSED else ZERO
        if status == ServiceStatus.CLOSED:
            self.follow_up_call(
                customer,
                store,
                FollowUpKind.SERVICE_DAY3,
                order.closed_at.date() + self.days(3),
                service_order=order,
                caller=advisor,
            )
        return order

    def external_vehicle_service(self, customer, store, since):
        """A customer who bought elsewhere brings the car to our workshop."""
        rng = self.rng
        description, _price = rng.choice(catalogue.TRADE_IN_CARS)
        age = rng.randint(2, 8)
        vehicle = Vehicle(
            vin=self.vin(since.year - age),
            trim=None,
            store=store,
            status=VehicleStatus.EXTERNAL,
            description=f"{description} {since.year - age}款",
            plate_number=f"{store.demo_plate}·{rng.choice('ABCDEFGHJKLMN')}{rng.randint(10000, 99999)}",
        )
        vehicle.vin_tail = vehicle.vin[-6:]
        self.add(vehicle, self.at(since))
        self.service_history(customer, store, vehicle, since - self.days(rng.randint(60, 200)))

    def follow_up_call(self, customer, store, kind, due, *, order=None, service_order=None, caller=None):
        rng = self.rng
        score = None
        called_at = None
        if due <= self.today and not (due == self.today and rng.random() < 0.5):
            status = FollowUpStatus.DONE if rng.random() < 0.87 else FollowUpStatus.UNREACHABLE
            called_at = self.at(due, rng.randint(10, 18))
            if status == FollowUpStatus.DONE:
                score = self.weighted((1, 2, 3, 4, 5), (3, 5, 12, 35, 45))
        else:
            status = FollowUpStatus.DUE
        call = self.add(
            FollowUpCall(
                customer=customer,
                store=store,
                order=order,
                service_order=service_order,
                kind=kind,
                due_date=due,
                status=status,
                caller=caller,
                called_at=called_at,
                score=score,
                outcome={1: "非常不满意", 2: "不满意", 3: "一般", 4: "满意", 5: "非常满意"}.get(score, ""),
                created_by=caller,
            ),
            self.at(due - self.days(3), 9),
        )
        if score is not None and score <= 2:
            category = (
                rng.choice((ComplaintCategory.DELIVERY, ComplaintCategory.SALES, ComplaintCategory.STAFF))
                if order is not None
                else rng.choice((ComplaintCategory.SERVICE_QUALITY, ComplaintCategory.PRICE))
            )
            self.complaint(
                customer, store, due, category, order=order, service_order=service_order, call=call
            )
        return call

    def complaint(self, customer, store, day, category, *, order=None, service_order=None, call=None):
        from .seed import optional

        rng = self.rng
        severity = self.weighted(list(Severity), (30, 45, 20, 5))
        age = (self.today - day).days
        if age > 20:
            status = ComplaintStatus.CLOSED if rng.random() < 0.8 else ComplaintStatus.RESOLVED
        elif age > 5:
            status = rng.choice((ComplaintStatus.IN_PROGRESS, ComplaintStatus.RESOLVED))
        else:
            status = rng.choice((ComplaintStatus.OPEN, ComplaintStatus.IN_PROGRESS))
        resolved = status in (ComplaintStatus.RESOLVED, ComplaintStatus.CLOSED)
        due = day + self.days(SEVERITY_DUE_DAYS[severity])
        resolved_day = min(day + self.days(rng.randint(1, SEVERITY_DUE_DAYS[severity] + 5)), self.today)
        owner = store.manager if order is not None else rng.choice(store.advisors)
        self.add(
            Complaint(
                customer=customer,
                store=store,
                order=order,
                service_order=service_order,
                category=category,
                severity=severity,
                owner=owner,
                status=status,
                description=COMPLAINTS[category],
                due_date=due,
                resolution="已向客户致歉并给予补偿，客户接受处理方案。" if resolved else "",
                resolved_at=self.at(resolved_day) if resolved else None,
                customer_accepted=True if status == ComplaintStatus.CLOSED else None,
                created_by=owner,
                **optional(
                    Complaint,
                    follow_up_call=call,
                    escalated_at=self.at(due + self.days(1)) if not resolved and due < self.today else None,
                ),
            ),
            self.at(day),
        )
