from autosales.core.services import model_create, model_update

from .models import Brand, CarModel, Colour, Trim, Vehicle


def vehicle_create(*, actor, **data) -> Vehicle:
    """Register a vehicle; the VIN is checked (length, characters, check digit, uniqueness)."""
    return model_create(Vehicle, actor=actor, data=data)


def vehicle_update(*, vehicle: Vehicle, actor, **data) -> Vehicle:
    return model_update(vehicle, actor=actor, data=data)


def brand_create(*, actor, **data) -> Brand:
    return model_create(Brand, actor=actor, data=data)


def car_model_create(*, actor, **data) -> CarModel:
    return model_create(CarModel, actor=actor, data=data)


def colour_create(*, actor, **data) -> Colour:
    return model_create(Colour, actor=actor, data=data)


def trim_create(*, actor, colours=None, **data) -> Trim:
    trim = model_create(Trim, actor=actor, data=data)
    if colours is not None:
        trim.colours.set(colours)
    return trim
