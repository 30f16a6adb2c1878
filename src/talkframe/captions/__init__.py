"""Captions from the word timeline: reading-sized cues, `.ass`/`.srt`/`.vtt` files, and burn-in onto frames.

    cues = build_cues(words, offset=scene_start)          # per scene, then concatenate the lists
    paths = write_files(cues, out_dir, size=(w, h))       # {"ass": ..., "srt": ..., "vtt": ...}
    burner = CaptionBurner(cues, (w, h)); frame = burner.draw(t_seconds, frame)
"""

from talkframe.captions.burn import CaptionBurner
from talkframe.captions.cues import Cue, build_cues
from talkframe.captions.formats import to_ass, to_srt, to_vtt, write_files

__all__ = ["CaptionBurner", "Cue", "build_cues", "to_ass", "to_srt", "to_vtt", "write_files"]
