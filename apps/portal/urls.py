from django.urls import path

from apps.portal import views

app_name = "portal"

union = "cdcs/<int:union_pk>/"
member = f"{union}members/<int:member_pk>/"

urlpatterns = [
    path("search/", views.search, name="search"),
    path(f"{union}members/", views.member_list, name="members"),
    path(f"{union}members/new/", views.member_add, name="member_add"),
    path(member, views.member_edit, name="member_edit"),
    path(f"{member}move/", views.member_lifecycle, {"action": "move"}, name="member_move"),
    path(f"{member}leave/", views.member_lifecycle, {"action": "leave"}, name="member_leave"),
    path(f"{member}transfer/", views.member_lifecycle, {"action": "transfer"}, name="member_transfer"),
    path(f"{union}transfers/", views.transfer_list, name="transfers"),
    path(f"{union}transfers/<int:transfer_pk>/", views.transfer_decide, name="transfer_decide"),
    path(f"{union}transfer-destinations.json", views.transfer_destinations, name="transfer_destinations"),
    path(f"{union}groups/", views.group_list, name="groups"),
    path(f"{union}groups/<int:group_pk>/", views.group_detail, name="group"),
    path(f"{union}workforce/new/", views.workforce_new, name="workforce_new"),
]
