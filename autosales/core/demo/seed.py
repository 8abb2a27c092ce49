"""Fill an empty database with a reproducible dealer group: stores, staff, catalogue, stock and history.

``seed_database(customers=600, years=3, seed=1)`` gives the same rows for the same arguments and the
same anchor day (``today``, by default the local date). Rows are built in memory per chunk of
customers and written with ``bulk_create`` inside one transaction, so a failure leaves nothing behind.
"""

import datetime
import random
import time
import zoneinfo
from collections import defaultdict
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from faker import Faker
from stdnum.cn import ric

from autosales.aftersales.models import (
    Complaint,
    FollowUpCall,
    MaintenanceRule,
    Reminder,
    ServiceJob,
    ServiceOrder,
    ServicePart,
)
from autosales.core.choices import Role
from autosales.core.identity import make_resident_id, make_vin
from autosales.core.models import NumberSequence, Store, User
from autosales.inventory.choices import VehicleStatus
from autosales.inventory.models import Brand, CarModel, Colour, Trim, Vehicle
from autosales.parties.models import Contact, Customer
from autosales.sales import selectors as sales_selectors
from autosales.sales.choices import DEFAULT_STAGE_PROBABILITY
from autosales.sales.figures import order_figures_refresh
from autosales.sales.models import (
    Activity,
    Delivery,
    FleetAgreement,
    FleetAgreementLine,
    Lead,
    LeadStageSetting,
    MarginFloor,
    Order,
    OrderLine,
    Payment,
    Quote,
    QuoteApproval,
    QuoteLine,
    SalesTarget,
    TradeInAppraisal,
    VehicleAllocation,
)
from autosales.sales.pricing import Authority

from . import DEMO_PASSWORD, DEMO_USERS, catalogue
from .customers import CustomerMixin
from .deals import DealMixin
from .rows import insert_rows, rows_of
from .workshop import WorkshopMixin

CENT = Decimal("0.01")
BATCH_SIZE = 2000
CHUNK_CUSTOMERS = 2000

# Written in this order, so every foreign key points at a row already saved.
FLUSH_ORDER = (
    Customer,
    Contact,
    Lead,
    TradeInAppraisal,
    FleetAgreement,
    FleetAgreementLine,
    Vehicle,
    Quote,
    QuoteLine,
    QuoteApproval,
    Order,
    OrderLine,
    Delivery,
    VehicleAllocation,
    Payment,
    Activity,
    ServiceOrder,
    ServiceJob,
    ServicePart,
    Reminder,
    FollowUpCall,
    Complaint,
)
# (model, number kind, field whose local date gives the number's year)
NUMBERED = (
    (Quote, "quote", "created_at"),
    (Order, "order", "order_date"),
    (ServiceOrder, "service", "opened_at"),
    (FleetAgreement, "agreement", "created_at"),
)
# Used only when the approval matrix is empty.
DEFAULT_AUTHORITIES = (
    Authority(Role.SALESPERSON, Decimal("0.02"), None, False),
    Authority(Role.SALES_MANAGER, Decimal("0.05"), None, False),
    Authority(Role.GENERAL_MANAGER, Decimal("1"), None, True),
)


def local_zone(name: str, start: datetime.date, end: datetime.date) -> datetime.tzinfo:
    """The store's zone; a fixed offset when it has one over the period (Asia/Shanghai since 1991).

    Millions of timestamps are built and converted, and a fixed offset is much cheaper than a
    zone lookup.
    """
    zone = zoneinfo.ZoneInfo(name)
    probes = [
        datetime.datetime(year, month, 15, 12, tzinfo=zone)
        for year in range(start.year, end.year + 1)
        for month in (1, 7)
    ]
    offsets = {probe.utcoffset() for probe in probes}
    if len(offsets) == 1:
        return datetime.timezone(offsets.pop(), name)
    return zone


