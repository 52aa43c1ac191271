"""A serving process freezes what it loaded out of full garbage collections (api.heap)."""

from __future__ import annotations

import gc

from litestar.testing import TestClient

from api.app import create_app
from tests.conftest import api_settings


def test_an_app_that_loads_its_checker_freezes_it_and_thaws_it_on_shutdown(make_checker, tmp_path) -> None:
    loaded = []

    def loader(settings):
        loaded.append(make_checker(tmp_path / "data"))
        return loaded[0]

    assert gc.get_freeze_count() == 0
    with TestClient(
        app=create_app(settings=api_settings(tmp_path / "data"), checker_loader=loader)
    ) as client:
        assert client.get("/health").status_code == 200
        # Everything alive after loading, the checker among them: a full collection no longer walks it.
        assert gc.get_freeze_count() > 10_000
        assert not any(obj is loaded[0] for obj in gc.get_objects())
    assert gc.get_freeze_count() == 0
    assert any(obj is loaded[0] for obj in gc.get_objects())


def test_an_app_given_its_checker_leaves_the_collector_alone(seeded_checker, tmp_path) -> None:
    with TestClient(app=create_app(settings=api_settings(tmp_path), checker=seeded_checker)) as client:
        assert client.get("/health").status_code == 200
        assert gc.get_freeze_count() == 0
