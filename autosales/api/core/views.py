from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, throttling
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from autosales.api.base import ScopedModelViewSet, ScopedReadOnlyViewSet
from autosales.core.models import Store, User

from .serializers import StoreSerializer, TokenRequestSerializer, TokenSerializer, UserSerializer


class StoreViewSet(ScopedModelViewSet):
    """Stores of the group; every role reads its own store (group-wide roles all), administrators write."""

    queryset = Store.objects.all()
    serializer_class = StoreSerializer
    filterset_fields = ["is_active", "city"]
    ordering_fields = ["code", "name", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]


class UserViewSet(ScopedReadOnlyViewSet):
    """Users of the stores the caller may see. Read only; passwords never leave the server."""

    queryset = User.objects.all()
    serializer_class = UserSerializer
    filterset_fields = ["role", "store", "is_active"]
    ordering_fields = ["username", "id"]

    @action(detail=False, methods=["get"])
    def me(self, request):
        """The signed-in user: role, store, language and whether cost figures are shown."""
        return Response(self.get_serializer(request.user).data)


class ObtainTokenView(APIView):
    """Exchange a username and password for an API token.

    Send the token on every request as the header ``Authorization: Token <token>``. The same
    token is returned on every call until an administrator deletes it (Django admin → Tokens).
    """

    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [throttling.ScopedRateThrottle]
    throttle_scope = "auth_token"

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer}, auth=[], tags=["auth"])
    def post(self, request):
        form = TokenRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        user = authenticate(
            request=request._request,
            username=form.validated_data["username"],
            password=form.validated_data["password"],
        )
        if user is None or not user.is_active:
            raise exceptions.ValidationError(
                {"non_field_errors": [_("Unable to sign in with this username and password.")]}
            )
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
