from autosales.core.choices import Role
from autosales.core.models import User
from autosales.core.validators import normalize_code, normalize_mobile
from autosales.parties.choices import CustomerKind, Industry, SourceChannel
from autosales.parties.models import Customer

from .. import common
from ..columns import Column
from .base import RowImporter

CUSTOMER_COLUMNS = (
    Column("kind", "客户类型", aliases=("type", "类型")),
    Column("name", "客户名称", aliases=("customer_name", "姓名", "名称", "客户姓名"), required=True),
    Column("mobile", "手机号", aliases=("phone", "手机", "手机号码", "电话")),
    Column("resident_id", "身份证号", aliases=("id_number", "身份证", "身份证号码")),
    Column("credit_code", "统一社会信用代码", aliases=("uscc", "信用代码", "社会信用代码")),
    Column("industry", "行业"),
    Column("fleet_size", "车队规模"),
    Column("region", "地区", aliases=("区域",)),
    Column("email", "邮箱", aliases=("e-mail", "电子邮箱", "电子邮件")),
    Column("address", "地址"),
    Column("source", "来源渠道", aliases=("来源", "渠道")),
    Column("store", "门店", aliases=("store_code", "门店代码")),
    Column("owner", "销售顾问", aliases=("salesperson", "负责人", "owner_username")),
    Column("marketing_consent", "营销同意", aliases=("同意营销",)),
    Column("notes", "备注"),
)


class CustomerImporter(RowImporter):
    """Customers by natural key: the credit code of a company, else the mobile number."""

    entity = "customers"
    model = Customer
    columns = CUSTOMER_COLUMNS
    fields = {
        "kind": ("kind", CustomerKind),
        "name": ("name", "text"),
        "mobile": ("mobile", "text"),
        "resident_id": ("resident_id", "text"),
        "credit_code": ("credit_code", "text"),
        "industry": ("industry", Industry),
        "fleet_size": ("fleet_size", "int"),
        "region": ("region", "text"),
        "email": ("email", "text"),
        "address": ("address", "text"),
        "source": ("source", SourceChannel),
        "store": ("store", "store"),
        "owner": ("owner", "owner"),
        "marketing_consent": ("marketing_consent", "bool"),
        "notes": ("notes", "text"),
    }
    defaults = {"source": SourceChannel.IMPORT}

    def prefetch(self, rows):
        super().prefetch(rows)
        self.users = common.users_by_name(values.get("owner") for _line, values in rows)

    def resolve_owner(self, text: str) -> User | None:
        return common.resolve_user(text, self.users)

    def parse_row(self, line, values, report):
        data = super().parse_row(line, values, report)
        if data is not None:
            for field in ("mobile",):
                if field in data:
                    data[field] = normalize_mobile(data[field])
            for field in ("resident_id", "credit_code"):
                if field in data:
                    data[field] = normalize_code(data[field])
        return data

    def unique_fields(self):
        return ("mobile", "resident_id", "credit_code")

    def key_of(self, data: dict) -> str:
        return data.get("credit_code") or data.get("mobile") or ""

    def find_existing(self, parsed) -> dict:
        codes = {d["credit_code"] for _line, d in parsed if d.get("credit_code")}
        mobiles = {d["mobile"] for _line, d in parsed if d.get("mobile") and not d.get("credit_code")}
        if not codes and not mobiles:
            return {}
        found = {}
        for chunk in common.in_chunks(codes):
            found.update({c.credit_code: c for c in Customer.objects.filter(credit_code__in=chunk)})
        for chunk in common.in_chunks(mobiles):
            for customer in Customer.objects.filter(mobile__in=chunk):
                found.setdefault(customer.mobile, customer)
        return found

    def build(self, data, current):
        if current is None:
            if "kind" not in data:
                data = {
                    **data,
                    "kind": CustomerKind.COMPANY if data.get("credit_code") else CustomerKind.PERSON,
                }
            if "owner" not in data and getattr(self.actor, "role", None) == Role.SALESPERSON:
                data = {**data, "owner": self.actor}
        return super().build(data, current)
