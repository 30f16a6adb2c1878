"""The built-in illustrated presenters: who they are (catalogue data) and how they look (palette and styles)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from talkframe.presenters.draw import Color

DEFAULT_VOICE_ID = "piper.en_US-joe-medium"
FEMALE_VOICE_PREFERENCE = ("espeak.en-us.f", "espeak.en-gb.f")


@dataclass(frozen=True)
class PresenterInfo:
    """What the avatar catalogue (`GET /v2/avatars`) says about a presenter."""

    avatar_id: str
    name: str
    gender: str  # "female" / "male", as HeyGen spells it
    default_voice_id: str
    tags: tuple[str, ...]


@dataclass(frozen=True)
class Look:
    """Everything the renderer needs to draw one presenter; styles name functions in hair.py / outfit.py."""

    skin: Color
    skin_shade: Color
    lip: Color
    hair: Color
    hair_shade: Color
    iris: Color
    hair_style: str
    outfit: str
    top: Color
    top_shade: Color
    accent: Color  # shirt / collar / trim
    brow: Color | None = None
    glasses: Color | None = None
    blush: Color = (236, 120, 110)

    @property
    def brow_color(self) -> Color:
        return self.brow or tuple(int(c * 0.8) for c in self.hair)  # type: ignore[return-value]


LOOKS: dict[str, Look] = {
    "tf_presenter_ava": Look(
        skin=(246, 210, 186), skin_shade=(226, 176, 150), lip=(196, 92, 96), hair=(122, 64, 38),
        hair_shade=(92, 46, 28), iris=(86, 120, 70), hair_style="long", outfit="blouse",
        top=(38, 128, 132), top_shade=(28, 100, 104), accent=(232, 236, 236)),
    "tf_presenter_marcus": Look(
        skin=(124, 80, 56), skin_shade=(100, 62, 44), lip=(112, 62, 52), hair=(34, 28, 26),
        hair_shade=(20, 16, 15), iris=(60, 38, 26), hair_style="crop", outfit="blazer",
        top=(40, 52, 86), top_shade=(30, 40, 68), accent=(240, 242, 246)),
    "tf_presenter_priya": Look(
        skin=(198, 146, 106), skin_shade=(172, 120, 86), lip=(166, 78, 82), hair=(36, 28, 30),
        hair_shade=(22, 17, 19), iris=(70, 44, 28), hair_style="bun", outfit="vneck",
        top=(214, 160, 52), top_shade=(186, 134, 40), accent=(245, 238, 222)),
    "tf_presenter_kenji": Look(
        skin=(236, 200, 164), skin_shade=(214, 172, 136), lip=(186, 110, 100), hair=(30, 30, 34),
        hair_shade=(16, 16, 20), iris=(58, 40, 30), hair_style="side_part", outfit="sweater",
        top=(104, 112, 124), top_shade=(84, 90, 100), accent=(226, 234, 244), glasses=(40, 40, 48)),
    "tf_presenter_amara": Look(
        skin=(92, 58, 42), skin_shade=(72, 44, 32), lip=(96, 46, 44), hair=(26, 20, 20),
        hair_shade=(44, 34, 32), iris=(48, 30, 22), hair_style="afro", outfit="blouse",
        top=(226, 108, 88), top_shade=(198, 86, 70), accent=(250, 226, 190), blush=(170, 70, 70)),
    "tf_presenter_leo": Look(
        skin=(250, 220, 200), skin_shade=(232, 188, 166), lip=(200, 110, 104), hair=(214, 170, 96),
        hair_shade=(180, 136, 70), iris=(70, 110, 150), hair_style="swept", outfit="tshirt",
        top=(60, 110, 78), top_shade=(46, 88, 62), accent=(50, 96, 66)),
    "tf_presenter_sofia": Look(
        skin=(226, 180, 140), skin_shade=(204, 152, 116), lip=(178, 80, 84), hair=(58, 36, 28),
        hair_shade=(40, 24, 18), iris=(80, 56, 34), hair_style="bob", outfit="turtleneck",
        top=(108, 62, 110), top_shade=(86, 48, 88), accent=(108, 62, 110)),
    "tf_presenter_walter": Look(
        skin=(238, 198, 176), skin_shade=(216, 168, 146), lip=(180, 104, 100), hair=(196, 198, 204),
        hair_shade=(156, 158, 166), iris=(80, 100, 120), hair_style="receding", outfit="blazer",
        top=(96, 80, 66), top_shade=(76, 62, 50), accent=(214, 228, 240), glasses=(90, 70, 50)),
}

_PEOPLE = (  # avatar_id, name, gender, tags
    ("tf_presenter_ava", "Ava", "female", ("illustrated", "presenter", "business")),
    ("tf_presenter_marcus", "Marcus", "male", ("illustrated", "presenter", "business")),
    ("tf_presenter_priya", "Priya", "female", ("illustrated", "presenter", "casual")),
    ("tf_presenter_kenji", "Kenji", "male", ("illustrated", "presenter", "education")),
    ("tf_presenter_amara", "Amara", "female", ("illustrated", "presenter", "casual")),
    ("tf_presenter_leo", "Leo", "male", ("illustrated", "presenter", "casual")),
    ("tf_presenter_sofia", "Sofia", "female", ("illustrated", "presenter", "education")),
    ("tf_presenter_walter", "Walter", "male", ("illustrated", "presenter", "business")),
)


@functools.lru_cache(maxsize=1)
def female_voice_id() -> str:
    """An installed female English voice, else the catalogue default (the presenters must always speak)."""
    try:
        from talkframe.voice.catalog import list_voices

        ids = {v.voice_id for v in list_voices()}
    except Exception:  # a broken voice catalogue must not break the avatar catalogue
        return DEFAULT_VOICE_ID
    return next((v for v in FEMALE_VOICE_PREFERENCE if v in ids), DEFAULT_VOICE_ID)


def _build() -> dict[str, PresenterInfo]:
    out = {}
    for avatar_id, name, gender, tags in _PEOPLE:
        voice = female_voice_id() if gender == "female" else DEFAULT_VOICE_ID
        out[avatar_id] = PresenterInfo(avatar_id, name, gender, voice, tags)
    return out


PRESENTERS: dict[str, PresenterInfo] = _build()


def is_presenter(avatar_id: str | None) -> bool:
    """Whether `build_clip` should route this avatar id to the illustrated presenters."""
    return avatar_id in LOOKS
