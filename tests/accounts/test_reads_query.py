"""The audit entry of a list records the query as asked, whatever it carries."""

import pytest
from django.http import QueryDict

from accounts.models import AuditEntry
from accounts.reads import query_of, record_list
from tests.factories import UserFactory


def test_a_nul_character_in_a_query_is_left_out_of_its_record():
    assert query_of(QueryDict("q=ab%00c&x%00y=1&z=1&z=%00")) == {"q": "abc", "xy": "1", "z": ["1", ""]}
    assert query_of({"q": "a\x00"}) == {"q": "a"}


@pytest.mark.django_db
def test_a_list_read_with_a_nul_character_is_still_recorded():
    user = UserFactory()
    record_list(user, kind="test", query=QueryDict("q=%00%00Traor%C3%A9"), count=0)
    assert AuditEntry.objects.get(actor=user).changes["requête"] == {"q": "Traoré"}
