from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from autosales.api.base import HistoryMixin, ScopedModelViewSet, ScopedViewSetMixin
from autosales.parties.filtersets import ContactFilterSet, CustomerFilterSet
from autosales.parties.models import Contact, Customer
from autosales.parties.selectors import contact_list, customer_list
from autosales.parties.services import customer_anonymise, customer_hand_over, customer_personal_data_export

from .serializers import (
    AnonymiseInput,
    ContactSerializer,
    CustomerContactSerializer,
    CustomerSerializer,
    HandOverInput,
)


class CustomerViewSet(HistoryMixin, ScopedModelViewSet):
    """Customers (persons and companies). A salesperson sees the customers they own, managers their
    store, general managers and administrators every store. Identity numbers are checked and
    duplicates refused with the name of the customer who already has the number."""

    queryset = Customer.objects.all()
    serializer_class = CustomerSerializer
    filterset_class = CustomerFilterSet
    list_related_fields = ("store__code", "owner__username", "owner__first_name", "owner__last_name")

    def get_queryset(self):
        return customer_list(user=self.request.user)

    @extend_schema(responses={(200, "application/json"): OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"], url_path="personal-data", filter_backends=[], pagination_class=None)
    def personal_data(self, request, pk=None):
        """Everything held about this customer (PIPL access request) as one JSON document; logged."""
        customer = self.get_object()
        content = customer_personal_data_export(customer=customer, user=request.user)
        return HttpResponse(content, content_type="application/json; charset=utf-8")

    @extend_schema(request=AnonymiseInput, responses=CustomerSerializer)
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def anonymise(self, request, pk=None):
        """Erase the customer's personal data for good (general manager or admin); orders stay."""
        customer = self.get_object()
        data = AnonymiseInput(data=request.data)
        data.is_valid(raise_exception=True)
        customer = customer_anonymise(
            customer=customer, actor=request.user, reason=data.validated_data["reason"]
        )
        return Response(self.get_serializer(customer).data)

    @extend_schema(request=HandOverInput, responses=CustomerSerializer)
    @action(detail=True, methods=["post"], url_path="hand-over", filter_backends=[], pagination_class=None)
    def hand_over(self, request, pk=None):
        """Give the customer to another salesperson of the store (sales managers and above)."""
        customer = self.get_object()
        data = HandOverInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        customer = customer_hand_over(
            customer=customer,
            new_owner=data.validated_data["new_owner"],
            actor=request.user,
            reason=data.validated_data.get("reason", ""),
        )
        return Response(self.get_serializer(customer).data)


class ContactViewSet(ScopedModelViewSet):
    """Contacts at company customers (decision makers, influencers, users, gatekeepers)."""

    queryset = Contact.objects.all()
    serializer_class = ContactSerializer
    filterset_class = ContactFilterSet

    def get_queryset(self):
        return contact_list(user=self.request.user)


CUSTOMER_PATH = OpenApiParameter(
    "customer_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description="Customer id"
)


@extend_schema_view(
    list=extend_schema(parameters=[CUSTOMER_PATH], summary="Contacts of a customer"),
    create=extend_schema(parameters=[CUSTOMER_PATH], summary="Add a contact to a customer"),
)
class CustomerContactViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Contacts of one customer; 404 when the customer is outside the user's scope."""

    queryset = Contact.objects.all()
    serializer_class = CustomerContactSerializer
    filterset_class = ContactFilterSet

    def get_customer(self):
        if not hasattr(self, "_customer"):
            self._customer = get_object_or_404(
                customer_list(user=self.request.user), pk=self.kwargs["customer_pk"]
            )
        return self._customer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Contact.objects.none()
        return contact_list(user=self.request.user).filter(customer=self.get_customer())

    def perform_create(self, serializer):
        serializer.instance = self.reread(serializer.save(customer=self.get_customer()))
