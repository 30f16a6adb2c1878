"""The voice catalogue behind `GET /v2/voices` and `/v2/voices/locales`, and voice-id/locale resolution.

Voice ids are stable, readable strings: `piper.en_US-joe-medium` (the default), `espeak.<language>.<m|f>`
(e.g. `espeak.fr-fr.f`), `flite.<voice>` (only when the flite binary is installed). They never change between
releases, so clients can store them.
"""

from __future__ import annotations

import functools
from dataclasses import asdict, dataclass

DEFAULT_VOICE_ID = "piper.en_US-joe-medium"
ESPEAK_FEMALE_VARIANT = "f3"

# Languages espeak names without a region, given HeyGen's usual region for the locale ("de" -> "de-DE").
_DEFAULT_REGION = {
    "af": "ZA", "ar": "SA", "bg": "BG", "bn": "IN", "ca": "ES", "cs": "CZ", "da": "DK", "de": "DE", "el": "GR",
    "et": "EE", "fa": "IR", "fi": "FI", "ga": "IE", "he": "IL", "hi": "IN", "hr": "HR", "hu": "HU", "id": "ID",
    "is": "IS", "it": "IT", "ja": "JP", "ko": "KR", "lt": "LT", "lv": "LV", "ms": "MY", "nb": "NO", "nl": "NL",
    "pl": "PL", "ro": "RO", "ru": "RU", "sk": "SK", "sl": "SI", "sq": "AL", "sr": "RS", "sv": "SE", "sw": "KE",
    "ta": "IN", "th": "TH", "tr": "TR", "uk": "UA", "ur": "PK", "vi": "VN", "cy": "GB", "eu": "ES", "gl": "ES",
    "ka": "GE", "kk": "KZ", "mk": "MK", "mt": "MT", "ne": "NP", "pa": "IN", "si": "LK", "te": "IN", "mr": "IN",
    "gu": "IN", "kn": "IN", "ml": "IN", "az": "AZ", "hy": "AM", "be": "BY", "bs": "BA", "am": "ET", "my": "MM",
}


@dataclass(frozen=True)
class VoiceInfo:
    """One voice: the HeyGen fields plus which engine speaks it and how."""

    voice_id: str
    name: str
    language: str
    gender: str
    locale: str
    engine: str  # "piper" | "espeak" | "flite"
    engine_voice: str  # the engine's own name: espeak language code, flite voice name
    variant: str | None = None
    support_pause: bool = True
    emotion_support: bool = True
    support_interactive_avatar: bool = False
    support_locale: bool = False

    @property
    def language_code(self) -> str:
        return self.locale.split("-")[0].lower()

    def as_heygen(self, preview_audio: str) -> dict:
        """The `/v2/voices` item; `preview_audio` must be an absolute URL (heygen-mcp validates it)."""
        return {
            "voice_id": self.voice_id,
            "language": self.language,
            "gender": self.gender,
            "name": self.name,
            "preview_audio": preview_audio,
            "support_pause": self.support_pause,
            "emotion_support": self.emotion_support,
            "support_interactive_avatar": self.support_interactive_avatar,
            "support_locale": self.support_locale,
        }


@dataclass(frozen=True)
class LocaleInfo:
    """One `/v2/voices/locales` item."""

    value: str
    label: str
    language: str
    tag: str
    locale: str
    language_code: str

    def as_heygen(self) -> dict:
        return asdict(self)


class VoiceNotFound(LookupError):
    """No voice has this id; `message` is HeyGen's wording. A stage error: the caller decides what it becomes
    (request validation answers 400 before a render starts; `synthesize` turns it into a `RenderError`)."""

    def __init__(self, voice_id: str) -> None:
        self.message = f"Voice {voice_id} not found"
        super().__init__(self.message)
        self.voice_id = voice_id


