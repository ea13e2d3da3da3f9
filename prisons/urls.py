from django.urls import path

app_name = "prisons"
urlpatterns = []
