"""``text_contains`` finds exactly the rows ``icontains`` finds, on the database under test."""

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from autosales.core.search import ContainsFilter, has_case, text_contains
from autosales.core.tests.factories import StoreFactory
from autosales.inventory.filtersets import BrandFilterSet
from autosales.inventory.models import Brand
from autosales.parties.models import Customer

# Letters of several scripts with and without case, digits, Chinese, signs LIKE treats specially.
ALPHABET = "aAbBzZéÉßẞıİſςσΣǅǆДдΩω0123456789张王李伟芳138%_\\-. "
NAMES = [
    "张伟",
    "王芳 138",
    "Zhang Wei",
    "ZHANG wei",
    "Straße 138",
    "STRASSE",
    "İstanbul Motors",
    "ſtore",
    "Σίσυφος ς",
    "ǅemal",
    "100% Auto_Parts",
    "back\\slash",
    "Дмитрий",
    "13800138000 Fleet",
]


class TextContainsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        store = StoreFactory()
        Customer.objects.bulk_create(
            Customer(name=name, mobile=f"1390000{index:04d}", store=store) for index, name in enumerate(NAMES)
        )

    def _same_rows(self, value):
        expected = set(Customer.objects.filter(name__icontains=value).values_list("id", flat=True))
        found = set(Customer.objects.filter(text_contains("name", value)).values_list("id", flat=True))
        self.assertEqual(found, expected, value)

    @settings(max_examples=150, deadline=None)
    @given(st.text(alphabet=ALPHABET, min_size=1, max_size=4))
    def test_same_rows_as_icontains(self, value):
        self._same_rows(value)

    @settings(max_examples=60, deadline=None)
    @given(st.sampled_from(NAMES).flatmap(lambda name: st.tuples(st.just(name), st.integers(0, len(name)))))
    def test_same_rows_for_parts_of_names(self, name_and_start):
        name, start = name_and_start
        self._same_rows(name[start : start + 3] or name)

    def test_lookup_chosen_by_case(self):
        self.assertFalse(has_case("138"))
        self.assertFalse(has_case("张伟"))
        self.assertTrue(has_case("zhang"))
        self.assertTrue(has_case("ß"))
        self.assertEqual(str(text_contains("name", "张")), "(AND: ('name__contains', '张'))")
        self.assertEqual(str(text_contains("name", "Wei")), "(AND: ('name__icontains', 'Wei'))")

    def test_contains_filter(self):
        Brand.objects.bulk_create([Brand(name="Hongqi 红旗"), Brand(name="HONGQI"), Brand(name="BYD")])

        def names(q):
            return sorted(BrandFilterSet({"q": q}, Brand.objects.all()).qs.values_list("name", flat=True))

        self.assertEqual(names("hongqi"), ["HONGQI", "Hongqi 红旗"])
        self.assertEqual(names("红旗"), ["Hongqi 红旗"])
        self.assertEqual(names(""), ["BYD", "HONGQI", "Hongqi 红旗"])
        self.assertEqual(BrandFilterSet.base_filters["q"].lookup_expr, "icontains")
        self.assertIsInstance(BrandFilterSet.base_filters["q"], ContainsFilter)
