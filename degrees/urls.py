"""Pages of degrees. Names carry the `degrees-` prefix (no namespace), so the credential
status list is exactly `degrees-status-list` at STATUS_LIST_PATH."""

from django.urls import path

from degrees import views

urlpatterns = [
    path("verify/", views.verify, name="degrees-verify"),
    path("verify/<uuid:token>/", views.verify_token, name="degrees-verify-token"),
    path("verify/<uuid:token>/credential.json", views.verify_credential,
         name="degrees-verify-credential"),
    path("credentials/status-list/", views.status_list, name="degrees-status-list"),
    path(".well-known/jwks.json", views.jwks, name="degrees-jwks"),
    path(".well-known/did.json", views.did_document, name="degrees-did"),
    path("diplomas/requests/new/", views.request_new, name="degrees-request-new"),
    path("diplomas/requests/<uuid:code>/", views.request_status, name="degrees-request-status"),
    path("student/diplomas/", views.my_diplomas, name="degrees-my-diplomas"),
    path("student/graduation/", views.my_graduation, name="degrees-my-graduation"),
    path("student/diplomas/<int:pk>/copy.pdf", views.my_diploma_pdf,
         name="degrees-my-diploma-pdf"),
    path("student/diplomas/<int:pk>/credential.json", views.my_credential,
         name="degrees-my-credential"),
]
