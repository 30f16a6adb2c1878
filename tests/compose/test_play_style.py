"""play_style timing: the index table alone, then real decoding of a clip whose frames show their index."""

import numpy as np
import pytest

from talkframe.compose.play_style import source_indices
from talkframe.request import Background

from .media import FileResolver, duration, opened, read_bars, write_bar_clip

SCENE_FPS, CLIP_FPS, CLIP_FRAMES, SCENE_FRAMES = 25, 10, 20, 75  # a 2 s clip in a 3 s scene


def test_fit_to_scene_spans_the_scene_exactly():
    slow = source_indices("fit_to_scene", 75, 25, 20, 10)
    assert slow[0] == 0 and slow[-1] == 19 and set(slow) == set(range(20))
    assert np.all(np.diff(slow) >= 0)
    fast = source_indices("fit_to_scene", 10, 25, 100, 10)  # 10 s clip squeezed into 0.4 s
    assert list(fast) == list(range(0, 100, 10))


def test_natural_speed_styles():
    i = np.arange(75)
    natural = i * 10 // 25
    assert list(source_indices("freeze", 75, 25, 20, 10)) == list(np.minimum(natural, 19))
    assert list(source_indices("loop", 75, 25, 20, 10)) == list(natural % 20)
    assert list(source_indices("once", 75, 25, 20, 10)) == list(np.where(natural < 20, natural, -1))
    assert list(source_indices("full_video", 50, 25, 20, 10)) == list(natural[:50])


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    return write_bar_clip(tmp_path_factory.mktemp("clip") / "bars.mp4", CLIP_FRAMES, CLIP_FPS)


def shown(clip, play_style, n=SCENE_FRAMES):
    bg = opened(Background(type="video", url="clip", play_style=play_style, fit="none"), (80, 48),
                         SCENE_FPS, n, FileResolver({"clip": clip}))
    try:
        return [read_bars(bg.frame(i)) for i in range(n)]
    finally:
        bg.close()


@pytest.mark.parametrize("play_style", ["fit_to_scene", "freeze", "loop", "once"])
def test_decoded_frames_follow_the_play_style(clip, play_style):
    expected = list(source_indices(play_style, SCENE_FRAMES, SCENE_FPS, CLIP_FRAMES, CLIP_FPS))
    got = shown(clip, play_style)
    assert got == expected
    if play_style == "loop":
        assert got[50] == 0 and got[74] == 9  # restarted
    if play_style == "freeze":
        assert got[50:] == [19] * 25  # held
    if play_style == "once":
        assert got[50:] == [-1] * 25  # the default colour after the clip


def test_once_shows_the_default_colour_after_the_clip(clip):
    bg = opened(Background(type="video", url="clip", play_style="once"), (80, 48), SCENE_FPS,
                         SCENE_FRAMES, FileResolver({"clip": clip}))
    assert tuple(bg.frame(74)[10, 10]) == (0xF6, 0xF6, 0xFC)
    assert tuple(bg.frame(0)[10, 10]) != (0xF6, 0xF6, 0xFC)


def test_full_video_lengthens_the_scene(clip):
    resolver = FileResolver({"clip": clip})
    assert duration(Background(type="video", url="clip", play_style="full_video"), resolver) == 2.0
    assert duration(Background(type="video", url="clip", play_style="loop"), resolver) is None
    assert duration(Background(type="color", value="#fff"), resolver) is None
    assert duration(None, resolver) is None
    got = shown(clip, "full_video", n=50)
    assert got == [i * 10 // 25 for i in range(50)]


def test_fit_to_scene_speeds_a_long_clip_up(clip):
    assert shown(clip, "fit_to_scene", n=5) == [0, 4, 8, 12, 16]


def test_background_video_fits_like_a_picture(clip):
    bg = opened(Background(type="video", url="clip", play_style="freeze", fit="contain"), (160, 160),
                         SCENE_FPS, 3, FileResolver({"clip": clip}))
    frame = bg.frame(0)
    assert frame.shape == (160, 160, 3)
    assert tuple(frame[5, 80]) == (0xF6, 0xF6, 0xFC)  # 160x96 clip letterboxed: bars above and below
    assert read_bars(frame[32:128]) == 0
