"""The site-wide search: members, CĐCS and groups the reader may see, each list capped."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from apps.accounts.permissions import can_query_national_id
from apps.core.db import vietnamese_order
from apps.core.search import capped_search_term, folded_search
from apps.members.models import Member
from apps.union_groups.models import UnionGroup
from apps.unions.models import GrassrootsUnion

# Enough to find the one meant, few enough to read on a phone; a longer list asks for more words.
RESULTS_PER_KIND = 20


@dataclass
class SearchResults:
    term: str
    members: list[Member] = field(default_factory=list)
    unions: list[GrassrootsUnion] = field(default_factory=list)
    groups: list[UnionGroup] = field(default_factory=list)
    # Kinds that had more than RESULTS_PER_KIND rows.
    cut: set[str] = field(default_factory=set)

    @property
    def empty(self) -> bool:
        return not (self.members or self.unions or self.groups)


def _first(queryset: QuerySet, kind: str, results: SearchResults) -> list:
    rows = list(queryset[: RESULTS_PER_KIND + 1])
    if len(rows) > RESULTS_PER_KIND:
        results.cut.add(kind)
    return rows[:RESULTS_PER_KIND]


def _members(user, term: str) -> QuerySet:
    members = Member.objects.visible_to(user).select_related("union", "group")
    # A number is the start of an ID number, for those who may query them; for the others
    # digits are searched as a name (and find nothing), so answers never depend on the number.
    if term.isdigit() and can_query_national_id(user):
        members = members.filter(national_id__startswith=term)
    else:
        members = folded_search(members, term, ["search_name"])
    return members.order_by("status", *vietnamese_order("given_name", "full_name"), "id").only(
        "full_name", "status", "date_of_birth", "union__name", "union__code", "group__name"
    )


def site_search(user, query: str) -> SearchResults:
    """What ``query`` finds among the members, CĐCS and groups ``user`` may see."""
    term = capped_search_term(query.strip())
    results = SearchResults(term=term)
    if not term:
        return results
    if user.has_perm("members.view_member"):
        results.members = _first(_members(user, term), "members", results)
    if user.has_perm("unions.view_grassrootsunion"):
        unions = folded_search(GrassrootsUnion.objects.visible_to(user), term, ["search_text"])
        results.unions = _first(unions.order_by("status", "name", "code"), "unions", results)
    if user.has_perm("union_groups.view_uniongroup"):
        groups = folded_search(UnionGroup.objects.visible_to(user), term, ["search_name"])
        groups = groups.select_related("union").order_by("name", "union__name", "id")
        results.groups = _first(groups, "groups", results)
    return results
