"""The API's own login: obtain a token with username and password, list and revoke one's
tokens (vetschool.accounts.tokens)."""

from django.utils import timezone
from django_otp import match_token
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.exceptions import Throttled
from rest_framework.response import Response
from rest_framework.views import APIView

from vetschool.accounts import mfa, throttle
from vetschool.accounts.middleware import password_change_required
from vetschool.accounts.models import ApiToken
from vetschool.accounts.tokens import token_issue
from vetschool.api import router


class ApiTokenSerializer(serializers.ModelSerializer):
    expired = serializers.SerializerMethodField()

    class Meta:
        model = ApiToken
        fields = ("id", "prefix", "created_at", "expires_at", "last_used_at", "expired")
        read_only_fields = fields

    def get_expired(self, token) -> bool:
        return token.expires_at <= timezone.now()


class IssuedTokenSerializer(ApiTokenSerializer):
    token = serializers.CharField(help_text="The key: shown once, never stored.")

    class Meta(ApiTokenSerializer.Meta):
        fields = ("token", *ApiTokenSerializer.Meta.fields)
        read_only_fields = fields


class ObtainTokenSerializer(AuthTokenSerializer):
    otp_token = serializers.CharField(
        required=False, write_only=True, trim_whitespace=True, max_length=16,
        help_text="Staff only: a code of the authenticator app (or a recovery code).")


class ObtainTokenView(APIView):
    """Username and password for a new token, valid API_TOKEN_TTL_DAYS; staff (every role
    with a second factor, vetschool.accounts.mfa) add `otp_token`, a code of their
    authenticator app or a recovery code, used up like one typed on the portal. Without
    it, or with a wrong or used one: 403, code "second_factor_required".

    A failure counts toward axes' per-username lock and the per-address limit like a failed
    login on the portal; an address over that limit is answered 429. A user whose password
    was generated (User.must_change_password) gets no token: 403, code
    "password_change_required", until they set their own on the portal."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    serializer_class = ObtainTokenSerializer

    @extend_schema(request=ObtainTokenSerializer, responses={200: IssuedTokenSerializer})
    def post(self, request):
        if throttle.address_blocked(request):
            raise Throttled
        serializer = ObtainTokenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        if user.must_change_password:
            # A generated password opens no script's door: the owner sets their own first.
            raise password_change_required()
        if mfa.second_factor_required(user):
            code = serializer.validated_data.get("otp_token", "").replace(" ", "")
            if not code or match_token(user, code) is None:
                raise mfa.api_refusal()
        token, key = token_issue(user=user)
        token.token = key
        return Response(IssuedTokenSerializer(token).data, status=status.HTTP_200_OK)


class ApiTokenViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """The caller's own tokens; DELETE revokes one at once. Another user's token is "not
    found", like one that does not exist."""

    serializer_class = ApiTokenSerializer
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return ApiToken.objects.none()
        return ApiToken.objects.filter(user=self.request.user)


router.register("auth/tokens", ApiTokenViewSet, basename="api-token-own")
