import datetime
import hashlib
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import DecimalField, ExpressionWrapper, F, Q, Sum
from django.test import override_settings
from django.utils import timezone, translation

from autosales.aftersales.models import (
    Complaint,
    FollowUpCall,
    Reminder,
    ServiceJob,
    ServiceOrder,
    ServicePart,
)
from autosales.core.demo import DEMO_PASSWORD, DEMO_USERS
from autosales.core.demo.seed import SeedRefused, seed_database
from autosales.core.models import NumberSequence, Store, User
from autosales.core.numbering import number_next
from autosales.core.validators import (
    validate_credit_code,
    validate_mobile,
    validate_resident_id,
    validate_vin,
)
from autosales.inventory.choices import VehicleStatus
from autosales.inventory.models import Trim, Vehicle
from autosales.parties.choices import BuyingRole, CustomerKind
from autosales.parties.models import Contact, Customer
from autosales.sales.choices import (
    SOLD_ORDER_STATUSES,
    ActivityKind,
    LeadStage,
    LineKind,
    PaymentKind,
    QuoteStatus,
)
from autosales.sales.models import (
    Activity,
    Delivery,
    FleetAgreement,
    FleetAgreementLine,
    Lead,
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

CUSTOMERS = 100
YEARS = 2
MONEY = DecimalField(max_digits=18, decimal_places=2)


def data_digest() -> str:
    """A fingerprint of the seeded business data, independent of primary keys."""
    digest = hashlib.sha256()
    querysets = (
        Customer.objects.order_by("kind", "mobile", "credit_code").values_list(
            "kind",
            "name",
            "mobile",
            "resident_id",
            "credit_code",
            "store__code",
            "owner__username",
            "created_at",
        ),
        Order.objects.order_by("number").values_list(
            "number",
            "customer__name",
            "status",
            "order_date",
            "list_total",
            "discount_total",
            "total",
            "cost_total",
            "income_total",
            "paid_total",
        ),
        Quote.objects.order_by("number").values_list("number", "status", "total", "required_role"),
        Vehicle.objects.order_by("vin").values_list("vin", "status", "arrival_date", "cost", "store__code"),
        ServiceOrder.objects.order_by("number").values_list(
            "number", "vehicle__vin", "mileage_km", "discount"
        ),
        Activity.objects.order_by("occurred_at", "kind", "customer__name").values_list(
            "kind", "occurred_at", "due_date", "customer__name"
        ),
    )
    for queryset in querysets:
        # Sorted in Python: rows equal in the ORDER BY columns may come back in any order.
        for text in sorted(repr(row) for row in queryset):
            digest.update(text.encode())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """One small seeded group for the module; two other runs are made and rolled back to compare."""
    today = timezone.localdate()
    fast_hashing = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast_hashing, translation.override("en"):
        with transaction.atomic():
            seed_database(customers=CUSTOMERS, years=YEARS, seed=2, today=today)
            first_digest = data_digest()
            transaction.set_rollback(True)
        with transaction.atomic():
            output = io.StringIO()
            call_command("seed", customers=CUSTOMERS, years=YEARS, seed=3, stdout=output)
            other_digest = data_digest()
            transaction.set_rollback(True)
        with transaction.atomic():
            counts = seed_database(customers=CUSTOMERS, years=YEARS, seed=2, today=today)
            yield {
                "counts": counts,
                "today": today,
                "digest": data_digest(),
                "first_digest": first_digest,
                "other_digest": other_digest,
                "command_output": output.getvalue(),
            }
            transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def test_small_seed_fills_every_part_of_the_dealership(seeded):
    assert Customer.objects.count() == CUSTOMERS
    assert seeded["counts"]["parties.Customer"] == CUSTOMERS
    assert list(Store.objects.values_list("code", flat=True)) == ["SH01", "SH02"]
    for model in (
        Contact,
        Trim,
        Vehicle,
        Lead,
        Activity,
        TradeInAppraisal,
        FleetAgreement,
        FleetAgreementLine,
        Quote,
        QuoteLine,
        QuoteApproval,
        Order,
        OrderLine,
        Payment,
        Delivery,
        VehicleAllocation,
        SalesTarget,
        ServiceOrder,
        ServiceJob,
        ServicePart,
        Reminder,
        Complaint,
        FollowUpCall,
    ):
        assert model.objects.exists(), model.__name__
        assert seeded["counts"][model._meta.label] == model.objects.count(), model.__name__
    assert Customer.objects.filter(kind=CustomerKind.COMPANY).exists()
    assert set(Lead.objects.values_list("stage", flat=True)) == set(LeadStage.values)
    assert (
        Lead.objects.filter(stage=LeadStage.LOST).exclude(lost_reason="").count()
        == Lead.objects.filter(stage=LeadStage.LOST).count()
    )


def test_demo_logins_exist_with_the_demo_password(seeded):
    for username, role, store_code, last_name, first_name in DEMO_USERS:
        user = User.objects.get(username=username)
        assert (user.role, user.last_name, user.first_name) == (role, last_name, first_name)
        assert (user.store.code if user.store else None) == store_code
    assert User.objects.get(username="sales.sh01").check_password(DEMO_PASSWORD)
    # One hash for everyone: hashing is slow, so the seed hashes the password once.
    assert User.objects.values("password").distinct().count() == 1
    for store in Store.objects.all():
        roles = set(User.objects.filter(store=store).values_list("role", flat=True))
        assert roles == {"salesperson", "sales_manager", "finance", "aftersales"}
        assert User.objects.filter(store=store, role="salesperson").count() >= 3


def test_the_command_reports_counts_and_time(seeded):
    output = seeded["command_output"]
    assert "parties.Customer" in output
    assert "Seeded" in output and " s." in output


def test_same_seed_gives_the_same_data(seeded):
    assert seeded["digest"] == seeded["first_digest"]


def test_another_seed_gives_other_data(seeded):
    assert seeded["digest"] != seeded["other_digest"]


def test_stored_totals_equal_the_sums_of_lines_and_payments(seeded):
    for model, line_model, key in ((Order, OrderLine, "order"), (Quote, QuoteLine, "quote")):
        sold = ~Q(kind=LineKind.TRADE_IN)
        sums = {
            row[key]: row
            for row in line_model.objects.values(key).annotate(
                list_total=Sum(
                    ExpressionWrapper(F("unit_price") * F("quantity"), output_field=MONEY), filter=sold
                ),
                discount_total=Sum(
                    ExpressionWrapper(F("unit_discount") * F("quantity"), output_field=MONEY), filter=sold
                ),
                cost_total=Sum(
                    ExpressionWrapper(F("unit_cost") * F("quantity"), output_field=MONEY), filter=sold
                ),
                income_total=Sum("income"),
                trade_in_credit=Sum("unit_price", filter=Q(kind=LineKind.TRADE_IN)),
            )
        }
        documents = list(model.objects.all())
        assert documents
        for doc in documents:
            row = sums[doc.pk]
            assert doc.list_total == row["list_total"], doc.number
            assert doc.discount_total == row["discount_total"], doc.number
            assert doc.total == row["list_total"] - row["discount_total"], doc.number
            assert doc.cost_total == row["cost_total"], doc.number
            assert doc.income_total == row["income_total"], doc.number
            assert doc.trade_in_credit == (row["trade_in_credit"] or 0), doc.number
    paid = {
        row["order"]: row["paid"]
        for row in Payment.objects.values("order").annotate(
            paid=Sum("amount", filter=~Q(kind=PaymentKind.REFUND), default=Decimal(0))
            - Sum("amount", filter=Q(kind=PaymentKind.REFUND), default=Decimal(0))
        )
    }
    for order in Order.objects.all():
        assert order.paid_total == paid.get(order.pk, 0), order.number
        assert order.paid_total <= order.total - order.trade_in_credit
    for service in ServiceOrder.objects.filter(status="closed"):
        assert service.paid_total == service.revenue


def test_identity_numbers_are_valid_and_sampled_rows_pass_model_validation(seeded):
    for mobile, resident_id, credit_code in Customer.objects.values_list(
        "mobile", "resident_id", "credit_code"
    ):
        if mobile:
            validate_mobile(mobile)
        if resident_id:
            validate_resident_id(resident_id)
        if credit_code:
            validate_credit_code(credit_code)
    for vin in Vehicle.objects.values_list("vin", flat=True):
        validate_vin(vin)
    assert all(vin[-6:] == tail for vin, tail in Vehicle.objects.values_list("vin", "vin_tail"))
    for model in (
        Customer,
        Contact,
        User,
        Trim,
        Vehicle,
        Lead,
        Activity,
        TradeInAppraisal,
        FleetAgreement,
        Quote,
        QuoteLine,
        Order,
        OrderLine,
        Payment,
        Delivery,
        SalesTarget,
        ServiceOrder,
        ServiceJob,
        ServicePart,
        Reminder,
        Complaint,
        FollowUpCall,
    ):
        for obj in model.objects.order_by("id")[::7][:15]:
            obj.full_clean()


def test_most_profit_comes_from_few_customers_and_some_lose_money(seeded):
    profit = ExpressionWrapper(
        (F("unit_price") - F("unit_discount") - F("unit_cost")) * F("quantity") + F("income"),
        output_field=MONEY,
    )
    per_customer = sorted(
        (
            row["profit"]
            for row in OrderLine.objects.filter(order__status__in=SOLD_ORDER_STATUSES)
            .exclude(kind=LineKind.TRADE_IN)
            .values("order__customer")
            .annotate(profit=Sum(profit))
        ),
        reverse=True,
    )
    total = sum(per_customer)
    top = per_customer[: round(len(per_customer) * 0.2)]
    share = sum(top) / total
    assert Decimal("0.6") <= share <= Decimal("0.95"), share
    assert min(per_customer) < 0


def test_fleet_accounts_buy_many_vehicles_under_agreements(seeded):
    fleet_orders = Order.objects.filter(is_fleet=True)
    assert fleet_orders.exists()
    vehicles = OrderLine.objects.filter(order__is_fleet=True, kind=LineKind.VEHICLE).aggregate(
        n=Sum("quantity")
    )
    assert vehicles["n"] >= 5 * fleet_orders.values("customer").distinct().count()
    fleet_customer = fleet_orders.first().customer
    assert fleet_customer.kind == CustomerKind.COMPANY
    roles = set(Contact.objects.filter(customer=fleet_customer).values_list("buying_role", flat=True))
    assert roles == set(BuyingRole.values)
    assert Contact.objects.filter(customer=fleet_customer, is_executive=True).exists()
    assert FleetAgreement.objects.filter(customer=fleet_customer).exists()
    assert Quote.objects.filter(customer=fleet_customer, fleet_agreement__isnull=False).exists()
    delivered = VehicleAllocation.objects.filter(order__is_fleet=True, status="delivered")
    assert delivered.exists() and not delivered.filter(vehicle__status__in=("in_stock", "reserved")).exists()


def test_stock_ages_cover_every_bucket_and_other_stock_states(seeded):
    today = seeded["today"]
    ages = [
        (today - arrival).days
        for arrival in Vehicle.objects.filter(status=VehicleStatus.IN_STOCK).values_list(
            "arrival_date", flat=True
        )
    ]
    for low, high in ((0, 30), (31, 60), (61, 90), (91, 10_000)):
        assert any(low <= age <= high for age in ages), (low, high)
    statuses = set(Vehicle.objects.values_list("status", flat=True))
    assert {"in_stock", "in_transit", "ordered", "delivered"} <= statuses
    assert Vehicle.objects.filter(is_demo=True).exists()
    drive = Activity.objects.filter(kind=ActivityKind.TEST_DRIVE).first()
    assert drive.vehicle.is_demo and len(drive.licence_number) == 18


def test_follow_ups_are_spread_over_overdue_today_and_later(seeded):
    today = seeded["today"]
    open_follow_ups = Activity.objects.filter(kind=ActivityKind.FOLLOW_UP, completed_at__isnull=True)
    assert open_follow_ups.filter(due_date__lt=today).exists()
    assert open_follow_ups.filter(due_date=today).exists()
    assert open_follow_ups.filter(due_date__gt=today).exists()
    assert Payment.objects.filter(kind=PaymentKind.BALANCE, paid_at__date__gt=F("due_date")).exists()
    assert Quote.objects.filter(status=QuoteStatus.PENDING_APPROVAL).exists()
    assert OrderLine.objects.filter(is_free=True, unit_discount=F("unit_price")).exists()
    assert not OrderLine.objects.filter(is_free=True).exclude(unit_discount=F("unit_price")).exists()
    assert OrderLine.objects.filter(kind=LineKind.FINANCING, income__gt=0).exists()
    assert OrderLine.objects.filter(kind=LineKind.INSURANCE, income__gt=0).exists()
    assert FollowUpCall.objects.filter(score__in=(1, 2)).exists()
    assert FollowUpCall.objects.filter(score=5).exists()


def test_document_numbers_continue_after_the_seeded_ones(seeded):
    store = Store.objects.get(code="SH01")
    year = seeded["today"].year
    last = NumberSequence.objects.get(store=store, kind="order", year=year).last_value
    highest = max(
        int(number.rsplit("-", 1)[1])
        for number in Order.objects.filter(store=store, number__startswith=f"SH01-{year}-").values_list(
            "number", flat=True
        )
    )
    assert last == highest
    issued = number_next(store=store, kind="order", year=year)
    assert issued == f"SH01-{year}-{highest + 1:06d}"
    assert not Order.objects.filter(number=issued).exists()
    assert not Order.objects.filter(number__startswith="~").exists()
    for model in (Quote, ServiceOrder, FleetAgreement):
        assert not model.objects.filter(number__startswith="~").exists()
    first = Order.objects.filter(store=store).order_by("order_date", "id").first()
    assert first.number.endswith("-000001")


def test_seeding_a_database_with_customers_is_refused(seeded):
    before = Order.objects.count()
    with translation.override("en"), pytest.raises(CommandError, match="already has 100 customers"):
        call_command("seed", customers=5, years=1, stdout=io.StringIO())
    with pytest.raises(SeedRefused):
        seed_database(customers=5, years=1, today=seeded["today"] - datetime.timedelta(days=1))
    assert Customer.objects.count() == CUSTOMERS
    assert Order.objects.count() == before


def test_rows_created_after_seeding_get_fresh_keys(seeded):
    store = Store.objects.get(code="SH01")
    customer = Customer.objects.create(name="新客户", mobile="13800138000", store=store)
    assert (
        customer.pk > Customer.objects.exclude(pk=customer.pk).order_by("-pk").values_list("pk", flat=True)[0]
    )
    vehicle = Vehicle.objects.create(
        vin="LSVAB2181N2184467", trim=Trim.objects.first(), store=store, arrival_date=seeded["today"]
    )
    assert vehicle.vin_tail == "184467"
