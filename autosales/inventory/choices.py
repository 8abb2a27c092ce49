from django.db import models
from django.utils.translation import gettext_lazy as _


class FuelType(models.TextChoices):
    PETROL = "petrol", _("Petrol")
    HYBRID = "hybrid", _("Hybrid")
    PHEV = "phev", _("Plug-in hybrid")
    ELECTRIC = "electric", _("Electric")


NEW_ENERGY_FUELS = frozenset({FuelType.PHEV, FuelType.ELECTRIC})


class BodyType(models.TextChoices):
    SEDAN = "sedan", _("Sedan")
    HATCHBACK = "hatchback", _("Hatchback")
    SUV = "suv", _("SUV")
    MPV = "mpv", _("MPV")
    PICKUP = "pickup", _("Pickup")
    VAN = "van", _("Van")


class VehicleStatus(models.TextChoices):
    ORDERED = "ordered", _("Ordered from maker")
    IN_TRANSIT = "in_transit", _("In transit")
    IN_STOCK = "in_stock", _("In stock")
    RESERVED = "reserved", _("Reserved")
    SOLD = "sold", _("Sold")
    DELIVERED = "delivered", _("Delivered")
    EXTERNAL = "external", _("Customer vehicle (bought elsewhere)")


# Statuses in which a vehicle is the dealer's stock.
STOCK_STATUSES = (VehicleStatus.IN_STOCK, VehicleStatus.RESERVED)


class TransferStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    IN_TRANSIT = "in_transit", _("In transit")
    RECEIVED = "received", _("Received")
    CANCELLED = "cancelled", _("Cancelled")
