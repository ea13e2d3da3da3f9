from drf_spectacular.utils import extend_schema
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny


@extend_schema(tags=["auth"], summary="Obtenir un jeton d'accès (username / password)")
class ObtainTokenView(ObtainAuthToken):
    permission_classes = [AllowAny]
