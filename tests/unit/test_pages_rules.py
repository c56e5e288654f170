"""Pure rules of the pages: the data saver's rungs and estimates, which encoding a page is
sent in, and the names of fingerprinted static files."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.preferences.data_saver import Rung, capped_rungs, estimate, is_known_height
from lms.web.compression import choose_encoding
from lms.web.static_files import build, fresh_entries, hashed_name

LADDER = [Rung("720p", 720, 2_800_000), Rung("240p", 240, 400_000),
          Rung("480p", 480, 1_400_000), Rung("360p", 360, 800_000)]


@pytest.mark.parametrize("cap, names", [
    (None, ["240p", "360p", "480p", "720p"]),
    (360, ["240p", "360p"]),
    (240, ["240p"]),
    (144, ["240p"]),  # a ladder taller than the cap still plays its lowest rung
])
def test_capped_rungs(cap, names):
    assert [r.name for r in capped_rungs(LADDER, cap)] == names


@pytest.mark.parametrize("cap, rung, megabytes", [
    (None, "720p", 2_800_000 * 60 / 8 / 1e6),
    (360, "360p", 6.0),
    (240, "240p", 3.0),
])
def test_estimate_for_a_minute(cap, rung, megabytes):
    got = estimate(LADDER, cap, 60)
    assert got.rung.name == rung and got.megabytes == pytest.approx(megabytes)


@pytest.mark.parametrize("rungs, duration", [([], 60), (LADDER, 0)])
def test_no_estimate_without_a_ladder_or_a_duration(rungs, duration):
    assert estimate(rungs, None, duration) is None


@pytest.mark.parametrize("height, known", [(None, True), (360, True), (240, True),
                                            (480, False), (0, False)])
def test_known_heights(height, known):
    assert is_known_height(height) is known


@given(st.lists(st.builds(Rung, st.text(max_size=5), st.integers(1, 2160),
                          st.integers(1, 10**8)), min_size=1),
       st.one_of(st.none(), st.integers(1, 2160)))
def test_a_cap_never_empties_the_ladder_nor_lets_a_taller_rung_in(rungs, cap):
    allowed = capped_rungs(rungs, cap)
    assert allowed
    if cap is not None and any(r.height <= cap for r in rungs):
        assert all(r.height <= cap for r in allowed)


@pytest.mark.parametrize("header, encoding", [
    ("gzip, deflate, br", "br"),
    ("gzip", "gzip"),
    ("br;q=0, gzip", "gzip"),
    ("gzip;q=0", None),
    ("identity", None),
    ("", None),
    ("*", "br"),
    ("*;q=0", None),
    ("br;q=bogus, gzip;q=0.5", "gzip"),
])
def test_choose_encoding(header, encoding):
    assert choose_encoding(header) == encoding


def test_hashed_names_change_with_the_content_only():
    one = hashed_name("js/player.js", b"a")
    assert one.startswith("js/player.") and one.endswith(".js") and len(one) == len("js/player.js") + 13
    assert hashed_name("js/player.js", b"a") == one
    assert hashed_name("js/player.js", b"b") != one
    assert hashed_name("vendor/hls.light.min.js", b"a").startswith("vendor/hls.light.min.")


def test_files_changed_since_the_build_are_served_under_their_plain_names(tmp_path):
    source = tmp_path / "static"
    (source / "js").mkdir(parents=True)
    (source / "js/a.js").write_text("one")
    (source / "js/b.js").write_text("two")
    manifest = build(source, tmp_path / "build")
    (source / "js/b.js").write_text("changed")
    (source / "js/a.js").write_text("one")
    assert fresh_entries(source, manifest) == {"js/a.js": manifest["js/a.js"]}
