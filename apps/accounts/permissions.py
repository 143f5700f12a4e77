"""What each role may do, model by model (the rows come from scoping.py).

Django's admin asks ``user.has_perm("app.action_model")``. Rather than keep
per-user permission rows that drift, the role decides, here, in one table.
"""

from __future__ import annotations

from django.contrib.auth.backends import BaseBackend

ALL = frozenset({"view", "add", "change", "delete"})
VIEW = frozenset({"view"})

# app_label.model -> actions, per role. Anything not listed is refused.
_DOMAIN_MODELS = (
    "unions.grassrootsunion",
    "unions.departmentunion",
    "unions.workforcedeclaration",
    "unions.unionaffiliation",
    "union_groups.uniongroup",
    "members.member",
    "members.membershipperiod",
    "members.unionofficial",
    "meetings.meeting",
    "meetings.attendance",
    "meetings.meetingdocument",
)

# History is written by the services only: nobody edits membership periods, or a CĐCS's
# periods under its superiors, directly.
_READ_ONLY_FOR_ALL = ("members.membershipperiod", "unions.unionaffiliation")

ROLE_PERMISSIONS: dict[str, dict[str, frozenset[str]]] = {
    # Transfers are viewed here and answered through their own page (apps.members.services).
    "staff": {
        "members.transferrequest": VIEW,
        **dict.fromkeys(_DOMAIN_MODELS, ALL),
        **dict.fromkeys(_READ_ONLY_FOR_ALL, VIEW),
        "unions.federation": frozenset({"view", "change"}),
        # The decisions that found and end federations: district staff record them. They are
        # shared by every federation, so one federation's staff may not rewrite or delete what
        # another's relies on: a recorded decision is corrected by an administrator.
        "unions.decision": frozenset({"view", "add"}),
        "unions.sector": VIEW,
        "accounts.user": ALL,
        "accounts.personaldataaccess": VIEW,
        # Import jobs are made by uploading and changed by the import itself, never edited.
        "imports.importjob": frozenset({"view", "add"}),
    },
    "chair": {
        "members.transferrequest": VIEW,
        # A chair keeps their own union's profile up to date but cannot create or remove unions.
        "unions.grassrootsunion": frozenset({"view", "change"}),
        **{
            model: VIEW if model in _READ_ONLY_FOR_ALL else ALL
            for model in _DOMAIN_MODELS
            if model != "unions.grassrootsunion"
        },
        "imports.importjob": frozenset({"view", "add"}),
    },
    "leader": {
        "members.transferrequest": VIEW,
        **dict.fromkeys(_DOMAIN_MODELS, VIEW),
        "unions.federation": VIEW,
        "unions.sector": VIEW,
        "imports.importjob": VIEW,
    },
}


def role_allows(role: str, perm: str) -> bool:
    """True if ``role`` may do ``perm`` ("app_label.action_model")."""
    try:
        app_label, codename = perm.split(".", 1)
        action, model = codename.split("_", 1)
    except ValueError:
        return False
    return action in ROLE_PERMISSIONS.get(role, {}).get(f"{app_label}.{model}", frozenset())


class RolePermissionBackend(BaseBackend):
    """Grants model permissions from the user's role; authenticates nobody."""

    def has_perm(self, user_obj, perm: str, obj=None) -> bool:
        if not user_obj.is_active or user_obj.is_anonymous:
            return False
        return role_allows(getattr(user_obj, "role", ""), perm)

    def has_module_perms(self, user_obj, app_label: str) -> bool:
        if not user_obj.is_active or user_obj.is_anonymous:
            return False
        models = ROLE_PERMISSIONS.get(getattr(user_obj, "role", ""), {})
        return any(key.startswith(f"{app_label}.") for key in models)


def can_see_full_national_id(user) -> bool:
    """District staff and chairs enter ID numbers and see them whole; leaders see the last four digits."""
    return bool(user.is_active and (user.is_superuser or getattr(user, "role", "") in {"staff", "chair"}))


def can_query_national_id(user) -> bool:
    """Whether ID numbers may take part in what ``user`` searches, sorts, filters or exports.

    Only for those who see them whole: a role that sees the last four digits could
    otherwise read the rest back by comparing which rows a query returns, and in what
    order. The admin applies it through ``MemberAdmin.get_unqueryable_fields``.
    """
    return can_see_full_national_id(user)
