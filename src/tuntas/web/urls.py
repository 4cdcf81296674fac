"""URL configuration (the dashboard arrives with a later issue)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
