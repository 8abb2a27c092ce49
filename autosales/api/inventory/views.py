from autosales.api.base import HistoryMixin, ScopedModelViewSet
from autosales.inventory import selectors
from autosales.inventory.filtersets import (
    BrandFilterSet,
    CarModelFilterSet,
    ColourFilterSet,
    TrimFilterSet,
    VehicleFilterSet,
)
from autosales.inventory.models import Brand, CarModel, Colour, Trim, Vehicle

from .serializers import (
    BrandSerializer,
    CarModelSerializer,
    ColourSerializer,
    TrimSerializer,
    VehicleSerializer,
)


class BrandViewSet(ScopedModelViewSet):
    """Car brands of the catalogue. Every role reads; administrators and general managers write."""

    queryset = Brand.objects.all()
    serializer_class = BrandSerializer
    filterset_class = BrandFilterSet

    def get_queryset(self):
        return selectors.brand_list(user=self.request.user)


class CarModelViewSet(ScopedModelViewSet):
    """Models of a brand (e.g. a sedan line)."""

    queryset = CarModel.objects.all()
    serializer_class = CarModelSerializer
    filterset_class = CarModelFilterSet

    def get_queryset(self):
        return selectors.car_model_list(user=self.request.user)


class ColourViewSet(ScopedModelViewSet):
    queryset = Colour.objects.all()
    serializer_class = ColourSerializer
    filterset_class = ColourFilterSet

    def get_queryset(self):
        return selectors.colour_list(user=self.request.user)


class TrimViewSet(ScopedModelViewSet):
    """Trims (versions) of a model with list price; ``standard_cost`` only for roles that see cost."""

    queryset = Trim.objects.all()
    serializer_class = TrimSerializer
    filterset_class = TrimFilterSet

    def get_queryset(self):
        return selectors.trim_list(user=self.request.user).prefetch_related("colours")


class VehicleViewSet(HistoryMixin, ScopedModelViewSet):
    """Vehicles by VIN in the stores the user may see, with stock age in days computed by the database.

    ``cost`` is shown and accepted only for roles that may see cost; the VIN is checked (length,
    characters, check digit) and a duplicate names the store that already has it.
    """

    queryset = Vehicle.objects.all()
    serializer_class = VehicleSerializer
    filterset_class = VehicleFilterSet
    list_related_fields = (
        "trim__name",
        "trim__car_model__name",
        "trim__car_model__brand__name",
        "colour__name",
        "store__code",
    )

    def get_queryset(self):
        return selectors.vehicle_list(user=self.request.user)
