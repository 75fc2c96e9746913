"""URLs of the preview site: the workbench's handler and resource views plus our course pages."""

from django.urls import include, path

urlpatterns = [
    path("", include("workbench.urls")),
]
