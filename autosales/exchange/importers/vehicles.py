from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from autosales.core.validators import normalize_vin
from autosales.inventory.choices import VehicleStatus
from autosales.inventory.models import Colour, Trim, Vehicle

from .. import common
from ..columns import Column
from .base import RowImporter

VEHICLE_COLUMNS = (
    Column("vin", "车架号", aliases=("VIN", "VIN码", "车辆识别代号"), required=True),
    Column("trim_code", "配置代码", aliases=("trim", "车型代码", "配置编码")),
    Column("colour", "颜色", aliases=("color", "车身颜色")),
    Column("store", "门店", aliases=("store_code", "门店代码")),
    Column("status", "状态", aliases=("库存状态",)),
    Column("cost", "成本", aliases=("采购成本", "进价"), cost=True),
    Column("list_price", "标价", aliases=("售价", "指导价")),
    Column("arrival_date", "到店日期", aliases=("入库日期",)),
    Column("is_demo", "试驾车", aliases=("demo",)),
    Column("description", "描述", aliases=("说明",)),
    Column("plate_number", "车牌号", aliases=("plate", "车牌")),
)


class VehicleImporter(RowImporter):
    """Vehicles by VIN."""

    entity = "vehicles"
    model = Vehicle
    columns = VEHICLE_COLUMNS
    fields = {
        "vin": ("vin", "text"),
        "trim_code": ("trim", "trim"),
        "colour": ("colour", "colour"),
        "store": ("store", "store"),
        "status": ("status", VehicleStatus),
        "cost": ("cost", "decimal"),
        "list_price": ("list_price", "decimal"),
        "arrival_date": ("arrival_date", "date"),
        "is_demo": ("is_demo", "bool"),
        "description": ("description", "text"),
        "plate_number": ("plate_number", "text"),
    }

    def prefetch(self, rows):
        super().prefetch(rows)
        codes = {values.get("trim_code", "").strip() for _line, values in rows} - {""}
        self.trims = {
            t.code.upper(): t for t in Trim.objects.filter(code__in=codes | {c.upper() for c in codes})
        }
        self.colours = {}
        for colour in Colour.objects.all():
            self.colours[colour.name.lower()] = colour
            if colour.name_en:
                self.colours.setdefault(colour.name_en.lower(), colour)

    def resolve_trim(self, text: str) -> Trim:
        trim = self.trims.get(text.upper())
        if trim is None:
            raise ValidationError(_("There is no trim with code %(code)s.") % {"code": text})
        return trim

    def resolve_colour(self, text: str) -> Colour:
        colour = self.colours.get(text.lower())
        if colour is None:
            raise ValidationError(_("There is no colour named %(name)s.") % {"name": text})
        return colour

    def parse_row(self, line, values, report):
        data = super().parse_row(line, values, report)
        if data is not None and "vin" in data:
            data["vin"] = normalize_vin(data["vin"])
        return data

    def unique_fields(self):
        return ("vin",)

    def key_of(self, data):
        return data.get("vin", "")

    def find_existing(self, parsed):
        vins = {d["vin"] for _line, d in parsed if d.get("vin")}
        found = {}
        for chunk in common.in_chunks(vins):
            found.update({v.vin: v for v in Vehicle.objects.filter(vin__in=chunk)})
        return found

    def before_save(self, instances):
        for vehicle in instances:
            vehicle.vin_tail = vehicle.vin[-6:]
