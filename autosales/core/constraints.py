"""Check constraints decided in Python during model validation.

Django validates a ``CheckConstraint`` by sending its condition to the database (a savepoint, a
``SELECT`` and a release per constraint). Most of ours compare a row's own fields with each other
or with constants (``unit_discount <= unit_price``, ``paid_total >= 0``), which Python answers
exactly from the values in hand. ``check_in_python`` decides such conditions with SQL's rules — a
comparison with NULL is unknown and an unknown condition passes, as in ``CHECK`` — and answers
``None`` for anything else (a join, a function, a lookup it does not know), which then goes to the
database as before. The database's own constraint still guards every write.
"""

import operator

from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, Q, Value
from django.db.models.expressions import CombinedExpression
from django.db.models.lookups import Lookup

COMPARISONS = {
    "exact": operator.eq,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}
ARITHMETIC = {"+": operator.add, "-": operator.sub, "*": operator.mul}


class Undecided(Exception):
    """The condition needs the database."""


class Excluded(Exception):
    """The condition reads a field left out of validation: Django skips the constraint then."""


def _field(meta, name, exclude):
    try:
        field = meta.get_field(name)
    except FieldDoesNotExist as exc:
        raise Undecided from exc
    if not field.concrete or field.many_to_many or field.one_to_many or field.name != name:
        raise Undecided
    if exclude and field.name in exclude:
        raise Excluded
    return field


def _operand(instance, meta, expression, exclude):
    if isinstance(expression, F):
        if "__" in expression.name:
            raise Undecided
        value = getattr(instance, _field(meta, expression.name, exclude).attname)
        if hasattr(value, "resolve_expression"):
            raise Undecided
        return value
    if isinstance(expression, Value):
        return expression.value
    if isinstance(expression, CombinedExpression):
        apply = ARITHMETIC.get(expression.connector)
        if apply is None:
            raise Undecided
        left = _operand(instance, meta, expression.lhs, exclude)
        right = _operand(instance, meta, expression.rhs, exclude)
        if left is None or right is None:
            return None
        try:
            return apply(left, right)
        except TypeError as exc:
            raise Undecided from exc
    if hasattr(expression, "resolve_expression") or isinstance(expression, (list, tuple, set, dict)):
        raise Undecided
    return expression


def _lookup(instance, meta, path, expected, exclude):
    parts = path.split("__")
    if len(parts) == 1:
        parts.append("exact")
    if len(parts) != 2:
        raise Undecided
    name, lookup = parts
    field = _field(meta, name, exclude)
    value = getattr(instance, field.attname)
    if hasattr(value, "resolve_expression"):
        raise Undecided
    if lookup == "isnull" or (lookup == "exact" and expected is None):
        wanted_null = True if lookup == "exact" else expected
        if not isinstance(wanted_null, bool):
            raise Undecided
        return (value is None) == wanted_null
    if lookup == "in":
        if not isinstance(expected, (list, tuple, set, frozenset)) or any(
            item is None or hasattr(item, "resolve_expression") for item in expected
        ):
            raise Undecided
        if any(hasattr(item, "pk") for item in expected):
            raise Undecided
        return None if value is None else value in expected
    compare = COMPARISONS.get(lookup)
    if compare is None:
        raise Undecided
    other = _operand(instance, meta, expected, exclude)
    if value is None or other is None:
        return None
    if field.many_to_one and not isinstance(expected, F):
        other = getattr(other, "pk", other)
    try:
        return bool(compare(value, other))
    except TypeError as exc:
        raise Undecided from exc


def _truth(instance, meta, node, exclude):
    """True, False or None (unknown), by SQL's three-valued logic."""
    if isinstance(node, Q):
        results = [_truth(instance, meta, child, exclude) for child in node.children]
        if node.connector == Q.AND:
            result = False if False in results else (None if None in results else True)
        elif node.connector == Q.OR:
            result = True if True in results else (None if None in results else False)
        else:
            raise Undecided
        return (None if result is None else not result) if node.negated else result
    if isinstance(node, tuple) and len(node) == 2 and isinstance(node[0], str):
        return _lookup(instance, meta, node[0], node[1], exclude)
    if isinstance(node, Lookup):
        raise Undecided
    raise Undecided


def check_in_python(constraint, instance, exclude=None):
    """Whether ``instance`` passes ``constraint`` (a CheckConstraint): True, False, or None when
    only the database can tell; ``True`` also when it reads a field in ``exclude`` (skipped)."""
    try:
        return _truth(instance, instance._meta, Q(constraint.condition), exclude) is not False
    except Excluded:
        return True
    except Undecided:
        return None
