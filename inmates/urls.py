from django.urls import path

app_name = "inmates"
urlpatterns = []
