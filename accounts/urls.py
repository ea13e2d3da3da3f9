from django.contrib.auth import views as auth_views
from django.urls import path

from . import monitor_views, views
from .forms import LoginForm

app_name = "accounts"
urlpatterns = [
    path("connexion/", auth_views.LoginView.as_view(template_name="accounts/login.html", authentication_form=LoginForm,
                                                   redirect_authenticated_user=True), name="login"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("mot-de-passe/", views.password_change, name="password_change"),
    path("double-authentification/", views.second_factor_setup, name="second_factor_setup"),
    path("verification/", views.second_factor_verify, name="second_factor_verify"),
    path("appareils/", views.second_factor_devices, name="second_factor_devices"),
    path("utilisateurs/<int:user_id>/double-authentification/reinitialiser/", views.second_factor_reset,
         name="second_factor_reset"),
    path("autorisations/", monitor_views.authorisation_list, name="authorisation_list"),
    path("autorisations/<int:pk>/", monitor_views.authorisation_detail, name="authorisation_detail"),
    path("autorisations/<int:pk>/revoquer/", monitor_views.authorisation_revoke, name="authorisation_revoke"),
    path("observateur/", monitor_views.monitor_home, name="monitor_home"),
    path("journal/", views.audit_list, name="audit_list"),
    path("journal/export.csv", views.audit_export, name="audit_export"),
]
