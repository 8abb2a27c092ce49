"""Document numbers unique per store, kind and year: SH01-2026-000123."""

from django.db import IntegrityError, transaction
from django.db.models import F

from .models import NumberSequence, Store


def number_next(*, store: Store, kind: str, year: int, width: int = 6) -> str:
    """Issue the next number for (store, kind, year).

    The increment is a single UPDATE, so the row stays locked until the caller's
    transaction ends: two concurrent callers never receive the same number.
    """
    with transaction.atomic():
        for _attempt in range(5):
            updated = NumberSequence.objects.filter(store=store, kind=kind, year=year).update(
                last_value=F("last_value") + 1
            )
            if updated:
                value = NumberSequence.objects.filter(store=store, kind=kind, year=year).values_list(
                    "last_value", flat=True
                )[0]
                return f"{store.code}-{year}-{value:0{width}d}"
            try:
                with transaction.atomic():
                    NumberSequence.objects.create(store=store, kind=kind, year=year, last_value=0)
            except IntegrityError:
                # Another transaction created the row first; take the update path.
                continue
        raise RuntimeError("could not issue a document number")
