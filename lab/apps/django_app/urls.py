"""The contract's routes; everything else goes to ``refused`` (404, or 405
under /static/), so the messages are the contract's, not Django's."""

from django.urls import path, re_path

from . import views

urlpatterns = [
    path("health", views.health),
    path("work", views.work),
    path("work-async", views.work_async),
    path("stream", views.stream),
    re_path(r"^static/.", views.static),
    re_path(r"", views.refused),
]
