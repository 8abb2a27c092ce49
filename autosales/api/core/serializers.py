from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from autosales.api.base import ServiceModelSerializer
from autosales.core.models import Store, User


class StoreSerializer(ServiceModelSerializer):
    class Meta:
        model = Store
        fields = ["id", "code", "name", "city", "address", "phone", "time_zone", "is_active", "created_at"]
        read_only_fields = ["created_at"]


class UserSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="get_full_name", read_only=True)
    can_see_cost = serializers.BooleanField(read_only=True)
    email = serializers.EmailField(read_only=True, allow_blank=True)
    language = serializers.ChoiceField(choices=settings.LANGUAGES, allow_blank=True, read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "full_name",
            "first_name",
            "last_name",
            "email",
            "mobile",
            "role",
            "store",
            "language",
            "is_active",
            "can_see_cost",
        ]
        read_only_fields = fields


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("username"))
    password = serializers.CharField(
        label=_("password"), style={"input_type": "password"}, trim_whitespace=False
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(
        read_only=True, help_text=_("Send as the header `Authorization: Token <token>`.")
    )
