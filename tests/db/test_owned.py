"""One owned-row lookup for every table: another account's row is not there."""

from __future__ import annotations

import pytest

from talkframe.db import folders
from talkframe.db.models import Folder
from talkframe.db.owned import get_owned, require_owned
from talkframe.db.session import session_scope
from talkframe.services import Services


def test_a_row_is_found_only_with_its_own_account(services: Services) -> None:
    with session_scope(services.db_url) as session:
        folder = folders.create(session, "acct-a", "Mine")
        assert get_owned(session, Folder, "acct-a", folder.id) is folder
        assert get_owned(session, Folder, "acct-b", folder.id) is None
        assert get_owned(session, Folder, "acct-a", "no-such-id") is None
        assert require_owned(session, Folder, "acct-a", folder.id, LookupError()) is folder
        with pytest.raises(LookupError, match="gone"):
            require_owned(session, Folder, "acct-b", folder.id, LookupError("gone"))
