"""Caption files: `.ass` (HeyGen's `caption_url` format), `.srt` (v3 `subtitle_url`) and WebVTT."""

from __future__ import annotations

from pathlib import Path

from talkframe.captions.cues import Cue


def _clock(t: float, sep: str) -> str:
    ms = max(0, round(t * 1000))
    h, rem = divmod(ms, 3_600_000)
    m, rem = divmod(rem, 60_000)
    s, ms = divmod(rem, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def to_srt(cues: list[Cue]) -> str:
    blocks = [f"{i}\n{_clock(c.start, ',')} --> {_clock(c.end, ',')}\n{c.text}\n" for i, c in enumerate(cues, 1)]
    return "\n".join(blocks)


def to_vtt(cues: list[Cue]) -> str:
    blocks = [f"{_clock(c.start, '.')} --> {_clock(c.end, '.')}\n{c.text}\n" for c in cues]
    return "WEBVTT\n\n" + "\n".join(blocks)


def _ass_time(t: float) -> str:
    cs = max(0, round(t * 100))
    h, rem = divmod(cs, 360_000)
    m, rem = divmod(rem, 6000)
    s, cs = divmod(rem, 100)
    return f"{h:d}:{m:02d}:{s:02d}.{cs:02d}"


def to_ass(cues: list[Cue], size: tuple[int, int] = (1920, 1080), font: str = "DejaVu Sans") -> str:
    """Advanced SubStation Alpha with one bottom-centred, outlined style sized to the video."""
    w, h = size
    font_size = max(12, round(h * 0.05))
    outline = max(1, round(font_size / 14))
    margin_v = round(h * 0.06)
    header = (
        "[Script Info]\nScriptType: v4.00+\nWrapStyle: 0\nScaledBorderAndShadow: yes\n"
        f"PlayResX: {w}\nPlayResY: {h}\n\n"
        "[V4+ Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, "
        "Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, "
        "Alignment, MarginL, MarginR, MarginV, Encoding\n"
        f"Style: Default,{font},{font_size},&H00FFFFFF,&H00FFFFFF,&H00000000,&H80000000,-1,0,0,0,100,100,0,0,1,"
        f"{outline},0,2,{round(w * 0.05)},{round(w * 0.05)},{margin_v},1\n\n"
        "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
    )
    events = [
        f"Dialogue: 0,{_ass_time(c.start)},{_ass_time(c.end)},Default,,0,0,0,,"
        + "\\N".join(_ass_escape(line) for line in c.lines)
        for c in cues
    ]
    return header + "\n".join(events) + "\n"


def _ass_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("{", "(").replace("}", ")").replace("\n", " ")


def write_files(cues: list[Cue], out_dir: Path, size: tuple[int, int] = (1920, 1080),
                stem: str = "captions") -> dict[str, Path]:
    """Write `<stem>.ass`, `.srt` and `.vtt` (UTF-8) and return {"ass": path, "srt": path, "vtt": path}."""
    out_dir.mkdir(parents=True, exist_ok=True)
    texts = {"ass": to_ass(cues, size), "srt": to_srt(cues), "vtt": to_vtt(cues)}
    paths: dict[str, Path] = {}
    for ext, text in texts.items():
        path = out_dir / f"{stem}.{ext}"
        path.write_text(text, encoding="utf-8")
        paths[ext] = path
    return paths
