"""Named landmark contours, ordered, derived from MediaPipe's own connection sets (not typed by hand)."""

from __future__ import annotations

import functools

import numpy as np

MOUTH_LEFT, MOUTH_RIGHT = 61, 291  # outer corners (image left / right)
INNER_LEFT, INNER_RIGHT = 78, 308
UPPER_INNER_MID, LOWER_INNER_MID = 13, 14
UPPER_OUTER_MID, LOWER_OUTER_MID = 0, 17
CHIN, NOSE_TIP = 152, 1
IRIS_LEFT, IRIS_RIGHT = 468, 473  # image left eye (subject's right), image right eye


def _paths(edges: frozenset, start: int, end: int) -> list[list[int]]:
    """Both simple paths from `start` to `end` in a cycle-like edge set."""
    adj: dict[int, list[int]] = {}
    for a, b in edges:
        adj.setdefault(a, []).append(b)
        adj.setdefault(b, []).append(a)
    out = []
    for first in adj.get(start, []):
        path, prev, cur = [start], start, first
        while cur != end:
            path.append(cur)
            nxt = [n for n in adj[cur] if n != prev]
            if not nxt:
                break
            prev, cur = cur, nxt[0]
        else:
            path.append(end)
            out.append(path)
    return out


def _split(edges: frozenset, start: int, end: int, upper_hint: int) -> tuple[list[int], list[int]]:
    paths = _paths(edges, start, end)
    up = [p for p in paths if upper_hint in p]
    lo = [p for p in paths if upper_hint not in p]
    return up[0], lo[0]


@functools.lru_cache(maxsize=1)
def contours() -> dict[str, list[int]]:
    """Ordered contours, each running left to right in the image (or around, for the oval)."""
    fm = _face_mesh_connections()
    lips = frozenset(fm.FACEMESH_LIPS)
    inner = frozenset(e for e in lips if not ({MOUTH_LEFT, MOUTH_RIGHT} & set(e)) and _is_inner(e, lips))
    outer = frozenset(lips - inner)
    up_out, lo_out = _split(outer, MOUTH_LEFT, MOUTH_RIGHT, UPPER_OUTER_MID)
    up_in, lo_in = _split(inner, INNER_LEFT, INNER_RIGHT, UPPER_INNER_MID)
    r_up, r_lo = _split(frozenset(fm.FACEMESH_RIGHT_EYE), 33, 133, 159)  # image-left eye
    l_up, l_lo = _split(frozenset(fm.FACEMESH_LEFT_EYE), 362, 263, 386)  # image-right eye
    oval = _paths(frozenset(fm.FACEMESH_FACE_OVAL), 10, CHIN)
    return {
        "upper_outer": up_out, "lower_outer": lo_out, "upper_inner": up_in, "lower_inner": lo_in,
        "eye_l_upper": r_up, "eye_l_lower": r_lo, "eye_r_upper": l_up, "eye_r_lower": l_lo,
        "oval_a": oval[0], "oval_b": oval[1],
        "brow_l": sorted({i for e in fm.FACEMESH_RIGHT_EYEBROW for i in e}),  # above the image-left eye
        "brow_r": sorted({i for e in fm.FACEMESH_LEFT_EYEBROW for i in e}),
    }


def _face_mesh_connections():  # type: ignore[no-untyped-def]
    """MediaPipe's own index sets, read from its plain-Python module without importing the mediapipe package
    (which loads its native framework: ~2 s a cold process pays for constants)."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("mediapipe")  # locates the package, runs none of it
    if spec is not None and spec.submodule_search_locations:
        path = Path(list(spec.submodule_search_locations)[0]) / "python" / "solutions" / "face_mesh_connections.py"
        if path.exists():
            module_spec = importlib.util.spec_from_file_location("_talkframe_face_mesh_connections", path)
            if module_spec is not None and module_spec.loader is not None:
                module = importlib.util.module_from_spec(module_spec)
                module_spec.loader.exec_module(module)
                return module
    import mediapipe as mp

    return mp.solutions.face_mesh


def _is_inner(edge: tuple[int, int], lips: frozenset) -> bool:
    # The inner ring is the connected component holding 78/308 once the outer corners are removed.
    comp = {INNER_LEFT}
    changed = True
    while changed:
        changed = False
        for a, b in lips:
            if MOUTH_LEFT in (a, b) or MOUTH_RIGHT in (a, b):
                continue
            if (a in comp) != (b in comp):
                comp |= {a, b}
                changed = True
    return edge[0] in comp


def oval_polygon(lm: np.ndarray) -> np.ndarray:
    """The face oval as one closed polygon (x, y)."""
    c = contours()
    ring = c["oval_a"] + c["oval_b"][-2:0:-1]
    return lm[ring, :2]


def oval_box(lm: np.ndarray) -> tuple[int, int, int, int]:
    """x, y, w, h around the face oval (forehead to chin): what close-up and circle layouts frame."""
    pts = oval_polygon(lm)
    x0, y0 = pts.min(axis=0)
    x1, y1 = pts.max(axis=0)
    return int(x0), int(y0), int(x1 - x0), int(y1 - y0)
