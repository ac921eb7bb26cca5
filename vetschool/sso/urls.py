from django.urls import path

from vetschool.sso import views

app_name = "sso"

urlpatterns = [
    path("login/", views.SsoStartView.as_view(), name="login"),
    path("callback/", views.SsoCallbackView.as_view(), name="callback"),
]
