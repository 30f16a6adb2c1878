"""Make the portrait test set from photographs that ship inside PyPI packages (nothing is fetched from a URL).

Run: .venv/bin/python scripts/portraits.py [OUT_DIR]      (default: /tmp/tf_portraits)

Sources: the installed wheels of scikit-image and matplotlib, and the source distributions of `face_recognition`
1.3.0 and `insightface` 2.1 (their test/demo photos are only in the sdists), which this script downloads with pip
into OUT_DIR/_pkgs (`pip download --no-deps --no-binary :all:`) when they are not there yet. Each portrait is a crop
to one person, written as OUT_DIR/<name>.png; `PORTRAITS` records package, path inside it, licence and what the
photo is there to test. Only the small crops the tests need are committed (tests/avatar/data/).
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

DEFAULT_OUT = Path("/tmp/tf_portraits")
SDISTS = {"face_recognition": "1.3.0", "insightface": "2.1"}


@dataclass(frozen=True)
class Portrait:
    name: str
    package: str  # "pypi:<name> <version>" (wheel or sdist)
    path: str  # path inside the package
    licence: str
    crop: tuple[int, int, int, int] | None  # x0, y0, x1, y1 in the source image; None = whole image
    tests: str  # what it is in the set for


_FR = "face_recognition-1.3.0/tests/test_images/"
_IF = "insightface-2.1/insightface/data/images/"
_FR_LIC = ("package MIT; photo: official White House / US government photograph (public domain in the US)")
_IF_LIC = ("package MIT; photo: publicity still of a TV cast, copyright of its owner, redistributed in the package "
           "without a stated licence (use for testing only)")

PORTRAITS: list[Portrait] = [
    Portrait("astronaut", "pypi:scikit-image (wheel)", "skimage/data/astronaut.png",
             "public domain (NASA photo of Eileen Collins)", None, "smile with teeth, light skin, the tuned photo"),
    Portrait("hopper", "pypi:matplotlib (wheel)", "matplotlib/mpl-data/sample_data/grace_hopper.jpg",
             "public domain (US Navy photo of Grace Hopper)", None, "glasses, closed mouth, older face"),
    Portrait("cameraman", "pypi:scikit-image (wheel)", "skimage/data/camera.png",
             "CC0 (scikit-image data README: photo by Lav Varshney)", (80, 40, 320, 280),
             "greyscale, small face, near profile"),
    Portrait("obama_speaking", "pypi:face_recognition 1.3.0 (sdist)", _FR + "32bit.png", _FR_LIC,
             (60, 180, 560, 680), "open mouth with teeth (mid-speech), darker skin, RGBA source"),
    Portrait("obama_smile", "pypi:face_recognition 1.3.0 (sdist)", _FR + "obama.jpg", _FR_LIC,
             (80, 0, 830, 750), "broad smile with teeth, largest face of the set"),
    Portrait("biden", "pypi:face_recognition 1.3.0 (sdist)", _FR + "biden.jpg", _FR_LIC,
             (200, 0, 800, 600), "closed mouth, grey hair, large face"),
    Portrait("obama_pressed", "pypi:face_recognition 1.3.0 (sdist)", _FR + "obama3.jpg", _FR_LIC,
             (420, 180, 1020, 780), "lips pressed, bright back light"),
    Portrait("hanks", "pypi:insightface 2.1 (sdist)", _IF + "Tom_Hanks_54745.png", _IF_LIC.replace(
        "publicity still of a TV cast", "aligned face crop of an actor"), None,
             "greyscale, tiny face, slight turn, closed smile"),
    Portrait("cards_lowered", "pypi:insightface 2.1 (sdist)", _IF + "t1.jpg", _IF_LIC, (0, 220, 320, 540),
             "eyes lowered, three-quarter view, closed smile"),
    Portrait("dark_hair_lowered", "pypi:insightface 2.1 (sdist)", _IF + "t1.jpg", _IF_LIC, (220, 90, 460, 330),
             "eyes lowered, three-quarter view, closed mouth"),
    Portrait("teeth_three_quarter", "pypi:insightface 2.1 (sdist)", _IF + "t1.jpg", _IF_LIC, (390, 200, 670, 480),
             "smile with teeth, three-quarter view"),
    Portrait("laughing", "pypi:insightface 2.1 (sdist)", _IF + "t1.jpg", _IF_LIC, (680, 280, 940, 540),
             "laughing, eyes squeezed nearly shut"),
    Portrait("near_profile", "pypi:insightface 2.1 (sdist)", _IF + "t1.jpg", _IF_LIC, (840, 0, 1120, 280),
             "near profile, stubble, parted lips"),
    Portrait("eyes_closed_smile", "pypi:insightface 2.1 (sdist)", _IF + "t1.jpg", _IF_LIC, (1050, 210, 1280, 470),
             "eyes closed, closed smile"),
]


def _site_file(rel: str) -> Path:
    import importlib

    pkg = rel.split("/")[0]
    return Path(importlib.import_module(pkg).__file__).parent.parent / rel


def _sdist_file(rel: str, pkgs: Path) -> Path:
    top = rel.split("/")[0]
    name, version = top.rsplit("-", 1)
    target = pkgs / rel
    if target.exists():
        return target
    pkgs.mkdir(parents=True, exist_ok=True)
    archive = pkgs / f"{name}-{version}.tar.gz"
    if not archive.exists():
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
                        f"{name}=={version}", "-d", str(pkgs)], check=True)
    with tarfile.open(archive) as tar:
        tar.extract(rel, pkgs, filter="data")
    return target


def source_image(p: Portrait, pkgs: Path) -> np.ndarray:
    f = _sdist_file(p.path, pkgs) if "sdist" in p.package else _site_file(p.path)
    rgb = np.asarray(Image.open(f).convert("RGB"))
    if p.crop is not None:
        x0, y0, x1, y1 = p.crop
        rgb = rgb[y0:y1, x0:x1]
    return np.ascontiguousarray(rgb)


def make_set(out: Path = DEFAULT_OUT) -> dict[str, Path]:
    """Write every portrait (once) and return name -> PNG path."""
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for p in PORTRAITS:
        dst = out / f"{p.name}.png"
        if not dst.exists():
            Image.fromarray(source_image(p, out / "_pkgs")).save(dst)
        paths[p.name] = dst
    return paths


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
    for name, path in make_set(out).items():
        print(name, path)


if __name__ == "__main__":
    main()
