import threading

import pytest
from django.db import connection, transaction

from autosales.core.models import NumberSequence
from autosales.core.numbering import number_next
from autosales.core.tests.factories import StoreFactory

pytestmark = pytest.mark.django_db


def test_numbers_start_at_one_and_follow_each_other():
    store = StoreFactory(code="SH01")
    issued = [number_next(store=store, kind="order", year=2026) for _ in range(3)]
    assert issued == ["SH01-2026-000001", "SH01-2026-000002", "SH01-2026-000003"]


def test_each_store_and_kind_has_its_own_sequence():
    sh, bj = StoreFactory(code="SH01"), StoreFactory(code="BJ02")
    assert number_next(store=sh, kind="order", year=2026) == "SH01-2026-000001"
    assert number_next(store=sh, kind="order", year=2026) == "SH01-2026-000002"
    assert number_next(store=bj, kind="order", year=2026) == "BJ02-2026-000001"
    assert number_next(store=sh, kind="quote", year=2026) == "SH01-2026-000001"
    assert NumberSequence.objects.count() == 3


def test_numbering_restarts_each_year():
    store = StoreFactory(code="SH01")
    for _ in range(4):
        number_next(store=store, kind="order", year=2026)
    assert number_next(store=store, kind="order", year=2027) == "SH01-2027-000001"
    assert number_next(store=store, kind="order", year=2026) == "SH01-2026-000005"


def test_number_width_is_configurable():
    store = StoreFactory(code="GZ03")
    assert number_next(store=store, kind="service", year=2026, width=4) == "GZ03-2026-0001"


def test_number_of_a_rolled_back_transaction_is_issued_again():
    store = StoreFactory(code="SH01")
    number_next(store=store, kind="order", year=2026)
    with pytest.raises(RuntimeError), transaction.atomic():
        assert number_next(store=store, kind="order", year=2026) == "SH01-2026-000002"
        raise RuntimeError("the document could not be saved")
    assert number_next(store=store, kind="order", year=2026) == "SH01-2026-000002"


THREADS = 8
NUMBERS_PER_THREAD = 25


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_numbering_gives_distinct_contiguous_numbers():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises all writes on one lock")
    store = StoreFactory(code="SH01")
    start = threading.Barrier(THREADS)
    issued: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work():
        # Each thread has its own database connection (Django connections are per thread).
        try:
            start.wait(timeout=30)
            for _ in range(NUMBERS_PER_THREAD):
                with transaction.atomic():
                    number = number_next(store=store, kind="order", year=2026)
                with lock:
                    issued.append(number)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors, errors
    assert len(issued) == THREADS * NUMBERS_PER_THREAD
    values = sorted(int(number.rsplit("-", 1)[1]) for number in issued)
    assert values == list(range(1, THREADS * NUMBERS_PER_THREAD + 1))
    assert NumberSequence.objects.get(store=store, kind="order", year=2026).last_value == len(values)