def to_locale(code: str) -> str:
    """espeak language code -> BCP-47 style locale: "en-us" -> "en-US", "de" -> "de-DE", "en-gb-scotland" kept."""
    parts = code.split("-")
    lang = parts[0].lower()
    if len(parts) == 1:
        region = _DEFAULT_REGION.get(lang)
        return f"{lang}-{region}" if region else lang
    rest = [p.upper() if (len(p) == 2 and p.isalpha()) or (len(p) == 3 and p.isdigit()) else p for p in parts[1:]]
    return "-".join([lang, *rest])


@functools.lru_cache(maxsize=1)
def _voices() -> tuple[VoiceInfo, ...]:
    from talkframe.voice.engines import espeak, flite

    out = [VoiceInfo(DEFAULT_VOICE_ID, "Joe", "English", "Male", "en-US", "piper", "en_US-joe-medium")]
    for lang in espeak.languages():
        language = lang.name.split(" (")[0]
        for suffix, gender, variant in (("m", "Male", None), ("f", "Female", ESPEAK_FEMALE_VARIANT)):
            out.append(VoiceInfo(
                f"espeak.{lang.code}.{suffix}", f"eSpeak {lang.name} {gender.lower()}", language, gender,
                to_locale(lang.code), "espeak", lang.code, variant, support_locale=True,
            ))
    for name in flite.available_voices():
        gender = flite.VOICES[name].capitalize()
        out.append(VoiceInfo(f"flite.{name}", f"Flite {name}", "English", gender, "en-US", "flite", name))
    return tuple(out)


@functools.lru_cache(maxsize=1)
def _by_id() -> dict[str, VoiceInfo]:
    return {v.voice_id.lower(): v for v in _voices()}


def list_voices() -> list[VoiceInfo]:
    """Every voice on this machine, default first."""
    return list(_voices())


def list_locales() -> list[LocaleInfo]:
    """One entry per distinct locale of the listed voices, sorted by locale."""
    seen: dict[str, LocaleInfo] = {}
    labels = {f"{v.locale}": v.name for v in _voices()}
    from talkframe.voice.engines import espeak

    for lang in espeak.languages():
        labels[to_locale(lang.code)] = lang.name
    for v in _voices():
        if v.locale not in seen:
            label = labels.get(v.locale, v.language)
            seen[v.locale] = LocaleInfo(v.locale, label, v.language, v.locale, v.locale, v.language_code)
    return [seen[k] for k in sorted(seen)]


def voice_exists(voice_id: str) -> bool:
    return voice_id.strip().lower() in _by_id()


def get_voice(voice_id: str) -> VoiceInfo:
    """The voice with this id (case-insensitive) or `VoiceNotFound`."""
    info = _by_id().get(voice_id.strip().lower())
    if info is None:
        raise VoiceNotFound(voice_id)
    return info


def resolve_voice(voice_id: str | None, locale: str | None = None) -> VoiceInfo:
    """Pick the voice a request means.

    - an unknown `voice_id` raises `VoiceNotFound` ("Voice <id> not found");
    - `voice_id` with a `locale` of another accent: the same engine and gender in that locale when one exists
      (e.g. `espeak.en-us.f` + "en-GB" -> `espeak.en-gb.f`), else the voice as asked;
    - no `voice_id`: the first voice of the locale (Piper for en-US), else of its language, else the default.
    """
    wanted = _norm(locale) if locale else None
    if voice_id:
        info = get_voice(voice_id)
        if wanted and _norm(info.locale) != wanted:
            for v in _voices():
                if v.engine == info.engine and v.gender == info.gender and _norm(v.locale) == wanted:
                    return v
        return info
    if wanted:
        for v in _voices():
            if _norm(v.locale) == wanted:
                return v
        lang = wanted.split("-")[0]
        for v in _voices():
            if v.language_code == lang:
                return v
    return _by_id()[DEFAULT_VOICE_ID.lower()]


def _norm(locale: str) -> str:
    return locale.strip().replace("_", "-").lower()
