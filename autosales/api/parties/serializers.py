from rest_framework import serializers

from autosales.api.base import ServiceModelSerializer
from autosales.core.choices import Role
from autosales.core.models import User
from autosales.parties.models import Contact, Customer
from autosales.parties.services import contact_create, contact_update, customer_create, customer_update


class CustomerSerializer(ServiceModelSerializer):
    create_service = staticmethod(customer_create)
    update_service = staticmethod(customer_update)
    update_instance_arg = "customer"
    personal_fields = ("mobile", "resident_id")

    store_code = serializers.CharField(source="store.code", read_only=True)
    owner_name = serializers.CharField(source="owner", read_only=True, allow_null=True)

    class Meta:
        model = Customer
        fields = [
            "id",
            "kind",
            "name",
            "mobile",
            "resident_id",
            "credit_code",
            "industry",
            "fleet_size",
            "region",
            "email",
            "address",
            "source",
            "store",
            "store_code",
            "owner",
            "owner_name",
            "marketing_consent",
            "notes",
            "is_anonymised",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["is_anonymised", "created_at", "updated_at"]
        extra_kwargs = {"store": {"required": False}}

    def create(self, validated_data):
        actor = self.actor
        if "owner" not in validated_data and getattr(actor, "role", None) == Role.SALESPERSON:
            # A salesperson sees only the customers they own, so one they enter is theirs.
            validated_data["owner"] = actor
        return super().create(validated_data)


class ContactSerializer(ServiceModelSerializer):
    create_service = staticmethod(contact_create)
    update_service = staticmethod(contact_update)
    update_instance_arg = "contact"
    personal_fields = ("mobile",)

    customer_name = serializers.CharField(source="customer.name", read_only=True)

    class Meta:
        model = Contact
        fields = [
            "id",
            "customer",
            "customer_name",
            "name",
            "title",
            "mobile",
            "email",
            "buying_role",
            "stance",
            "is_executive",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class CustomerContactSerializer(ContactSerializer):
    """A contact under ``/customers/{id}/contacts/``: the customer comes from the URL."""

    class Meta(ContactSerializer.Meta):
        read_only_fields = ["customer", "created_at", "updated_at"]


class AnonymiseInput(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class HandOverInput(serializers.Serializer):
    new_owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)
