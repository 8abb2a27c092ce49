"""Imports of customers, vehicles and historical orders from CSV or XLSX files."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from autosales.core.access import can_see_cost, can_write_model
from autosales.inventory.models import Vehicle
from autosales.parties.models import Customer
from autosales.sales.models import Order

from .importers.customers import CustomerImporter
from .importers.orders import OrderImporter
from .importers.vehicles import VehicleImporter
from .readers import read_table
from .report import ImportReport

ENTITIES = ("customers", "vehicles", "orders")
IMPORTERS = {"customers": CustomerImporter, "vehicles": VehicleImporter, "orders": OrderImporter}
# Models a user must be allowed to write to import an entity.
WRITES = {"customers": (Customer,), "vehicles": (Vehicle,), "orders": (Order, Vehicle)}


def can_import(user, entity: str) -> bool:
    """Whether ``user`` may import ``entity``; history of orders also needs sight of costs."""
    if entity not in WRITES:
        return False
    if not all(can_write_model(user, model) for model in WRITES[entity]):
        return False
    return entity != "orders" or can_see_cost(user)


def exchange_import(
    *, entity: str, data: bytes, filename: str = "", actor=None, store=None, good_only: bool = False
) -> ImportReport:
    """Import ``data`` (CSV in UTF-8 or GBK, or XLSX) as ``entity``.

    Every row is checked first. Without ``good_only`` nothing is written unless every row is good;
    with it the good rows are written and the bad ones are listed in the report (and its rejected-rows
    file). The write is one transaction. ``actor`` None means the command line, with full access.
    Raises ``FileRefused`` for a file that cannot be read as a whole, and ``PermissionDenied``.
    """
    if entity not in IMPORTERS:
        raise ValueError(entity)
    if actor is not None and not can_import(actor, entity):
        raise PermissionDenied(_("Your role may not import %(entity)s.") % {"entity": entity})
    table = read_table(data, filename=filename)
    importer = IMPORTERS[entity](actor=actor, store=store, good_only=good_only)
    return importer.run(table)
