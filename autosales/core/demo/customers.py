"""Customers of the demo seed and their contact history: persons, small businesses and fleet accounts,
leads at every stage and the activities that move them.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from autosales.core.identity import make_credit_code, make_mobile
from autosales.parties import models as parties_models
from autosales.parties.choices import BuyingRole, CustomerKind, Industry, SourceChannel, Stance
from autosales.sales import models as sales_models
from autosales.sales.choices import (
    ActivityKind,
    LeadSource,
    LeadStage,
    LostReason,
    LostRequestStatus,
    QuoteStatus,
    TradeInStatus,
)

from . import catalogue
from .deals import BRAND_DISCOUNT, FLEET_ORDER_MONTHS, FLEET_ORDER_SIZE, money
from .rows import rows_of

Customer = rows_of(parties_models.Customer)
Contact = rows_of(parties_models.Contact)
Activity = rows_of(sales_models.Activity)
Lead = rows_of(sales_models.Lead)

OPEN_STAGES = (
    (LeadStage.NEW, 20),
    (LeadStage.CONTACTED, 25),
    (LeadStage.TEST_DRIVE, 20),
    (LeadStage.QUOTED, 20),
    (LeadStage.NEGOTIATING, 15),
)
STAGE_RANK = {stage: rank for rank, stage in enumerate(LeadStage)}
LOST_REASONS = (
    (LostReason.PRICE, 30),
    (LostReason.COMPETITOR, 25),
    (LostReason.FINANCING, 6),
    (LostReason.NO_NEED, 12),
    (LostReason.STOCK, 6),
    (LostReason.SERVICE, 3),
    (LostReason.UNREACHABLE, 14),
    (LostReason.OTHER, 4),
)
LOST_NOTES = {
    LostReason.PRICE: "客户认为优惠力度不够，对比其他门店报价后放弃。",
    LostReason.COMPETITOR: "客户最终选择了竞品车型。",
    LostReason.FINANCING: "贷款审批未通过。",
    LostReason.NO_NEED: "客户表示暂时不考虑购车。",
    LostReason.STOCK: "客户要求的颜色和配置无法按期交付。",
    LostReason.SERVICE: "客户对接待过程不满意。",
    LostReason.UNREACHABLE: "多次电话未接通，微信未回复。",
    LostReason.OTHER: "其他原因，详见跟进记录。",
}
CUSTOMER_SOURCES = (
    (SourceChannel.WALK_IN, 34),
    (SourceChannel.PHONE, 9),
    (SourceChannel.WEBSITE, 14),
    (SourceChannel.AUTOHOME, 21),
    (SourceChannel.REFERRAL, 14),
    (SourceChannel.EVENT, 8),
)
LEAD_SOURCE = {
    SourceChannel.WALK_IN: LeadSource.WALK_IN,
    SourceChannel.PHONE: LeadSource.PHONE,
    SourceChannel.WEBSITE: LeadSource.WEBSITE,
    SourceChannel.AUTOHOME: LeadSource.WEBSITE,
    SourceChannel.REFERRAL: LeadSource.REFERRAL,
    SourceChannel.EVENT: LeadSource.WALK_IN,
    SourceChannel.FLEET_TENDER: LeadSource.FLEET_TENDER,
}
CALL_NOTES = ("电话回访，了解购车进度", "邀约到店看车", "发送车型资料和优惠信息", "确认客户预算和用车需求")
FOLLOW_UP_NOTES = ("跟进报价反馈", "邀约周末试驾", "确认金融方案", "提醒客户优惠截止日期", "了解竞品对比情况")
FEEDBACK = ("动力充足，空间满意", "对智能座舱很满意", "觉得底盘偏硬", "对续航表示满意", "希望有更多优惠")


class CustomerMixin:
    # ------------------------------------------------------------------ customers

    def generate_customers(self):
        n = self.n_customers
        span = (self.today - self.start).days
        # More customers in recent years: the business grows.
        offsets = sorted(int(span * self.rng.random() ** 0.8) for _ in range(n))
        n_fleet = max(3, round(n * 0.03))
        n_business = max(4, round(n * 0.06))
        fleet = set(self.rng.sample(range(max(n_fleet, int(n * 0.55))), n_fleet))
        others = [i for i in range(n) if i not in fleet]
        business = set(self.rng.sample(others, min(n_business, len(others))))
        for i in range(n):
            first_contact = self.start + self.days(offsets[i])
            store = self.weighted(self.stores, self.store_weights)
            if i in fleet:
                self.fleet_customer(store, first_contact)
            elif i in business:
                self.business_customer(store, first_contact)
            else:
                self.person_customer(store, first_contact)
            if (i + 1) % 1000 == 0:
                self.flush()
                self.log(_("  %(count)s customers") % {"count": i + 1})
        self.flush()

    def address(self, city: str) -> tuple[str, str]:
        district = self.rng.choice(catalogue.CITY_DISTRICTS[city])
        road = self.rng.choice(catalogue.ROADS)
        address = (
            f"{city}市{district}{road}{self.rng.randint(1, 2999)}号"
            f"{self.rng.randint(1, 30)}栋{self.rng.randint(1, 32)}{self.rng.randint(1, 4):02d}室"
        )
        return f"{city}市{district}", address

    def new_customer(self, store, first_contact, **fields):
        owner = self.weighted(store.salespeople, store.sales_weights)
        return self.add(
            Customer(store=store, owner=owner, created_by=owner, **fields), self.at(first_contact)
        ), owner

    def person_customer(self, store, first_contact):
        rng = self.rng
        region, address = self.address(
            store.city if rng.random() < 0.9 else rng.choice(list(catalogue.CITY_DISTRICTS))
        )
        source = self.pick(CUSTOMER_SOURCES)
        customer, owner = self.new_customer(
            store,
            first_contact,
            kind=CustomerKind.PERSON,
            name=self.fake.name(),
            mobile=self.unique(make_mobile, self.used_mobiles),
            resident_id=self.new_resident_id() if rng.random() < 0.7 else "",
            region=region,
            address=address if rng.random() < 0.8 else "",
            email=f"{rng.randint(100000, 999999999)}@qq.com" if rng.random() < 0.15 else "",
            source=source,
            marketing_consent=rng.random() < 0.62,
        )
        age = (self.today - first_contact).days
        roll = rng.random()
        if age <= 40:
            if roll < 0.25 and age >= 2:
                self.retail_deal(
                    customer,
                    store,
                    owner,
                    first_contact,
                    self.today - self.days(rng.randint(0, min(age - 1, 20))),
                )
            else:
                self.open_lead(customer, store, owner, first_contact)
            return
        if roll < 0.6:
            profile = self.weighted(("normal", "repeat", "premium", "loss"), (70, 12, 9, 9))
            if self.first_few("loss_buyer", 2) is not None:
                profile = "loss"
            day = min(first_contact + self.days(rng.randint(3, 40)), self.today)
            self.retail_deal(customer, store, owner, first_contact, day, profile=profile)
            if profile == "repeat":
                second = day + self.days(rng.randint(300, 900))
                if second <= self.today:
                    self.retail_deal(
                        customer,
                        store,
                        owner,
                        second - self.days(rng.randint(5, 30)),
                        second,
                        profile="repeat",
                    )
            elif rng.random() < 0.2:
                self.open_lead(customer, store, owner, max(day, self.today - self.days(rng.randint(3, 60))))
        elif roll < 0.63:
            day = min(first_contact + self.days(rng.randint(3, 30)), self.today)
            self.retail_deal(customer, store, owner, first_contact, day, cancel=True)
        elif roll < 0.72:
            self.open_lead(customer, store, owner, first_contact)
        else:
            self.lost_lead(customer, store, owner, first_contact)
        if roll >= 0.6 and rng.random() < 0.08:
            self.external_vehicle_service(customer, store, first_contact)

    def business_customer(self, store, first_contact):
        rng = self.rng
        pattern, industry = rng.choice(catalogue.SMALL_BUSINESS_PATTERNS)
        region, _address = self.address(store.city)
        customer, owner = self.new_customer(
            store,
            first_contact,
            kind=CustomerKind.COMPANY,
            name=self.company_name(pattern, store),
            mobile=self.unique(make_mobile, self.used_mobiles) if rng.random() < 0.5 else "",
            credit_code=self.unique(make_credit_code, self.used_credit_codes),
            industry=industry,
            fleet_size=rng.randint(2, 15),
            region=region,
            address=f"{region}{rng.choice(catalogue.ROADS)}{rng.randint(1, 999)}号",
            source=self.weighted(
                (SourceChannel.REFERRAL, SourceChannel.WALK_IN, SourceChannel.PHONE), (4, 3, 2)
            ),
            marketing_consent=rng.random() < 0.5,
        )
        self.contacts(
            customer, first_contact, executive_roles=(BuyingRole.DECISION_MAKER,), count=rng.randint(1, 2)
        )
        day = min(first_contact + self.days(rng.randint(5, 45)), self.today)
        if (self.today - first_contact).days < 20:
            self.open_lead(customer, store, owner, first_contact, quantity=rng.randint(1, 3))
            return
        profile = "loss" if rng.random() < 0.1 else "normal"
        trims = [self.trims[code] for code in catalogue.SMALL_BUSINESS_TRIMS]
        self.retail_deal(
            customer,
            store,
            owner,
            first_contact,
            day,
            profile=profile,
            vehicles=rng.randint(1, 3),
            trims=trims,
        )
        second = day + self.days(rng.randint(200, 700))
        if rng.random() < 0.45 and second <= self.today:
            self.retail_deal(
                customer,
                store,
                owner,
                second - self.days(20),
                second,
                vehicles=rng.randint(1, 3),
                trims=trims,
            )
        elif rng.random() < 0.3:
            self.open_lead(
                customer, store, owner, max(day, self.today - self.days(rng.randint(3, 50))), quantity=2
            )

    def company_name(self, pattern, store):
        for _attempt in range(50):
            name = pattern.format(
                city=store.city,
                word=self.rng.choice(catalogue.COMPANY_WORDS) + self.rng.choice(catalogue.COMPANY_WORDS)[0],
                district=self.rng.choice(catalogue.CITY_DISTRICTS[store.city]),
            )
            if name not in self.used_company_names:
                break
        self.used_company_names.add(name)
        return name

    def contacts(self, customer, first_contact, *, executive_roles, count):
        titles = (
            catalogue.GOVERNMENT_TITLES if customer.industry == "government" else catalogue.CONTACT_TITLES
        )
        roles = [BuyingRole.DECISION_MAKER, BuyingRole.INFLUENCER, BuyingRole.USER, BuyingRole.GATEKEEPER]
        roles += [self.rng.choice(roles) for _ in range(max(0, count - len(roles)))]
        for role in roles[:count]:
            self.add(
                Contact(
                    customer=customer,
                    name=self.fake.name(),
                    title=self.rng.choice(titles[role]),
                    mobile=self.unique(make_mobile, self.used_mobiles),
                    buying_role=role,
                    stance=self.weighted(list(Stance), (4, 3, 1, 2)),
                    is_executive=role in executive_roles,
                    created_by=customer.owner,
                ),
                self.at(first_contact),
            )

    # ------------------------------------------------------------------ leads and activities

    def new_lead(self, customer, store, owner, day, *, stage, trim, quantity=1, source=None):
        return self.add(
            Lead(
                store=store,
                customer=customer,
                owner=owner,
                source=source or LEAD_SOURCE.get(customer.source, LeadSource.WALK_IN),
                stage=stage,
                probability=self.stage_probability.get(stage, 10),
                interested_trim=trim,
                quantity=quantity,
                expected_value=money(trim.msrp * quantity),
                created_by=owner,
            ),
            self.at(day),
        )

    def activity(self, customer, store, user, lead, kind, when, **fields):
        completed = (
            when
            if kind != ActivityKind.FOLLOW_UP or fields.get("due_date", self.today) < self.today
            else None
        )
        if "completed_at" in fields:
            completed = fields.pop("completed_at")
        return self.add(
            Activity(
                customer=customer,
                lead=lead,
                store=store,
                user=user,
                kind=kind,
                occurred_at=when,
                completed_at=completed,
                created_by=user,
                **fields,
            ),
            when,
        )

    def lead_activities(self, customer, store, owner, lead, first_day, last_day, reached):
        """The contact history of a lead from first contact to ``last_day`` up to stage ``reached``."""
        rng = self.rng
        span = max((last_day - first_day).days, 0)
        walk_in = customer.source in (SourceChannel.WALK_IN, SourceChannel.EVENT)
        first_kind = ActivityKind.VISIT if walk_in else ActivityKind.CALL
        self.activity(
            customer, store, owner, lead, first_kind, self.at(first_day), notes="首次接待，了解购车需求"
        )
        if STAGE_RANK[reached] >= STAGE_RANK[LeadStage.CONTACTED]:
            for _i in range(rng.randint(0, 2)):
                day = first_day + self.days(rng.randint(0, span))
                self.activity(
                    customer,
                    store,
                    owner,
                    lead,
                    rng.choice((ActivityKind.CALL, ActivityKind.MESSAGE)),
                    self.at(day),
                    notes=rng.choice(CALL_NOTES),
                )
        if STAGE_RANK[reached] >= STAGE_RANK[LeadStage.TEST_DRIVE] and customer.kind == CustomerKind.PERSON:
            day = first_day + self.days(rng.randint(0, min(span, 7)))
            demo = self.demo_car(store, lead.interested_trim)
            self.activity(
                customer,
                store,
                owner,
                lead,
                ActivityKind.TEST_DRIVE,
                self.at(day),
                vehicle=demo,
                licence_number=customer.resident_id or self.resident_like(),
                feedback=rng.choice(FEEDBACK),
                notes="试驾路线：市区+高架，约30分钟",
            )
        if STAGE_RANK[reached] >= STAGE_RANK[LeadStage.QUOTED]:
            day = first_day + self.days(rng.randint(0, span))
            self.activity(
                customer,
                store,
                owner,
                lead,
                ActivityKind.CONSULTATION,
                self.at(day),
                notes="讲解报价及金融方案",
            )
            if span > 2:
                due = first_day + self.days(rng.randint(1, span))
                self.activity(
                    customer,
                    store,
                    owner,
                    lead,
                    ActivityKind.FOLLOW_UP,
                    self.at(due - self.days(1)),
                    due_date=due,
                    completed_at=self.at(due),
                    outcome="已跟进，客户仍在考虑",
                    notes=rng.choice(FOLLOW_UP_NOTES),
                )

    def demo_car(self, store, trim):
        cars = self.demo_vehicles[store.id]
        same = [car for car in cars if trim is not None and car.trim.car_model_id == trim.car_model_id]
        return same[0] if same else self.rng.choice(cars)

    def open_follow_up(self, customer, store, owner, lead):
        """The next planned follow-up of an open lead: some overdue, some today, most ahead."""
        roll = self.rng.random()
        # The first three cover every case even in a tiny seed.
        roll = {0: 0.1, 1: 0.3, 2: 0.9}.get(self.first_few("follow_up", 3), roll)
        if roll < 0.25:
            due = self.today - self.days(self.rng.randint(1, 20))
        elif roll < 0.45:
            due = self.today
        else:
            due = self.today + self.days(self.rng.randint(1, 14))
        planned = min(due, self.today) - self.days(self.rng.randint(1, 7))
        self.activity(
            customer,
            store,
            owner,
            lead,
            ActivityKind.FOLLOW_UP,
            self.at(max(planned, lead.created_at.date())),
            due_date=due,
            completed_at=None,
            notes=self.rng.choice(FOLLOW_UP_NOTES),
        )
        lead.next_follow_up = due

    def open_lead(self, customer, store, owner, first_contact, *, quantity=1):
        rng = self.rng
        first = self.first_few("open_stage", len(OPEN_STAGES))
        stage = OPEN_STAGES[first][0] if first is not None else self.pick(OPEN_STAGES)
        trim = self.weighted(self.retail_trims, self.retail_weights)
        first_contact = max(first_contact, self.today - self.days(90))
        lead = self.new_lead(customer, store, owner, first_contact, stage=stage, trim=trim, quantity=quantity)
        lead.expected_close = self.today + self.days(rng.randint(7, 60))
        self.lead_activities(customer, store, owner, lead, first_contact, self.today, stage)
        self.open_follow_up(customer, store, owner, lead)
        if rng.random() < 0.05:
            lead.lost_request = LostRequestStatus.PENDING
            lead.lost_reason = self.pick(LOST_REASONS)
            lead.lost_note = LOST_NOTES[lead.lost_reason]
        if stage in (LeadStage.QUOTED, LeadStage.NEGOTIATING):
            day = max(first_contact, self.today - self.days(rng.randint(0, 20)))
            lines = self.retail_lines(trim, "normal", quantity, day)
            roll = rng.random()
            if self.first_few("pending_quote", 3) is not None:
                roll = 0.1
            status = (
                QuoteStatus.PENDING_APPROVAL
                if roll < 0.2
                else QuoteStatus.DRAFT
                if roll < 0.3
                else QuoteStatus.APPROVED
                if roll < 0.45
                else QuoteStatus.SENT
            )
            if status == QuoteStatus.PENDING_APPROVAL:
                self.deepen_discount(lines, Decimal(rng.randint(4, 11)) / 100)
            self.quote(customer, store, owner, lead, day, lines, status)
        return lead

    def lost_lead(self, customer, store, owner, first_contact):
        rng = self.rng
        reached = self.weighted(
            (LeadStage.NEW, LeadStage.CONTACTED, LeadStage.TEST_DRIVE, LeadStage.QUOTED), (15, 35, 25, 25)
        )
        trim = self.weighted(self.retail_trims, self.retail_weights)
        lead = self.new_lead(customer, store, owner, first_contact, stage=LeadStage.LOST, trim=trim)
        closed = min(first_contact + self.days(rng.randint(7, 75)), self.today)
        lead.probability = 0
        lead.lost_reason = self.pick(LOST_REASONS)
        lead.lost_note = LOST_NOTES[lead.lost_reason]
        lead.lost_request = LostRequestStatus.APPROVED
        lead.closed_at = self.at(closed)
        self.lead_activities(customer, store, owner, lead, first_contact, closed, reached)
        if reached == LeadStage.QUOTED:
            lines = self.retail_lines(trim, "normal", 1, first_contact)
            self.quote(
                customer,
                store,
                owner,
                lead,
                first_contact + self.days(rng.randint(1, 7)),
                lines,
                rng.choice((QuoteStatus.EXPIRED, QuoteStatus.EXPIRED, QuoteStatus.REJECTED)),
            )
        if rng.random() < 0.12:
            self.trade_in(customer, store, owner, first_contact, TradeInStatus.DECLINED)

    # ------------------------------------------------------------------ fleet accounts

    def fleet_customer(self, store, first_contact):
        rng = self.rng
        industry = self.weighted(("rental", "taxi", "logistics", "government"), (30, 20, 30, 20))
        pattern = rng.choice(catalogue.FLEET_NAME_PATTERNS[industry])
        region, _address = self.address(store.city)
        fleet_size = {
            "rental": (80, 600),
            "taxi": (100, 800),
            "logistics": (30, 300),
            "government": (20, 120),
        }[industry]
        customer, owner = self.new_customer(
            store,
            first_contact,
            kind=CustomerKind.COMPANY,
            name=self.company_name(pattern, store),
            mobile="",
            credit_code=self.unique(make_credit_code, self.used_credit_codes),
            industry=Industry(industry),
            fleet_size=rng.randint(*fleet_size),
            region=region,
            address=f"{region}{rng.choice(catalogue.ROADS)}{rng.randint(1, 999)}号",
            source=self.weighted(
                (SourceChannel.FLEET_TENDER, SourceChannel.REFERRAL, SourceChannel.EVENT), (5, 3, 2)
            ),
            marketing_consent=True,
            notes="大客户：框架协议采购，按季度提车。",
        )
        self.contacts(
            customer,
            first_contact,
            executive_roles=(BuyingRole.DECISION_MAKER, BuyingRole.INFLUENCER),
            count=rng.randint(4, 6),
        )
        codes = catalogue.FLEET_TRIMS[industry]
        trims = [self.trims[code] for code in codes[: rng.randint(1, min(3, len(codes)))]]
        # One account in five buys volume without profit; never the first two, so that even a
        # small seed has its whales.
        protected = self.first_few("fleet", 2) is not None
        thin = not protected and rng.random() < 0.2
        margin = rng.uniform(-0.004, 0.012) if thin else rng.uniform(0.045, 0.08)
        fleet_discount = {
            trim.code: BRAND_DISCOUNT[trim.brand_name] + rng.uniform(0.02, 0.05) for trim in trims
        }
        terms = rng.choice((30, 45, 60, 90))
        months = FLEET_ORDER_MONTHS[industry]
        day = first_contact + self.days(rng.randint(20, 60))
        agreement = None
        while day <= self.today:
            if agreement is None or agreement.ends_on < day:
                agreement = self.agreement(
                    customer, store, owner, day, trims, fleet_discount, terms, industry
                )
            self.fleet_deal(customer, store, owner, agreement, day, trims, fleet_discount, margin, industry)
            day += self.days(rng.randint(*months) * 30 + rng.randint(-10, 10))
        lead = self.new_lead(
            customer,
            store,
            owner,
            self.today - self.days(rng.randint(5, 40)),
            stage=rng.choice((LeadStage.QUOTED, LeadStage.NEGOTIATING, LeadStage.CONTACTED)),
            trim=trims[0],
            quantity=rng.randint(*FLEET_ORDER_SIZE[industry]),
            source=LeadSource.FLEET_TENDER,
        )
        lead.expected_close = self.today + self.days(rng.randint(10, 90))
        self.activity(
            customer,
            store,
            owner,
            lead,
            ActivityKind.VISIT,
            self.at(lead.created_at.date()),
            notes="拜访车队负责人，沟通下一批采购计划",
        )
        self.open_follow_up(customer, store, owner, lead)
        if lead.stage != LeadStage.CONTACTED and agreement is not None:
            lines = self.fleet_lines(trims[:1], fleet_discount, margin, lead.quantity, industry)
            status = QuoteStatus.PENDING_APPROVAL if rng.random() < 0.4 else QuoteStatus.SENT
            if status == QuoteStatus.PENDING_APPROVAL:
                self.deepen_discount(lines, Decimal(rng.randint(2, 5)) / 100)
            self.quote(
                customer,
                store,
                owner,
                lead,
                self.today - self.days(rng.randint(0, 10)),
                lines,
                status,
                agreement=agreement,
            )