class SeedRefused(Exception):
    """The database is not empty, so seeding would mix demo rows into real data."""


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def round_to(value, step: int) -> Decimal:
    return (Decimal(value) / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


_FIELD_NAMES: dict = {}


def optional(model, **values) -> dict:
    """Only the values whose field exists on ``model`` (fields added by later migrations)."""
    model = getattr(model, "model", model)
    names = _FIELD_NAMES.get(model)
    if names is None:
        names = _FIELD_NAMES[model] = {f.name for f in model._meta.get_fields()}
    return {key: value for key, value in values.items() if key in names}


@contextmanager
def explicit_timestamps():
    """Let the seed set ``created_at``/``updated_at`` itself, so history has realistic dates."""
    touched = []
    for model in FLUSH_ORDER + (SalesTarget, Brand, CarModel, Colour, Trim, Store):
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                touched.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in touched:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def seed_database(*, customers=600, years=3, seed=1, today=None, log=None) -> dict:
    """Seed an empty database and return the number of rows written per model.

    Raises ``SeedRefused`` when customers already exist. Same arguments and same ``today``
    give the same data.
    """
    if customers < 1 or years < 1:
        raise ValueError("customers and years must be at least 1")
    if Customer.objects.exists():
        raise SeedRefused(
            _(
                "The database already has %(count)s customers; seed only fills an empty database. "
                "Use a fresh database (or flush this one) and run it again."
            )
            % {"count": Customer.objects.count()}
        )
    seeder = Seeder(customers=customers, years=years, seed=seed, today=today, log=log)
    with explicit_timestamps(), transaction.atomic():
        seeder.run()
    # Planner statistics for the freshly filled tables (SQLite has none until analysed).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return seeder.counts


VehicleRow = rows_of(Vehicle)


class Seeder(CustomerMixin, DealMixin, WorkshopMixin):
    def __init__(self, *, customers, years, seed, today=None, log=None):
        self.n_customers = customers
        self.years = years
        self.rng = random.Random(seed)
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(seed)
        self.today = today or timezone.localdate()
        self.start = self.today - datetime.timedelta(days=365 * years)
        self.zone = local_zone(settings.TIME_ZONE, self.start, self.today)
        self.log = log or (lambda message: None)
        self.buffers = defaultdict(list)
        self.counts = defaultdict(int)
        self.used_vins: set[str] = set()
        self.used_mobiles: set[str] = set()
        self.used_resident_ids: set[str] = set()
        self.used_credit_codes: set[str] = set()
        self.used_company_names: set[str] = set()
        self.placeholder = 0
        self.next_id = {}
        self.resident_pool: list[str] = []
        self.first_calls = defaultdict(int)
        # (store id, salesperson id, first of month) -> [units, revenue, gross profit]
        self.actuals = defaultdict(lambda: [0, Decimal(0), Decimal(0)])

    # ------------------------------------------------------------------ helpers

    def at(self, day: datetime.date, hour=None, minute=None) -> datetime.datetime:
        """An aware datetime in the store's zone during opening hours."""
        hour = self.rng.randint(9, 19) if hour is None else hour
        minute = self.rng.randint(0, 59) if minute is None else minute
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=self.zone)

    def days(self, n) -> datetime.timedelta:
        return datetime.timedelta(days=n)

    def add(self, obj, created=None):
        """Queue ``obj`` for insertion; ``created`` (datetime) becomes its created/updated time."""
        stamp = created or self.at(self.today, 9, 0)
        if hasattr(obj, "created_at") and obj.created_at is None:
            obj.created_at = stamp
        if hasattr(obj, "updated_at") and obj.updated_at is None:
            obj.updated_at = obj.created_at
        model = obj._model
        if obj.pk is None:
            # Keys are given here, so rows can point at each other before anything is written.
            obj.pk = self.next_id[model]
            self.next_id[model] += 1
        self.buffers[model].append(obj)
        return obj

    def next_placeholder(self, kind: str) -> str:
        # Final numbers are given after insertion, in date order, by ``renumber``.
        self.placeholder += 1
        return f"~{kind}-{self.placeholder:09d}"

    def flush(self):
        for model in FLUSH_ORDER:
            rows = self.buffers.pop(model, None)
            if rows:
                insert_rows(model, rows)
                self.counts[model._meta.label] += len(rows)
        self.buffers.clear()

    def vin(self, year: int) -> str:
        while True:
            value = make_vin(self.rng, year=year)
            if value not in self.used_vins:
                self.used_vins.add(value)
                return value

    def unique(self, maker, used: set):
        while True:
            value = maker(self.rng)
            if value not in used:
                used.add(value)
                return value

    def new_resident_id(self) -> str:
        return self.unique(lambda rng: self.resident_like(), self.used_resident_ids)

    def resident_like(self) -> str:
        """A valid resident ID number.

        Checking a region code against the birth date is slow, so a pool of numbers from
        ``make_resident_id`` is grown first and later numbers vary the sequence digits of a pooled
        one (same region and birth date, recomputed check digit).
        """
        if len(self.resident_pool) < 400:
            number = make_resident_id(self.rng)
            self.resident_pool.append(number)
            return number
        body = f"{self.rng.choice(self.resident_pool)[:14]}{self.rng.randint(0, 999):03d}"
        return body + ric.calc_check_digit(body + "0")

    def first_few(self, key: str, n: int) -> int | None:
        """The index of this call among the first ``n`` calls for ``key``, else None."""
        seen = self.first_calls[key]
        self.first_calls[key] += 1
        return seen if seen < n else None

    def weighted(self, items, weights):
        return self.rng.choices(items, weights=weights, k=1)[0]

    def pick(self, pairs):
        """One item of ``(item, weight)`` pairs."""
        return self.rng.choices([item for item, _w in pairs], weights=[w for _i, w in pairs], k=1)[0]

    # ------------------------------------------------------------------ run

    def run(self):
        started = time.monotonic()
        for model in FLUSH_ORDER:
            self.next_id[model] = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
        self.setup_config()
        self.setup_stores()
        self.setup_users()
        self.setup_catalogue()
        self.setup_demo_vehicles()
        self.flush()
        self.log(
            _("Stores, staff and catalogue ready in %(seconds).1f s")
            % {"seconds": time.monotonic() - started}
        )
        self.generate_customers()
        self.generate_stock()
        self.flush()
        order_figures_refresh(Order.objects.all())
        self.generate_targets()
        self.renumber()
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), FLUSH_ORDER):
                cursor.execute(sql)
        self.counts = dict(sorted(self.counts.items()))

    def setup_config(self):
        self.authorities = sales_selectors.authorities() or list(DEFAULT_AUTHORITIES)
        general = MarginFloor.objects.filter(customer_tier="", account_type="", car_model=None).first()
        self.margin_floor = general.min_margin if general else Decimal("0")
        settings_rows = dict(LeadStageSetting.objects.values_list("stage", "probability"))
        self.stage_probability = {**DEFAULT_STAGE_PROBABILITY, **settings_rows}
        if not MaintenanceRule.objects.exists():
            MaintenanceRule.objects.create(interval_km=10000, interval_months=12)
            self.counts[MaintenanceRule._meta.label] += 1

    def setup_stores(self):
        n = self.n_customers
        n_stores = 2 if n < 150 else 3 if n < 400 else 4 if n < 20000 else len(catalogue.STORES)
        existing = {store.code: store for store in Store.objects.all()}
        self.stores = []
        created = self.at(self.start - self.days(400), 9, 0)
        for code, name, city, district, address, phone, plate in catalogue.STORES[:n_stores]:
            store = existing.get(code)
            if store is None:
                store = Store(
                    code=code,
                    name=name,
                    city=city,
                    address=address,
                    phone=phone,
                    created_at=created,
                    updated_at=created,
                )
                store.save()
                self.counts[Store._meta.label] += 1
            store.demo_district = district
            store.demo_plate = plate
            self.stores.append(store)
        # The first store is the flagship and has the most customers.
        self.store_weights = [1.6] + [1.0] * (len(self.stores) - 1)

    def setup_users(self):
        password = make_password(DEMO_PASSWORD)
        demo = {username: (role, store, last, first) for username, role, store, last, first in DEMO_USERS}
        per_store = self.n_customers / len(self.stores)
        n_sales = max(3, min(12, round(per_store / 120)))
        n_service = max(1, min(4, round(per_store / 3000)))
        wanted = [("admin", Role.ADMIN, None), ("gm", Role.GENERAL_MANAGER, None)]
        for store in self.stores:
            code = store.code.lower()
            wanted.append((f"manager.{code}", Role.SALES_MANAGER, store))
            wanted.append((f"finance.{code}", Role.FINANCE, store))
            for i in range(1, n_service + 1):
                wanted.append((f"service{'' if i == 1 else i}.{code}", Role.AFTERSALES, store))
            for i in range(1, n_sales + 1):
                wanted.append((f"sales{'' if i == 1 else i}.{code}", Role.SALESPERSON, store))
        for username, _role, store_code, _last, _first in DEMO_USERS:
            if not any(username == w[0] for w in wanted):
                store = next((s for s in self.stores if s.code == store_code), None)
                wanted.append((username, Role(_role), store))
        existing = {user.username: user for user in User.objects.all()}
        new_users = []
        joined = timezone.make_aware(datetime.datetime.combine(self.start, datetime.time(9)), self.zone)
        for username, role, store in wanted:
            if username in existing:
                continue
            if username in demo:
                _r, _s, last, first = demo[username]
            else:
                last, first = self.fake.last_name(), self.fake.first_name()
            is_admin = role == Role.ADMIN
            new_users.append(
                User(
                    username=username,
                    password=password,
                    role=role,
                    store=store,
                    last_name=last,
                    first_name=first,
                    email=f"{username}@autosales.example",
                    mobile=self.unique(_mobile, self.used_mobiles),
                    is_staff=is_admin,
                    is_superuser=is_admin,
                    date_joined=joined,
                )
            )
        User.objects.bulk_create(new_users, batch_size=BATCH_SIZE)
        self.counts[User._meta.label] += len(new_users)
        users = list(User.objects.filter(username__in=[w[0] for w in wanted]).order_by("id"))
        self.staff = defaultdict(list)
        for user in users:
            self.staff[(user.store_id, user.role)].append(user)
        self.gm = next(u for u in users if u.role == Role.GENERAL_MANAGER)
        for store in self.stores:
            store.salespeople = (
                self.staff[(store.id, Role.SALESPERSON)] or self.staff[(store.id, Role.SALES_MANAGER)]
            )
            store.manager = (self.staff[(store.id, Role.SALES_MANAGER)] or [self.gm])[0]
            store.finance = (self.staff[(store.id, Role.FINANCE)] or [store.manager])[0]
            store.advisors = self.staff[(store.id, Role.AFTERSALES)] or [store.manager]
            # The demo salesperson (first) carries a larger book than colleagues.
            store.sales_weights = [1.5] + [1.0] * (len(store.salespeople) - 1)

    def setup_catalogue(self):
        made = self.at(self.start - self.days(400), 9, 0)
        colours = {c.name: c for c in Colour.objects.all()}
        for name, name_en, hex_code in catalogue.COLOURS:
            if name not in colours:
                colours[name] = Colour(
                    name=name, name_en=name_en, hex_code=hex_code, created_at=made, updated_at=made
                )
                colours[name].save()
        self.colours = [colours[name] for name, _e, _h in catalogue.COLOURS]
        brands = {b.name: b for b in Brand.objects.all()}
        models = {(m.brand_id, m.name): m for m in CarModel.objects.all()}
        trims = {t.code: t for t in Trim.objects.all()}
        self.trims = {}
        self.trim_brand = {}
        model_year = self.today.year if self.today.month >= 7 else self.today.year - 1
        new_trims = []
        for brand_name, brand_en, country, cost_rate, car_models in catalogue.BRANDS:
            brand = brands.get(brand_name)
            if brand is None:
                brand = Brand(
                    name=brand_name, name_en=brand_en, country=country, created_at=made, updated_at=made
                )
                brand.save()
                self.counts[Brand._meta.label] += 1
            for model_name, model_en, body, model_trims in car_models:
                car_model = models.get((brand.id, model_name))
                if car_model is None:
                    car_model = CarModel(
                        brand=brand,
                        name=model_name,
                        name_en=model_en,
                        body_type=body,
                        created_at=made,
                        updated_at=made,
                    )
                    car_model.save()
                    self.counts[CarModel._meta.label] += 1
                for trim_name, code, fuel, msrp in model_trims:
                    trim = trims.get(code)
                    if trim is None:
                        trim = Trim(
                            car_model=car_model,
                            name=trim_name,
                            code=code,
                            model_year=model_year,
                            fuel_type=fuel,
                            msrp=money(msrp),
                            standard_cost=money(round_to(msrp * cost_rate, 100)),
                            created_at=made,
                            updated_at=made,
                        )
                        new_trims.append(trim)
                    trim.cost_rate = cost_rate
                    trim.brand_name = brand_name
                    self.trims[code] = trim
        Trim.objects.bulk_create(new_trims)
        self.counts[Trim._meta.label] += len(new_trims)
        through = Trim.colours.through
        links = [
            through(trim_id=trim.id, colour_id=colour.id)
            for trim in new_trims
            for colour in self.colours[:5] + ([self.colours[5]] if trim.msrp > 150000 else [])
        ]
        through.objects.bulk_create(links)
        self.trim_list = list(self.trims.values())
        self.retail_trims = [t for t in self.trim_list if t.car_model.body_type != "van"]
        # Popular family cars sell most; premium and MPV trims less often.
        self.retail_weights = [
            3.0 if t.msrp < 150000 else 2.0 if t.msrp < 250000 else 0.8 for t in self.retail_trims
        ]

    def setup_demo_vehicles(self):
        """A few demo cars per store for test drives, with plates; they are also stock."""
        self.demo_vehicles = {}
        popular = [
            t
            for t in self.retail_trims
            if t.code.endswith(
                ("DMI55", "ZG", "SS", "20G", "260T", "EV605", "PRO", "75", "ES-HH", "550", "240T")
            )
        ]
        for store in self.stores:
            cars = []
            for trim in popular:
                arrival = self.today - self.days(self.rng.randint(60, 420))
                vehicle = VehicleRow(
                    vin=self.vin(trim.model_year),
                    trim=trim,
                    colour=self.rng.choice(self.colours[:5]),
                    store=store,
                    status=VehicleStatus.IN_STOCK,
                    cost=trim.standard_cost,
                    list_price=trim.msrp,
                    arrival_date=arrival,
                    is_demo=True,
                    plate_number=f"{store.demo_plate}·D{self.rng.randint(1000, 9999)}",
                )
                vehicle.vin_tail = vehicle.vin[-6:]
                cars.append(self.add(vehicle, self.at(arrival)))
            self.demo_vehicles[store.id] = cars

    # ------------------------------------------------------------------ stock

    def generate_stock(self):
        """Current stock per store: in stock with ages in every bucket, plus in transit and ordered."""
        monthly = max(8, round(self.n_customers * 0.6 / (12 * self.years) / len(self.stores)))
        for store in self.stores:
            n_stock = max(24, min(400, round(monthly * 1.8)))
            for i in range(n_stock):
                trim = (
                    self.weighted(self.retail_trims, self.retail_weights)
                    if i % 7
                    else self.rng.choice(self.trim_list)
                )
                roll = self.rng.random()
                if roll < 0.72:
                    status = VehicleStatus.IN_STOCK
                    bucket = self.rng.random()
                    if bucket < 0.4:
                        age = self.rng.randint(0, 30)
                    elif bucket < 0.65:
                        age = self.rng.randint(31, 60)
                    elif bucket < 0.82:
                        age = self.rng.randint(61, 90)
                    else:
                        age = self.rng.randint(91, 240)
                    arrival = self.today - self.days(age)
                elif roll < 0.88:
                    status, arrival = VehicleStatus.IN_TRANSIT, None
                else:
                    status, arrival = VehicleStatus.ORDERED, None
                vehicle = VehicleRow(
                    vin=self.vin(trim.model_year),
                    trim=trim,
                    colour=self.rng.choice(self.colours),
                    store=store,
                    status=status,
                    cost=trim.standard_cost,
                    list_price=trim.msrp,
                    arrival_date=arrival,
                )
                vehicle.vin_tail = vehicle.vin[-6:]
                self.add(vehicle, self.at(arrival or self.today - self.days(self.rng.randint(1, 20))))

    # ------------------------------------------------------------------ targets

    def record_sale(self, order, units, revenue, profit):
        month = order.order_date.replace(day=1)
        row = self.actuals[(order.store.id, order.salesperson.id, month)]
        row[0] += units
        row[1] += revenue
        row[2] += profit

    def generate_targets(self):
        """Monthly targets per salesperson and per store: a stretch over what was achieved."""
        months = []
        month = self.start.replace(day=1)
        while month <= self.today:
            months.append(month)
            month = (month + self.days(32)).replace(day=1)
        rows = []
        for store in self.stores:
            for month in months:
                store_units, store_revenue, store_profit = 0, Decimal(0), Decimal(0)
                reference = (
                    month if month < self.today.replace(day=1) else (month - self.days(1)).replace(day=1)
                )
                for person in store.salespeople:
                    units, revenue, profit = self.actuals.get((store.id, person.id, reference), (0, 0, 0))
                    stretch = Decimal(self.rng.randint(95, 125)) / 100
                    t_units = max(2, round(units * float(stretch)) if units else 2)
                    t_revenue = (
                        round_to(Decimal(revenue) * stretch, 1000) if revenue else Decimal(t_units * 150000)
                    )
                    t_profit = round_to(Decimal(profit) * stretch, 100) if profit else Decimal(t_units * 6000)
                    made = self.at(month - self.days(3), 10, 0)
                    rows.append(
                        SalesTarget(
                            store=store,
                            salesperson=person,
                            month=month,
                            units=t_units,
                            revenue=money(t_revenue),
                            gross_profit=money(max(t_profit, Decimal(0))),
                            created_by=store.manager,
                            created_at=made,
                            updated_at=made,
                        )
                    )
                    store_units += t_units
                    store_revenue += t_revenue
                    store_profit += max(t_profit, Decimal(0))
                rows.append(
                    SalesTarget(
                        store=store,
                        salesperson=None,
                        month=month,
                        units=store_units,
                        revenue=money(store_revenue),
                        gross_profit=money(store_profit),
                        created_by=self.gm,
                        created_at=made,
                        updated_at=made,
                    )
                )
        SalesTarget.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        self.counts[SalesTarget._meta.label] += len(rows)

    # ------------------------------------------------------------------ numbering

    def renumber(self):
        """Give documents their final numbers in date order and align the number sequences.

        ``number_next`` continues after the highest number seeded per (store, kind, year).
        """
        codes = {store.id: store.code for store in Store.objects.all()}
        highest = {}
        for model, kind, date_field in NUMBERED:
            rows = []
            for pk, store_id, when in model.objects.values_list("id", "store_id", date_field).iterator(
                chunk_size=5000
            ):
                day = (
                    timezone.localtime(when, self.zone).date()
                    if isinstance(when, datetime.datetime)
                    else when
                )
                rows.append((store_id, day, pk))
            rows.sort()
            counters = defaultdict(int)
            updates = []
            for store_id, day, pk in rows:
                key = (store_id, kind, day.year)
                counters[key] += 1
                updates.append((f"{codes[store_id]}-{day.year}-{counters[key]:06d}", pk))
            highest.update(counters)
            table = connection.ops.quote_name(model._meta.db_table)
            with connection.cursor() as cursor:
                for start in range(0, len(updates), 5000):
                    cursor.executemany(
                        f"UPDATE {table} SET number = %s WHERE id = %s",  # noqa: S608 - table name from model meta
                        updates[start : start + 5000],
                    )
        existing = {
            (row.store_id, row.kind, row.year): row
            for row in NumberSequence.objects.filter(store_id__in=codes)
        }
        changed, created = [], []
        for (store_id, kind, year), value in highest.items():
            row = existing.get((store_id, kind, year))
            if row is None:
                created.append(NumberSequence(store_id=store_id, kind=kind, year=year, last_value=value))
            elif row.last_value < value:
                row.last_value = value
                changed.append(row)
        NumberSequence.objects.bulk_create(created)
        NumberSequence.objects.bulk_update(changed, ["last_value"])
        self.counts[NumberSequence._meta.label] += len(created)


def _mobile(rng):
    from autosales.core.identity import make_mobile

    return make_mobile(rng)
